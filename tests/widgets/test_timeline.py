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
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*style="fill:(var\(--[\w-]+)', svg)
    assert len(bars) == 3
    # sorted by login: operator, student, admin; admin is ours (brand blue), the others grey (not yet expired)
    live, mine = "var(--jp-layout-color4", "var(--jp-brand-color1"
    assert [fill for *_, fill in bars] == [live, live, mine]
    starts = [float(x) for x, *_ in bars]
    assert starts == sorted(starts)
    now_x = float(re.search(r'<line x1="([\d.]+)"[^>]*stroke:var\(--jp-error-color1', svg).group(1))
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

    def fills(timeline: object) -> list[str]:
        return re.findall(r'<rect [^>]*style="fill:var\((--[\w-]+)', timeline.svg)  # type: ignore[attr-defined]

    assert fills(session_timeline(frame)) == ["--jp-error-color1", "--jp-layout-color4", "--jp-brand-color1"]
    earlier = _frame("ilo6_sessions_expanded.json")  # 17:40: the operator (expires 17:42) is still live
    assert fills(session_timeline(earlier)) == [
        "--jp-layout-color4",
        "--jp-layout-color4",
        "--jp-brand-color1",
    ]
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


def test_a_target_logs_in_for_the_read_and_out_again(mock_bmc: Any) -> None:
    from redfishnb.lab import Target

    timeline = session_timeline(Target(mock_bmc.url, "admin", mock_bmc.ca_file, mock=mock_bmc))
    assert "admin" in timeline.to_text() and "<- you" in timeline.to_text()
    assert mock_bmc.session_count == 0


def test_a_closed_client_says_so_in_one_line(mock_bmc: Any) -> None:
    import redfishnb
    from redfishnb.widgets._common import PLAIN_CLOSED

    client = redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file)
    client.close()
    with pytest.raises(ValueError) as caught:
        session_timeline(client)
    assert str(caught.value) == PLAIN_CLOSED
