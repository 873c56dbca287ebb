"""StandardVsOem: where this BMC keeps each fact about your session, the DMTF-standard way beside iLO's OEM way.

A lab that runs the same cells against an iLO and a standard BMC (OpenBMC's bmcweb) hits the same question each
time a column comes out empty: *where* does this service keep who I am, where I came from, since when, with which
role? This widget answers it for your own session with :func:`redfishnb.tables.where_kept`: one row per fact, the
standard property and the iLO ``Oem.Hpe`` property, the value each holds here (the one the service fills is
shaded), and what the kit's tables show for it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd
from pandas.io.formats.style import Styler

from ..tables import where_kept
from ..tables.kept import MISSING
from ._common import (
    ClientSource,
    ClosesSourceMixin,
    SourceUnavailable,
    StaticRenderMixin,
    busy,
    friendly_error,
    not_logged_in_html,
    source_status,
    status_html,
    tagged,
    unavailable_html,
)
from ._styles import TABLE_STYLES, StyledFrame
from ._theme import css, restart_note

__all__ = ["StandardVsOem", "facts_styler"]

_VALUES = ("Standard value", "OEM value")
_PATHS = ("Standard", "iLO OEM")
_KEPT_STYLE = f"{css('kept')};font-weight:600"
_MISSING_STYLE = css("muted")
_PATH_STYLE = f"{css('text')};font-family:var(--jp-code-font-family, monospace)"


_MODEL_TEXT = {
    "standard": "This service keeps your session the DMTF-standard way (Session v1_7: no Oem.Hpe).",
    "oem": "This service keeps your session the iLO way (Oem.Hpe), not in the standard properties.",
    "both": "This service fills both the standard properties and iLO's Oem.Hpe ones.",
    "unknown": "No session to judge by (a Basic-authenticated client has none).",
}


def _value_style(value: Any) -> str:
    return _MISSING_STYLE if value == MISSING else _KEPT_STYLE


def _path_style(value: Any) -> str:
    return _MISSING_STYLE if value == MISSING else _PATH_STYLE


def facts_styler(frame: pd.DataFrame, *, uuid: str = "rfnb-standard-vs-oem") -> Styler:
    """The facts table: values this service keeps shaded, missing ones (``—``) muted, paths in code font."""
    styler: Styler = (
        frame.style.map(_value_style, subset=list(_VALUES))
        .map(_path_style, subset=list(_PATHS))
        .hide(axis="index")
        .set_table_styles(TABLE_STYLES)
        .set_properties(
            subset=[*_VALUES, "Kit shows"],
            **{"white-space": "normal !important", "max-width": "18em", "min-width": "10em"},
        )
        .set_table_attributes('class="rfnb-standard-vs-oem-table"')
        .set_uuid(uuid)
    )
    return styler


def _scrolling(table_html: str) -> str:
    """Six columns do not always fit a notebook cell: the table scrolls sideways instead of being cut off."""
    return f'<div class="rfnb-svo-scroll" style="overflow-x:auto;max-width:100%">{table_html}</div>'


def _source(source: Any, username: str) -> ClientSource:
    """A widget source; a MockBMC (which cannot log in by itself) becomes a lab target for ``username``."""
    from ..mock import MockBMC

    if isinstance(source, MockBMC):
        from ..lab import target_for

        source = target_for(source, username)
    return ClientSource(source)


class StandardVsOem(ClosesSourceMixin, StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """Your session's facts, standard beside iLO OEM; ``source`` is a client, a LoginPanel, a target (``bmc``)
    or a :class:`~redfishnb.mock.MockBMC` (then it logs in as ``username``; closing the widget logs out)."""

    def __init__(self, source: Any, *, username: str = "admin") -> None:
        self.source = _source(source, username)
        self.frame: pd.DataFrame | None = None
        self._refresh_button = tagged(w.Button(description="Refresh", icon="refresh"), "rfnb-svo-refresh")
        self._model = tagged(w.HTML(), "rfnb-svo-model")
        self._table = tagged(w.HTML(), "rfnb-svo-table")
        self._status = tagged(w.HTML(), "rfnb-svo-status")
        self._status.add_class("rfnb-status-block")
        self._refresh_button.on_click(lambda _b: self.refresh())
        self.source.on_change(lambda _client: None if self.refresh() else None)
        super().__init__(
            [restart_note(), w.HBox([self._refresh_button, self._model]), self._table, self._status]
        )
        self.add_class("rfnb-standard-vs-oem")
        self.refresh()

    @property
    def model(self) -> str:
        """ "standard", "oem", "both", or "unknown" (nothing read yet, or no session)."""
        return "unknown" if self.frame is None else str(self.frame.attrs.get("model", "unknown"))

    def _styled(self) -> StyledFrame:
        frame = self.frame if self.frame is not None else pd.DataFrame()
        return StyledFrame(frame, facts_styler(frame), empty_text="Nothing read.", text_index=False)

    def refresh(self) -> bool:
        """Read your session (and its Roles) again; errors go to the status line, never raised."""
        try:
            client = self.source.get()
        except SourceUnavailable as exc:
            self.frame = None
            self._model.value = ""
            self._table.value = not_logged_in_html()
            self._status.value = unavailable_html(self.source, exc)
            return False
        try:
            with busy(self._refresh_button):
                self.frame = where_kept(client)
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            self.frame = None
            self._model.value = ""
            self._table.value = ""
            self._status.value = status_html(friendly_error(exc), "error")
            return False
        self._model.value = self._model_html()
        self._table.value = _scrolling(self._styled().to_html())
        self._status.value = source_status(self.source, "")
        return True

    def _model_html(self) -> str:
        text = html.escape(_MODEL_TEXT[self.model])
        return f'<span class="rfnb-status" style="{css("text")};margin-left:12px">{text}</span>'

    def _text_summary(self) -> str:
        if self.frame is None:
            return "StandardVsOem(not read)"
        return f"StandardVsOem(model={self.model!r})\n{self._styled().to_text()}"

    def _static_html(self) -> str:
        return (
            f'<div class="rfnb-standard-vs-oem rfnb-static">{self._model.value}{self._table.value}'
            f"{self._status.value}</div>"
        )
