"""Styled, deterministic HTML for the kit's frames (pandas Styler), shared by the widgets and saved notebooks.

Every Styler gets a fixed ``set_uuid`` so the HTML is identical between runs (nbval compares it), and uses
``Styler.map`` (pandas 3 removed ``applymap``). :class:`StyledFrame` pairs a Styler with a plain-text rendering, so
displaying one never shows ``<pandas.io.formats.style.Styler at 0x…>``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from ..tables import ILO_PRIVILEGES

__all__ = [
    "is_true",
    "styled",
    "StyledFrame",
    "privileges_styler",
    "sessions_styler",
    "format_cell",
    "MY_SESSION_CLASS",
]

MY_SESSION_CLASS = "rfnb-my-session"
YES, NO, MISSING = "✓", "✗", "—"
_MINE_STYLE = "background-color:#e3f2fd;font-weight:600"
_TABLE_STYLES = [
    {"selector": "", "props": "border-collapse:collapse;font-size:12px;"},
    {"selector": "th", "props": "text-align:left;padding:2px 8px;border-bottom:1px solid #999;"},
    {"selector": "td", "props": "padding:2px 8px;border-bottom:1px solid #e0e0e0;white-space:nowrap;"},
    {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:600;padding:4px 0;"},
]

#: What the session table shows, in order (privileges are the PrivilegeMatrix's job).
SESSION_DISPLAY = (
    "UserName",
    "Role",
    "UserTag",
    "UserIP",
    "Idle",
    "UserExpires",
    "LoginTime",
    "AccessTime",
    "UserType",
    "MySession",
    "Id",
)


def is_true(value: Any) -> bool:
    """True for True and numpy's True; False for False, missing values (NA) and anything else."""
    return value is True or value is np.True_


def format_cell(value: Any) -> str:
    """One cell as text: booleans as ✓/✗, datetimes to the second in UTC, durations as H:MM:SS, missing as —."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, bool | np.bool_):
        return YES if value else NO
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%SZ") if value.tzinfo else value.isoformat()
    if isinstance(value, pd.Timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    try:
        if pd.isna(value):
            return MISSING
    except (TypeError, ValueError):
        pass
    return str(value)


def sessions_styler(
    frame: pd.DataFrame, *, uuid: str = "rfnb-sessions", caption: str | None = None
) -> Styler:
    """The session table: own session highlighted and tagged with the ``rfnb-my-session`` class on its cells."""
    columns = [c for c in SESSION_DISPLAY if c in frame.columns]
    view = frame[columns]
    mine = (
        frame["MySession"].fillna(False).astype(bool)
        if "MySession" in frame
        else pd.Series(False, frame.index)
    )
    classes = pd.DataFrame("", index=view.index, columns=view.columns)
    classes.loc[mine.to_numpy()] = MY_SESSION_CLASS
    styler = (
        view.style.format(format_cell)
        .apply(lambda row: [_MINE_STYLE if mine.loc[row.name] else "" for _ in row], axis=1)
        .set_td_classes(classes)
        .hide(axis="index")
        .set_table_styles(_TABLE_STYLES)
        .set_table_attributes('class="rfnb-sessions"')
        .set_uuid(uuid)
    )
    return styler.set_caption(caption) if caption else styler


def _breakable(name: str) -> str:
    """``VirtualPowerAndResetPriv`` with line-break opportunities between its words, so headers stay narrow."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "<wbr>", html.escape(name))


def _privilege_cell_style(value: Any) -> str:
    if is_true(value):
        return "color:#1e7e34;background-color:#e6f4ea;text-align:center"
    if value is False or value is np.False_:
        return "color:#b00020;text-align:center"
    return "color:#999;text-align:center"


def privileges_styler(
    frame: pd.DataFrame, *, uuid: str = "rfnb-privileges", caption: str | None = None
) -> Styler:
    """✓/✗ per account (rows grouped by role, the index's first level) and privilege (columns)."""
    styler = (
        frame.style.format(format_cell)
        .map(_privilege_cell_style)
        .relabel_index([_breakable(str(c)) for c in frame.columns], axis="columns")
        .set_table_styles([*_TABLE_STYLES, {"selector": "th.col_heading", "props": "max-width:90px;"}])
        .set_table_attributes('class="rfnb-privileges"')
        .set_uuid(uuid)
    )
    return styler.set_caption(caption) if caption else styler


class StyledFrame:
    """A frame shown styled in HTML and as aligned text elsewhere; what the widgets' static fallbacks embed."""

    def __init__(
        self, frame: pd.DataFrame, styler: Styler, *, empty_text: str = "(none)", text_index: bool = True
    ) -> None:
        self.frame = frame
        self.styler = styler
        self.empty_text = empty_text
        self.text_index = text_index

    def to_html(self) -> str:
        """The styled table in a horizontally scrollable box (wide tables stay usable in a narrow cell)."""
        if self.frame.empty:
            return f'<div class="rfnb-empty">{html.escape(self.empty_text)}</div>'
        return f'<div class="rfnb-frame" style="overflow-x:auto">{self.styler.to_html()}</div>'

    def to_text(self) -> str:
        if self.frame.empty:
            return self.empty_text
        shown = self.styler.data if isinstance(self.styler.data, pd.DataFrame) else self.frame
        return shown.map(format_cell).to_string(index=self.text_index)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html()}


def styled(frame: pd.DataFrame) -> StyledFrame:
    """A sessions, privileges or accounts frame ready to display: styled HTML, aligned text, stable ids."""
    if "MySession" in frame.columns:
        return StyledFrame(frame, sessions_styler(frame), empty_text="No sessions.", text_index=False)
    if list(frame.index.names) == ["Role", "UserName"]:
        return StyledFrame(frame, privileges_styler(frame), empty_text="No accounts.")
    styler = (
        frame.style.format(format_cell)
        .hide(axis="index")
        .set_table_styles(_TABLE_STYLES)
        .set_uuid("rfnb-frame")
    )
    return StyledFrame(frame, styler, text_index=False)


def privilege_columns(frame: pd.DataFrame) -> list[str]:
    """The iLO privilege columns a frame carries, in the iLO order."""
    return [c for c in ILO_PRIVILEGES if c in frame.columns]
