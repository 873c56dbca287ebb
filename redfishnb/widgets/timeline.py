"""A session timeline: one bar per session from log-in to expiry, a tick at the last access, a "now" line.

It answers at a glance what the table answers in numbers: which sessions are about to time out, which ones are
stale, and how long yours has left. The chart is SVG generated here — no plotting library, identical output for
identical input (nbval compares it), readable in a saved notebook and on GitHub.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from ..tables import sessions_frame
from ._common import ClientSource
from ._styles import first_present, format_cell, is_true
from ._theme import RULE, css, fg, graphic

__all__ = ["SessionTimeline", "session_timeline"]

_ROW = 24
_LABEL = 190
_TOP = 28
_BOTTOM = 26
_MUTED = f"fill:{fg('muted')}"
_STEPS_MIN = (1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440)


def _nice_step(span_minutes: float, target_ticks: int = 6) -> int:
    for step in _STEPS_MIN:
        if span_minutes / step <= target_ticks:
            return step
    return _STEPS_MIN[-1] * math.ceil(span_minutes / (_STEPS_MIN[-1] * target_ticks))


class _Scale:
    """Time to x: the span from the first log-in to the last expiry (or now), with a little margin each side."""

    def __init__(self, rows: list[dict[str, Any]], now: pd.Timestamp, plot_w: int) -> None:
        start = min(r["login"] for r in rows)
        end = max([r["end"] for r in rows] + [now])
        span = max((end - start).total_seconds(), 60.0)
        self.start = start - pd.Timedelta(seconds=span * 0.02)
        self.span = span * 1.05
        self.plot_w = plot_w

    def x(self, t: pd.Timestamp) -> float:
        offset: float = (t - self.start).total_seconds()
        position: float = round(_LABEL + self.plot_w * offset / self.span, 1)
        return position

    def ticks(self, axis_y: int) -> list[str]:
        """Grid lines and HH:MM labels at a round step."""
        parts = []
        step = _nice_step(self.span / 60)
        tick = self.start.floor(f"{step}min") + pd.Timedelta(minutes=step)
        while (tick - self.start).total_seconds() <= self.span:
            tx = self.x(tick)
            parts.append(f'<line x1="{tx}" y1="{_TOP - 6}" x2="{tx}" y2="{axis_y}" style="stroke:{RULE}"/>')
            parts.append(
                f'<text x="{tx}" y="{axis_y + 14}" text-anchor="middle" style="{_MUTED}">{tick:%H:%M}</text>'
            )
            tick += pd.Timedelta(minutes=step)
        return parts


class SessionTimeline:
    """The chart for a sessions frame; display it, or read ``svg``/``to_text()``.

    Expiry is ``UserExpires`` when the BMC gives it (iLO: last access + idle timeout), else last access +
    ``timeout`` seconds when you pass the timeout, else unknown (the bar ends at "now", drawn dashed).
    """

    def __init__(
        self, frame: pd.DataFrame, *, now: Any = None, timeout: float | None = None, width: int = 760
    ) -> None:
        self.frame = frame
        stamp = pd.Timestamp(now) if now is not None else frame.attrs.get("now") or pd.Timestamp.now(tz="UTC")
        self.now = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        self.timeout = timeout
        self.width = width

    def _rows(self) -> tuple[list[dict[str, Any]], list[str]]:
        placed, unplaced = [], []
        for _, row in self.frame.iterrows():
            login = first_present(row, "LoginTime", "CreatedTime")
            user = format_cell(row.get("UserName"))
            if login is pd.NaT or login is None or pd.isna(login):
                unplaced.append(user)
                continue
            access = row.get("AccessTime")
            access = None if access is None or pd.isna(access) else access
            expires = first_present(row, "UserExpires", "ExpirationTime")
            known = not (expires is None or pd.isna(expires))
            if not known and self.timeout and access is not None:
                expires, known = access + pd.Timedelta(seconds=self.timeout), True
            placed.append(
                {
                    "user": user,
                    "tag": format_cell(first_present(row, "UserTag", "SessionType")),
                    "login": login,
                    "access": access,
                    "end": expires if known else self.now,
                    "known": known,
                    "mine": is_true(row.get("MySession")),
                }
            )
        return placed, unplaced

    @property
    def svg(self) -> str:
        rows, unplaced = self._rows()
        height = _TOP + _BOTTOM + _ROW * max(len(rows), 1)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="rfnb-timeline" width="{self.width}" height="{height}" '
            f'viewBox="0 0 {self.width} {height}" font-family="sans-serif" font-size="11" fill="currentColor" '
            f'style="{css("text")}">',
            f"<title>Sessions from log-in to expiry; now is {format_cell(self.now)}</title>",
        ]
        if not rows:
            parts.append(f'<text x="8" y="{_TOP + 14}">No session with a log-in time to draw.</text></svg>')
            return "".join(parts)
        scale = _Scale(rows, self.now, self.width - _LABEL - 16)
        axis_y = height - _BOTTOM + 4
        parts += scale.ticks(axis_y)
        for i, r in enumerate(rows):
            parts += self._bar(scale, r, _TOP + i * _ROW)
        parts.append(
            f'<text x="8" y="{axis_y + 14}" style="{_MUTED}">bar: log-in → expiry, | last access</text>'
        )
        parts += self._now_line(scale.x(self.now), axis_y)
        if unplaced:
            parts.append(
                f'<text x="8" y="{height - 4}" style="{_MUTED}">No log-in time from the BMC for: '
                f"{html.escape(', '.join(unplaced))}</text>"
            )
        parts.append("</svg>")
        return "".join(parts)

    def _bar(self, scale: _Scale, r: dict[str, Any], y: int) -> list[str]:
        """One session's label, bar (log-in to expiry) and last-access tick."""
        fill = graphic("bar-mine" if r["mine"] else ("bar-live" if r["end"] >= self.now else "bar-expired"))
        weight = ' font-weight="bold"' if r["mine"] else ""
        label = f"{r['user']} ({r['tag']})" + (" — you" if r["mine"] else "")
        x0, x1 = scale.x(r["login"]), scale.x(r["end"])
        dash = "" if r["known"] else ' stroke-dasharray="4 3" fill-opacity="0.35"'
        tip = f"{r['user']}: {format_cell(r['login'])} → " + (
            format_cell(r["end"]) if r["known"] else "expiry unknown"
        )
        parts = [
            f'<text x="{_LABEL - 8}" y="{y + 14}" text-anchor="end"{weight}>{html.escape(label)}</text>',
            f'<rect x="{x0}" y="{y + 4}" width="{max(round(x1 - x0, 1), 1.0)}" height="{_ROW - 10}" rx="3" '
            f'style="fill:{fill};stroke:{fill}"{dash}><title>{html.escape(tip)}</title></rect>',
        ]
        if r["access"] is not None:
            ax = scale.x(r["access"])
            parts.append(
                f'<line x1="{ax}" y1="{y + 2}" x2="{ax}" y2="{y + _ROW - 4}" style="stroke:{graphic("tick")}" '
                'stroke-width="2"><title>last access</title></line>'
            )
        return parts

    def _now_line(self, nx: float, axis_y: int) -> list[str]:
        return [
            f'<line x1="{nx}" y1="{_TOP - 10}" x2="{nx}" y2="{axis_y}" style="stroke:{graphic("bar-expired")}" '
            'stroke-dasharray="5 3" stroke-width="1.5"/>',
            f'<text x="{nx}" y="{_TOP - 14}" text-anchor="middle" style="fill:{fg("error")}">now {self.now:%H:%M:%S}</text>',
        ]

    def to_text(self) -> str:
        rows, unplaced = self._rows()
        lines = [f"Session timeline (now {format_cell(self.now)})"]
        for r in rows:
            end = format_cell(r["end"]) if r["known"] else "expiry unknown"
            left = ""
            if r["known"]:
                left = f", {format_cell(max(r['end'] - self.now, pd.Timedelta(0)))} left"
            mark = "  <- you" if r["mine"] else ""
            lines.append(f"  {r['user']:<14} {format_cell(r['login'])} -> {end}{left}{mark}")
        if unplaced:
            lines.append(f"  without log-in time: {', '.join(unplaced)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return f'<div class="rfnb-timeline-box">{self.svg}</div>'

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self._repr_html_()}


def session_timeline(
    source: Any, *, now: Any = None, timeout: float | None = None, width: int = 760
) -> SessionTimeline:
    """The timeline of a client's (LoginPanel's, lab target's) sessions, or of a frame from :func:`sessions_frame`.

    Without a logged-in client it raises a ValueError whose one line says what to do (log in with the panel,
    re-run the cell that made the client).

    ``now`` defaults to the BMC's clock (the ``Date`` of the sessions response), so the "now" line and the
    bars agree even when the kernel's clock does not.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
    else:
        # A target logs in for this one read and out again; a client or a panel's client is left as it is.
        clients = ClientSource(source)
        try:
            frame = sessions_frame(clients.get())
        finally:
            clients.close()
    return SessionTimeline(frame, now=now, timeout=timeout, width=width)
