"""The session timeline: deterministic SVG from a sessions frame, the BMC's "now", expiry rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from redfishnb import tables
from redfishnb.widgets import LoginPanel, session_timeline

DATA = Path(__file__).parent / "data"


def _frame(name: str, now: str = "2023-01-09T17:40:00Z") -> pd.DataFrame:
    members = json.loads((DATA / name).read_text())["Members"]
    return tables.build_sessions_frame(members, now=now)


def test_svg_is_deterministic_and_places_bars_on_one_time_axis() -> None:
    frame = _frame("ilo6_sessions_expanded.json")
    first, second = session_timeline(frame), session_timeline(frame.copy())
    assert first.svg == second.svg
    svg = first.svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "now 17:40:00" in svg
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#[0-9a-f]+)"', svg)
    assert len(bars) == 3
    # sorted by login: operator, student, admin; admin is ours (blue), the others grey (not yet expired)
    assert [fill for *_, fill in bars] == ["#9e9e9e", "#9e9e9e", "#1976d2"]
    starts = [float(x) for x, *_ in bars]
    assert starts == sorted(starts)
    now_x = float(re.search(r'<line x1="([\d.]+)"[^>]*stroke="#d32f2f"', svg).group(1))
    operator_end = float(bars[0][0]) + float(bars[0][1])
    assert operator_end > now_x  # the operator expires at 17:42, after "now"
    assert "— you" in svg and "0x" not in repr(first)


def test_text_rendering_lists_time_left() -> None:
    text = session_timeline(_frame("ilo6_sessions_expanded.json")).to_text()
    assert text.splitlines()[0] == "Session timeline (now 2023-01-09 17:40:00Z)"
    assert "operator       2023-01-09 17:08:16Z -> 2023-01-09 17:42:00Z, 0:02:00 left" in text
    assert text.rstrip().endswith("<- you")


def test_expired_sessions_are_red_and_unknown_expiry_is_dashed() -> None:
    frame = _frame("ilo6_sessions_expanded.json", now="2023-01-09T17:50:00Z")
    assert 'fill="#e57373"' in session_timeline(frame).svg  # the operator expired at 17:42
    frame["UserExpires"] = pd.NaT
    timeline = session_timeline(frame)
    assert 'stroke-dasharray="4 3"' in timeline.svg and "expiry unknown" in timeline.to_text()
    with_timeout = session_timeline(frame, timeout=1800)
    assert "expiry unknown" not in with_timeout.to_text()


def test_rmc_sessions_without_times_are_listed_not_drawn() -> None:
    timeline = session_timeline(_frame("rmc_sessions_expanded.json"))
    assert "No session with a log-in time" in timeline.svg
    assert "without log-in time: administrator, operator" in timeline.to_text()


def test_bundle_has_html_and_plain_text() -> None:
    bundle = session_timeline(_frame("ilo6_sessions_expanded.json"))._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "<svg" in bundle["text/html"] and bundle["text/plain"].startswith("Session timeline")


def test_live_timeline_uses_the_bmc_clock(admin_panel: LoginPanel, mock_bmc: Any) -> None:
    mock_bmc.create_session("student", user_tag="Web UI")
    mock_bmc.advance_clock(300)
    timeline = session_timeline(admin_panel)
    assert abs(timeline.now - pd.Timestamp(mock_bmc.now)) < pd.Timedelta(seconds=2)
    assert "student" in timeline.to_text() and "<- you" in timeline.to_text()
    mock_bmc.clear_sessions()


def test_not_logged_in_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Not logged in"):
        session_timeline(None)
