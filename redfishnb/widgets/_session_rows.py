"""The session table's rows as widgets, so that clicking a row selects it.

An HTML table cannot tell the kernel it was clicked (ipywidgets sends no events from HTML), so each row is a row
of buttons styled as table cells: clicking any cell selects the row, the selected row is highlighted the way
JupyterLab highlights selections, and keyboard users can Tab to a row and press Enter. Row widgets are reused
between refreshes (auto-refresh every few seconds must not create and destroy dozens of widgets each time).

DOM hooks: ``.rfnb-session-scroll`` (the horizontally scrollable box), ``.rfnb-session-headrow`` and
``.rfnb-session-head`` (header cells), ``.rfnb-session-row`` (one per session; also ``.rfnb-my-session`` on your
own and ``.rfnb-row-selected`` on the selected one), ``.rfnb-session-cell`` (the clickable cells; the first is
``.rfnb-session-mark``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as w
import pandas as pd

from ._styles import MY_SESSION_CLASS, format_cell, header, is_true, mine_marker

__all__ = ["SELECTED_CLASS", "SessionGrid"]

SELECTED_CLASS = "rfnb-row-selected"
#: Column widths in pixels: the compact set (You, User, Role, Client, From IP, Idle) needs about 660 px.
WIDTHS: dict[str, int] = {
    "MySession": 64,
    "UserName": 130,
    "Role": 120,
    "UserTag": 110,
    "UserIP": 130,
    "Idle": 80,
    "LoginTime": 160,
    "AccessTime": 160,
    "UserExpires": 160,
    "UserType": 90,
    "Id": 290,
    "SessionType": 110,
    "ClientOriginIPAddress": 130,
    "CreatedTime": 160,
    "ExpirationTime": 160,
    "Context": 120,
    "Roles": 120,
}
_DEFAULT_WIDTH = 120


def _width(column: str) -> str:
    return f"{WIDTHS.get(column, _DEFAULT_WIDTH)}px"


# A Button whose description becomes "" keeps showing its old text in the browser (ipywidgets only redraws a
# non-empty description or icon), so an empty cell is a no-break space instead.
_EMPTY = "\u00a0"


def _cell_text(column: str, value: object) -> str:
    text = mine_marker(value) if column == "MySession" else format_cell(value)
    return text or _EMPTY


class _Row:
    """One session row: its buttons and the URI of the session it shows now."""

    def __init__(self, columns: Sequence[str], on_click: Callable[[_Row], None]) -> None:
        self.uri: str | None = None
        self.cells: list[w.Button] = []
        for index, column in enumerate(columns):
            cell = w.Button(layout=w.Layout(width=_width(column), flex="0 0 auto"))
            cell.add_class("rfnb-session-cell")
            if index == 0:
                cell.add_class("rfnb-session-mark")
            cell.on_click(lambda _b: on_click(self))
            self.cells.append(cell)
        self.box = w.HBox(self.cells, layout=w.Layout(width="max-content", overflow="visible"))
        self.box.add_class("rfnb-session-row")

    def fill(self, columns: Sequence[str], row: pd.Series, selected: bool) -> None:
        self.uri = None if row["URI"] is pd.NA else str(row["URI"])
        for cell, column in zip(self.cells, columns, strict=True):
            text = _cell_text(column, row.get(column))
            if cell.description != text:
                cell.description = text
                cell.tooltip = f"{header(column)}: {text}" if text != _EMPTY else header(column)
        self._set_class(MY_SESSION_CLASS, is_true(row.get("MySession")))
        self._set_class(SELECTED_CLASS, selected)

    def _set_class(self, name: str, on: bool) -> None:
        if on and name not in self.box._dom_classes:
            self.box.add_class(name)
        elif not on and name in self.box._dom_classes:
            self.box.remove_class(name)

    def close(self) -> None:
        for cell in self.cells:
            cell.close()
        self.box.close()


class SessionGrid(w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """Header plus one clickable row per session, in a box that scrolls sideways when the columns do not fit."""

    def __init__(self, on_select: Callable[[str], None]) -> None:
        self._on_select = on_select
        self._columns: tuple[str, ...] = ()
        self._rows: list[_Row] = []
        self._head = w.HBox(layout=w.Layout(width="max-content", overflow="visible"))
        self._head.add_class("rfnb-session-headrow")
        super().__init__(layout=w.Layout(width="100%", overflow="auto hidden"))
        self.add_class("rfnb-session-scroll")

    @property
    def rows(self) -> list[_Row]:
        """The rows shown (for tests and scripts: ``grid.rows[i].cells[0].click()`` is a click on row i)."""
        return list(self._rows)

    def show(self, frame: pd.DataFrame | None, columns: Sequence[str], selected: str | None) -> None:
        """Show ``frame``'s sessions in ``columns``; nothing (not even a header) when there is no frame."""
        if frame is None or frame.empty:
            self._resize(0)
            self.children = ()
            return
        columns = tuple(c for c in columns if c in frame.columns)
        if columns != self._columns:
            self._resize(0)  # other columns: new cells
            self._columns = columns
            for cell in self._head.children:
                cell.close()
            self._head.children = tuple(self._head_cell(c) for c in columns)
        self._resize(len(frame))
        for row_widget, (_, row) in zip(self._rows, frame.iterrows(), strict=True):
            uri = None if row["URI"] is pd.NA else str(row["URI"])
            row_widget.fill(columns, row, selected is not None and uri == selected)
        self.children = (self._head, *(r.box for r in self._rows))

    @staticmethod
    def _head_cell(column: str) -> w.HTML:
        label = header(column)
        tip = f' title="{html.escape(column)}"' if label != column else ""
        cell = w.HTML(
            f"<span{tip}>{html.escape(label)}</span>", layout=w.Layout(width=_width(column), flex="0 0 auto")
        )
        cell.add_class("rfnb-session-head")
        return cell

    def _resize(self, count: int) -> None:
        while len(self._rows) > count:
            self._rows.pop().close()
        while len(self._rows) < count:
            self._rows.append(_Row(self._columns, self._clicked))

    def _clicked(self, row: _Row) -> None:
        if row.uri:
            self._on_select(row.uri)

    def mark(self, selected: str | None) -> None:
        """Move the highlight to ``selected`` without re-reading anything."""
        for row in self._rows:
            row._set_class(SELECTED_CLASS, selected is not None and row.uri == selected)

    def close(self) -> None:
        self._resize(0)
        for cell in self._head.children:
            cell.close()
        self._head.close()
        super().close()
