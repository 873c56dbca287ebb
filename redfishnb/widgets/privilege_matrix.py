"""PrivilegeMatrix: which account may do what, as a ✓/✗ grid grouped by role.

iLO grants privileges per account (``Oem.Hpe.Privileges``), not strictly per role, so two Operators may differ;
the matrix shows what each account really has, headed with the names iLO's web interface uses ("Administer
users" for UserConfigPriv; the raw name is the tooltip). The RMC and DMTF-standard services (OpenBMC) grant by
Role, so there the columns are the DMTF privileges the service's Roles assign (``AssignedPrivileges``, then any
``OemPrivileges``) and each account gets its role's. ``of="session"`` shows only what *your* session may do, which
any user can read (listing all accounts may need UserConfigPriv); on a standard service that is what the
session's ``Roles`` grant.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from ..tables import privileges_frame
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
from ._styles import StyledFrame, privileges_styler
from ._theme import restart_note

__all__ = ["PrivilegeMatrix"]

_SOURCES = (("All accounts", "accounts"), ("My session", "session"))
_MY_SESSION_HINT = "(Choose “My session” to see your own privileges, which every user may read.)"


class PrivilegeMatrix(ClosesSourceMixin, StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """Accounts (or your session) × privileges; ``source`` is a client, a LoginPanel or a target (``bmc``)."""

    def __init__(self, source: Any, *, of: str = "accounts") -> None:
        self.source = ClientSource(source)
        self.frame: pd.DataFrame | None = None
        self._of = tagged(w.ToggleButtons(options=_SOURCES, value=of), "rfnb-privileges-of")
        self._refresh_button = tagged(
            w.Button(description="Refresh", icon="refresh"), "rfnb-privileges-refresh"
        )
        self._table = tagged(w.HTML(), "rfnb-privilege-table")
        self._status = tagged(w.HTML(), "rfnb-privileges-status")
        self._status.add_class("rfnb-status-block")
        self._refresh_button.on_click(lambda _b: self.refresh())
        self._of.observe(lambda _c: self.refresh(), names="value")
        self.source.on_change(lambda _client: None if self.refresh() else None)
        super().__init__(
            [restart_note(), w.HBox([self._of, self._refresh_button]), self._table, self._status]
        )
        self.add_class("rfnb-privileges")
        self.add_class("rfnb-privilege-matrix")  # the root: "My session" (.rfnb-privileges-of) is inside
        self.refresh()

    @property
    def of(self) -> str:
        return str(self._of.value)

    def _styled(self) -> StyledFrame:
        frame = self.frame if self.frame is not None else pd.DataFrame()
        caption = "Privileges of my session" if self.of == "session" else "Privileges per account, by role"
        return StyledFrame(
            frame, privileges_styler(frame, caption=caption), empty_text="No accounts.", text_index=False
        )

    def refresh(self) -> bool:
        """Read the accounts (or the session) again; errors go to the status line, never raised."""
        try:
            client = self.source.get()
        except SourceUnavailable as exc:
            self.frame = None
            self._table.value = not_logged_in_html()
            self._status.value = unavailable_html(self.source, exc)
            return False
        try:
            with busy(self._refresh_button, self._of):
                self.frame = privileges_frame(client, of=self.of)
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            self.frame = None
            self._table.value = ""
            text = friendly_error(exc)
            if self.of == "accounts":
                text += f"\n{_MY_SESSION_HINT}"
            self._status.value = status_html(text, "error")
            return False
        self._table.value = self._styled().to_html()
        self._status.value = source_status(self.source, "")
        return True

    def _text_summary(self) -> str:
        if self.frame is None:
            return f"PrivilegeMatrix(of={self.of!r}, empty)"
        return f"PrivilegeMatrix(of={self.of!r})\n{self._styled().to_text()}"

    def _static_html(self) -> str:
        return f'<div class="rfnb-privileges rfnb-static">{self._table.value}{self._status.value}</div>'
