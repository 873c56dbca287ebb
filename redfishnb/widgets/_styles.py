"""Styled, deterministic HTML for the kit's frames (pandas Styler), shared by the widgets and saved notebooks.

Every Styler gets a fixed ``set_uuid`` so the HTML is identical between runs (nbval compares it), and uses
``Styler.map`` (pandas 3 removed ``applymap``). :class:`StyledFrame` pairs a Styler with a plain-text rendering, so
displaying one never shows ``<pandas.io.formats.style.Styler at 0x…>``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from pandas.io.formats.style_render import CSSDict

from ..privileges import PRIVILEGE_NAMES
from ._theme import RULE, STRONG_RULE, css

__all__ = [
    "is_true",
    "styled",
    "StyledFrame",
    "privileges_styler",
    "sessions_styler",
    "first_present",
    "format_cell",
    "MY_SESSION_CLASS",
    "HEADERS",
    "SESSION_COMPACT",
    "SESSION_MORE",
    "header",
    "privilege_view",
    "session_view_columns",
]

MY_SESSION_CLASS = "rfnb-my-session"
YES, NO, MISSING = "✓", "✗", "—"
_MINE_STYLE = f"{css('mine')};font-weight:600"
TABLE_STYLES: list[CSSDict] = [
    {"selector": "", "props": "border-collapse:collapse;font-size:12px;"},
    {
        "selector": "th",
        "props": f"{css('header')};text-align:left;padding:2px 8px;border-bottom:1px solid {STRONG_RULE};",
    },
    {
        "selector": "td",
        "props": f"{css('text')};padding:2px 8px;border-bottom:1px solid {RULE};white-space:nowrap;",
    },
    # Every cell paints its own background: JupyterLab tints hovered rows light blue even in Dark (white on
    # pale blue), and that tint is the row's background, which a cell's background covers.
    {
        "selector": "caption",
        "props": f"{css('text')};caption-side:top;text-align:left;font-weight:600;padding:4px 0;",
    },
]

#: What the session table shows by default on iLO: fits a ~900 px cell. ``MySession`` comes first as a marker.
SESSION_COMPACT = ("MySession", "UserName", "Role", "UserTag", "UserIP", "Idle")
#: The rest, shown with "All columns" (in a horizontally scrollable box).
SESSION_MORE = ("LoginTime", "AccessTime", "UserExpires", "UserType", "Id")
SESSION_DISPLAY = SESSION_COMPACT + SESSION_MORE
#: Each compact column, then the standard column that answers the same question where the OEM one is empty (a
#: standard service has no access time, so no idle time: when it logged in is shown instead).
_COMPACT_SLOTS = (
    ("MySession",),
    ("UserName",),
    ("Role",),
    ("UserTag", "SessionType"),
    ("UserIP", "ClientOriginIPAddress"),
    ("Idle", "CreatedTime"),
)
#: What "All columns" adds, where present: iLO's, then the standard ones.
_MORE = (
    *("LoginTime", "AccessTime", "UserExpires", "UserType"),
    *("CreatedTime", "ExpirationTime", "SessionType", "UserTag", "UserIP", "ClientOriginIPAddress"),
    *("Context", "Roles", "Idle", "Id"),
)


def _filled(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and bool(frame[column].notna().any())


def session_view_columns(frame: pd.DataFrame | None, *, full: bool = False) -> tuple[str, ...]:
    """The session columns to show for ``frame``, chosen from what its sessions carry.

    Each compact slot takes the first of its columns that holds a value, else the first the frame has (an iLO
    frame always gets :data:`SESSION_COMPACT`, even when a column is empty, as on the RMC); ``full`` adds the
    frame's other columns (URI and privilege flags excepted). Without a frame: the iLO set."""
    if frame is None:
        return SESSION_DISPLAY if full else SESSION_COMPACT
    compact: list[str] = []
    for slot in _COMPACT_SLOTS:
        present = [c for c in slot if c in frame.columns]
        chosen = next((c for c in present if _filled(frame, c)), present[0] if present else None)
        if chosen:
            compact.append(chosen)
    if not full:
        return tuple(compact)
    return (*compact, *(c for c in _MORE if c in frame.columns and c not in compact))


#: Column headers as people read them (iLO's web interface names for its privileges; the raw name is the tooltip).
HEADERS: dict[str, str] = {
    "MySession": "You",
    "UserName": "User",
    "UserTag": "Client",
    "UserIP": "From IP",
    "LoginTime": "Logged in",
    "AccessTime": "Last access",
    "UserExpires": "Expires",
    "UserType": "Type",
    "ClientOriginIPAddress": "Origin IP",
    "SessionType": "Session type",
    "CreatedTime": "Created",
    "ExpirationTime": "Expiration",
    **PRIVILEGE_NAMES,
}


def first_present(row: pd.Series, *names: str) -> Any:
    """The first of ``names`` the row holds a value in (iLO's column, else the standard one), else NA."""
    return next((row[n] for n in names if n in row.index and not pd.isna(row[n])), pd.NA)


def header(name: str) -> str:
    """The short human header of a column (the raw name when there is none)."""
    return HEADERS.get(name, name)


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


def mine_marker(value: Any) -> str:
    """The "You" column: a marker on your own session, nothing on the others (a column of ✗ is noise)."""
    return "● you" if is_true(value) else ""


def sessions_styler(
    frame: pd.DataFrame,
    *,
    uuid: str = "rfnb-sessions",
    caption: str | None = None,
    columns: Sequence[str] | None = None,
) -> Styler:
    """The session table: own session highlighted and tagged with the ``rfnb-my-session`` class on its cells.

    ``columns`` defaults to every column the frame's sessions carry (:func:`session_view_columns`)."""
    if columns is None:
        columns = session_view_columns(frame, full=True)
    columns = [c for c in columns if c in frame.columns]
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
        .format(mine_marker, subset=[c for c in ("MySession",) if c in view.columns])
        .apply(lambda row: [_MINE_STYLE if mine.loc[row.name] else "" for _ in row], axis=1)
        .set_td_classes(classes)
        .relabel_index([_titled(str(c)) for c in view.columns], axis="columns")
        .hide(axis="index")
        .set_table_styles(TABLE_STYLES)
        .set_table_attributes('class="rfnb-sessions"')
        .set_uuid(uuid)
    )
    captioned: Styler = styler.set_caption(caption) if caption else styler
    return captioned


def _titled(name: str) -> str:
    """A header cell's text: the human header, with the raw name as its tooltip when they differ."""
    label = header(name)
    if label == name:
        return html.escape(name)
    return f'<span title="{html.escape(name)}">{html.escape(label)}</span>'


_YES_STYLE = f"{css('ok')};text-align:center"
_NO_STYLE = f"{css('error')};text-align:center"
_MISSING_STYLE = f"{css('muted')};text-align:center"


def _privilege_cell_style(value: Any) -> str:
    if is_true(value):
        return _YES_STYLE
    if value is False or value is np.False_:
        return _NO_STYLE
    return _MISSING_STYLE


def privilege_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The (Role, UserName)-indexed matrix with Role and UserName as ordinary columns (no index-name header row)."""
    if list(frame.index.names) == ["Role", "UserName"]:
        frame = frame.reset_index()
    frame = frame.copy()
    frame.columns.name = None
    return frame


def privileges_styler(
    frame: pd.DataFrame, *, uuid: str = "rfnb-privileges", caption: str | None = None
) -> Styler:
    """✓/✗ per account (rows grouped by role) and privilege (columns headed as iLO's web interface names them).

    Headers wrap between words only and stay at most two lines; the raw privilege name is each header's tooltip.
    """
    view = privilege_view(frame)
    flags = [c for c in view.columns if c not in ("Role", "UserName")]
    styler = (
        view.style.format(format_cell)
        .map(_privilege_cell_style, subset=flags)
        .relabel_index([_titled(str(c)) for c in view.columns], axis="columns")
        .hide(axis="index")
        .set_table_styles(
            [
                *TABLE_STYLES,
                {
                    "selector": "th.col_heading",
                    "props": "min-width:4.5em;max-width:8em;white-space:normal;word-break:normal;"
                    "overflow-wrap:normal;vertical-align:bottom;",
                },
            ]
        )
        .set_table_attributes('class="rfnb-privileges"')
        .set_uuid(uuid)
    )
    captioned: Styler = styler.set_caption(caption) if caption else styler
    return captioned


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
        data = getattr(self.styler, "data", None)  # the (possibly reordered) frame the styler shows
        shown = data if isinstance(data, pd.DataFrame) else self.frame
        text: str = shown.map(format_cell).to_string(index=self.text_index)
        return text

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html()}


def styled(frame: pd.DataFrame) -> StyledFrame:
    """A sessions, privileges or accounts frame ready to display: styled HTML, aligned text, stable ids."""
    if "MySession" in frame.columns:
        return StyledFrame(frame, sessions_styler(frame), empty_text="No sessions.", text_index=False)
    if list(frame.index.names) == ["Role", "UserName"]:
        return StyledFrame(frame, privileges_styler(frame), empty_text="No accounts.", text_index=False)
    styler = (
        frame.style.format(format_cell)
        .hide(axis="index")
        .set_table_styles(TABLE_STYLES)
        .set_uuid("rfnb-frame")
    )
    return StyledFrame(frame, styler, text_index=False)
