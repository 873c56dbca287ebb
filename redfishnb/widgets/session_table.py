"""SessionTable: who is logged in to the BMC, with your own session highlighted, and a way to disconnect one.

A BMC allows only a few sessions at once and forgotten scripts fill them up; this is the table an instructor
keeps open during a lab. Disconnecting another user's session needs UserConfigPriv on iLO ("Administer User
Accounts"); without it the BMC answers 403 and the status line says which privilege was missing.

Refreshing reads the sessions (one request on a service with ``$expand``) and therefore counts as activity for
your own session: while auto-refresh runs, the BMC's idle timeout does not log you out.
"""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as w
import pandas as pd

from ..errors import RedfishError
from ..records import same_uri
from ..tables import read_accounts, sessions_frame
from ._common import (
    ClientSource,
    SourceUnavailable,
    StaticRenderMixin,
    busy,
    friendly_error,
    not_logged_in_html,
    source_status,
    status_html,
    status_text,
    tagged,
)
from ._session_rows import SessionGrid
from ._styles import (
    StyledFrame,
    first_present,
    format_cell,
    is_true,
    session_view_columns,
    sessions_styler,
)
from ._theme import css, restart_note

__all__ = ["SessionTable", "SessionTableController"]


class SessionTableController:
    """Reads the sessions and disconnects one, for any widget source; no widgets involved."""

    def __init__(self, source: Any) -> None:
        self.source = source if isinstance(source, ClientSource) else ClientSource(source)
        self.frame: pd.DataFrame | None = None
        self._roles: dict[str, str] = {}
        self._roles_of: Any = None  # the client the roles were read with
        self._roles_tried: set[str] = set()  # user names the accounts were read for
        self._roles_denied = False

    @property
    def client(self) -> Any:
        return self.source.client

    def refresh(self) -> pd.DataFrame:
        """Read the sessions; raises SourceUnavailable (one line) when there is no logged-in client."""
        try:
            client = self.source.get()
        except SourceUnavailable:
            self.frame = None
            raise
        frame = sessions_frame(client)
        self.frame = self._fill_roles(client, frame)
        return self.frame

    def _fill_roles(self, client: Any, frame: pd.DataFrame) -> pd.DataFrame:
        """Role for every user the BMC lets us see: iLO puts privileges only on *your* Session resource, so the
        other users' roles come from the accounts collection (read once per client, again for a new user)."""
        missing = frame["Role"].isna() & frame["UserName"].notna()
        if not missing.any():
            return frame
        # Users the accounts were not yet read for: a directory user is in no local account, so "not in the
        # roles" alone would re-read the accounts on every auto-refresh tick.
        untried = set(frame.loc[missing, "UserName"]) - self._roles_tried
        if self._roles_of is not client or (untried and not self._roles_denied):
            if self._roles_of is not client:
                self._roles_tried = set()
            self._roles_of = client
            self._roles_tried |= set(frame["UserName"].dropna())
            try:
                accounts = read_accounts(client)
            except RedfishError:  # e.g. 403 without UserConfigPriv: the roles stay unknown, not guessed
                accounts = None
            self._roles_denied = accounts is None
            if accounts is not None:
                self._roles = {a.username: a.role for a in accounts if a.username and a.role}
        frame = frame.copy()
        frame.loc[missing, "Role"] = frame.loc[missing, "UserName"].map(self._roles)
        return frame

    def row(self, uri: str) -> pd.Series | None:
        if self.frame is None:
            return None
        match = self.frame[[same_uri(u, uri) for u in self.frame["URI"].fillna("")]]
        return None if match.empty else match.iloc[0]

    def is_mine(self, uri: str) -> bool:
        row = self.row(uri)
        if row is not None and is_true(row["MySession"]):
            return True
        return same_uri(uri, getattr(self.client, "session_uri", None))

    def disconnect(self, uri: str) -> str:
        """DELETE the session; for your own session, log out instead (the panel's or the client's)."""
        client = self.source.get()
        if self.is_mine(uri):
            if self.source.panel is not None:
                self.source.panel.logout()
            else:
                client.close()
            return "Your own session was deleted: you are logged out."
        client.delete(uri)
        row = self.row(uri)
        who = row["UserName"] if row is not None and row["UserName"] is not pd.NA else "the user"
        return f"Disconnected the session of {who}."


def _label(row: pd.Series) -> str:
    parts = [str(format_cell(row["UserName"]))]
    found = (
        first_present(row, "UserTag", "SessionType"),
        first_present(row, "UserIP", "ClientOriginIPAddress"),
    )
    details = ", ".join(format_cell(value) for value in found if value is not pd.NA)
    if details:
        parts.append(f"({details})")
    if is_true(row["MySession"]):
        parts.append("— you")
    return " ".join(parts)


class SessionTable(StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """Who is logged in: click a row to select it, Disconnect (confirmed first), Refresh, optional auto-refresh.

    ``source`` is a client, a LoginPanel (then the table follows log-ins and log-outs) or a target with
    ``connect()`` (the notebook's ``bmc``). ``limit`` is the BMC's session limit when you know it (iLO does not
    publish it; the mock's is ``MockBMC(session_limit=...)``). The default columns fit a 900 px cell; "All columns"
    adds the times, type and Id in a box that scrolls sideways. The columns follow what the BMC's sessions carry:
    iLO's ``Oem.Hpe`` details, or on a DMTF-standard service ``SessionType``, ``ClientOriginIPAddress`` and
    ``CreatedTime`` (it keeps no access time, so no idle time); your own session is found there by the session URI
    the client got at login, since the standard has no MySession flag.
    """

    def __init__(
        self, source: Any, *, limit: int | None = None, auto_refresh: bool = False, interval: int = 10
    ) -> None:
        self.controller = SessionTableController(source)
        self.limit = limit
        self.selected: str | None = None
        self._timer: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.RLock()
        self._pending: str | None = None
        self.interval = float(interval)
        self._build(interval)
        self.controller.source.on_change(self._on_client_change)
        super().__init__(
            [
                restart_note(),
                w.HBox(
                    [self._refresh_button, self._auto, self._interval, w.Label("s"), self._all, self._usage]
                ),
                self._grid,
                self._empty,
                w.HBox([self._disconnect_button, self._selection]),
                self._confirm_box,
                self._status,
            ]
        )
        self.add_class("rfnb-sessions")
        self.add_class("rfnb-session-table")  # the root browser tests and stylesheets select on
        if self.controller.source.kind != "panel" or self.controller.client is not None:
            self.refresh()
        else:
            self._show(None)
        if auto_refresh:
            self._auto.value = True

    def _build(self, interval: int) -> None:
        self._grid = SessionGrid(self.select)
        self._empty = tagged(w.HTML(), "rfnb-sessions-empty")
        self._usage = tagged(w.HTML(), "rfnb-sessions-usage")
        self._status = tagged(w.HTML(), "rfnb-sessions-status")
        self._status.add_class("rfnb-status-block")
        self._selection = tagged(w.HTML(), "rfnb-sessions-selection")
        self._refresh_button = tagged(
            w.Button(description="Refresh", icon="refresh"), "rfnb-sessions-refresh"
        )
        self._all = tagged(
            w.ToggleButton(
                value=False, description="All columns", icon="columns", tooltip="Show every column"
            ),
            "rfnb-sessions-all-columns",
        )
        self._disconnect_button = tagged(
            w.Button(description="Disconnect…", icon="unlink", disabled=True), "rfnb-sessions-disconnect"
        )
        self._question = w.HTML()
        self._question.add_class("rfnb-status-block")
        self._confirm_button = tagged(
            w.Button(description="Yes, disconnect", button_style="danger"), "rfnb-sessions-confirm"
        )
        self._cancel_button = tagged(w.Button(description="Cancel"), "rfnb-sessions-cancel")
        self._confirm_box = w.VBox([self._question, w.HBox([self._confirm_button, self._cancel_button])])
        self._confirm_box.layout.display = "none"
        self._auto = tagged(
            w.Checkbox(
                value=False, description="Auto-refresh every", indent=False, layout=w.Layout(width="150px")
            ),
            "rfnb-sessions-auto",
        )
        self._interval = w.BoundedIntText(
            value=max(2, int(interval)), min=2, max=3600, layout=w.Layout(width="70px")
        )
        self._refresh_button.on_click(lambda _b: self.refresh())
        # A click on a disabled button does nothing in a browser; the same holds for .click() from Python.
        self._disconnect_button.on_click(lambda b: None if b.disabled else self.ask_disconnect())
        self._confirm_button.on_click(lambda _b: self.confirm_disconnect())
        self._cancel_button.on_click(lambda _b: self.cancel_disconnect())
        self._all.observe(lambda _c: self._show(self.controller.frame), names="value")
        self._auto.observe(lambda c: self._set_auto(bool(c["new"])), names="value")
        self._interval.observe(lambda c: setattr(self, "interval", float(c["new"])), names="value")

    # -- display -----------------------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns shown, chosen from what the sessions carry (iLO's, else the standard ones): the compact
        set, or all of them while "All columns" is on."""
        return session_view_columns(self.controller.frame, full=bool(self._all.value))

    def _show(self, frame: pd.DataFrame | None) -> None:
        if frame is not None and self.selected and self.controller.row(self.selected) is None:
            self.selected = None  # that session is gone
        if frame is None:
            self.selected = None
        self._grid.show(frame, self.columns, self.selected)
        if frame is None:
            self._empty.value = not_logged_in_html()
            self._usage.value = ""
        else:
            self._empty.value = "" if not frame.empty else f'<div class="rfnb-empty">{_NO_SESSIONS}</div>'
            count = len(frame)
            text = (
                f"{count} of {self.limit} sessions in use"
                if self.limit
                else f"{count} session{'s' * (count != 1)}"
            )
            self._usage.value = f'<span style="margin-left:12px">{html.escape(text)}</span>'
        self._update_selection()

    def _update_selection(self) -> None:
        """Disconnect acts on the selected row, and only on someone else's session."""
        row = self.controller.row(self.selected) if self.selected else None
        if row is None:
            self._disconnect_button.disabled = True
            others = self.frame is not None and not self.frame["MySession"].fillna(False).astype(bool).all()
            hint = "Click a row to select a session." if others else ""
        elif self.controller.is_mine(self.selected or ""):
            self._disconnect_button.disabled = True
            hint = f"Selected: {_label(row)}. That is your own session: log out to end it."
        else:
            self._disconnect_button.disabled = False
            hint = f"Selected: {_label(row)}"
        self._selection.value = f'<span class="rfnb-status" style="{css("text")}">{html.escape(hint)}</span>'

    def select(self, uri: str | None) -> None:
        """Select a session by URI (what clicking its row does); None clears the selection."""
        self.selected = uri
        self._grid.mark(uri)
        self.cancel_disconnect()
        self._update_selection()

    @property
    def frame(self) -> pd.DataFrame | None:
        """The sessions as last read (a sessions_frame, roles filled in), None before the first read."""
        return self.controller.frame

    @property
    def status_text(self) -> str:
        return status_text(self._status.value)

    # -- actions -----------------------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the sessions again. Never raises: errors (e.g. 403 for a ReadOnly user) go to the status line."""
        with self._lock:
            try:
                with busy(self._refresh_button):
                    frame = self.controller.refresh()
            except Exception as exc:  # noqa: BLE001 - shown, not raised (callbacks are invisible otherwise)
                self._show(self.controller.frame)
                self._status.value = status_html(friendly_error(exc), "error")
                return False
            self._show(frame)
            self._status.value = source_status(self.controller.source, "")
            return True

    def ask_disconnect(self, uri: str | None = None) -> None:
        """Show the confirmation for the selected session (or ``uri``)."""
        uri = uri or self.selected
        if not uri:
            self._status.value = status_html("Click a row to select a session first.", "info")
            return
        self._pending = uri
        row = self.controller.row(uri)
        who = _label(row) if row is not None else uri
        question = f"Disconnect {who}? Its user is logged out at once."
        if self.controller.is_mine(uri):
            question = f"This is your own session ({who}): disconnecting it logs you out."
        self._question.value = status_html(question, "warning")
        self._confirm_box.layout.display = "flex"

    def cancel_disconnect(self) -> None:
        self._pending = None
        self._confirm_box.layout.display = "none"

    def confirm_disconnect(self) -> bool:
        """Disconnect the session the confirmation was about; then refresh."""
        uri, self._pending = self._pending, None
        self._confirm_box.layout.display = "none"
        if not uri:
            return False
        try:
            with busy(self._confirm_button, self._disconnect_button, self._refresh_button):
                message = self.controller.disconnect(uri)
        except Exception as exc:  # noqa: BLE001
            self._status.value = status_html(friendly_error(exc), "error")
            return False
        self.selected = None
        if self.controller.client is not None:
            self.refresh()
        else:
            self.controller.frame = None
            self._show(None)
        self._status.value = status_html(message, "ok")
        return True

    # -- following a LoginPanel, auto-refresh ------------------------------------------------------------------

    def _on_client_change(self, client: Any) -> None:
        if client is None:
            self.controller.frame = None
            self._show(None)
            self._status.value = ""
        else:
            self.refresh()

    def _set_auto(self, on: bool) -> None:
        if on:
            self.start_auto_refresh()
        else:
            self.stop_auto_refresh()

    def start_auto_refresh(self) -> None:
        """Refresh every ``interval`` seconds in a daemon thread until stopped or closed.

        It idles while there is no live client (a panel logged out, a client closed): it never logs in by itself.
        """
        if self._timer is not None and self._timer.is_alive():
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                if self.controller.client is not None:
                    self.refresh()

        self._timer = threading.Thread(target=loop, name="rfnb-sessions-auto-refresh", daemon=True)
        self._timer.start()

    def stop_auto_refresh(self, timeout: float = 5.0) -> None:
        self._stop.set()
        timer, self._timer = self._timer, None
        if timer is not None and timer is not threading.current_thread():
            timer.join(timeout)
        if self._auto.value:
            self._auto.value = False

    @property
    def auto_refreshing(self) -> bool:
        return self._timer is not None and self._timer.is_alive()

    def close(self) -> None:
        """Stop auto-refresh and log out the client made through a target (a client or panel is left alone)."""
        self.stop_auto_refresh()
        self.controller.source.close()
        super().close()

    # -- rendering ---------------------------------------------------------------------------------------------

    def _text_summary(self) -> str:
        frame = self.controller.frame
        if frame is None:
            return "SessionTable(not logged in)"
        mine = int(frame["MySession"].fillna(False).sum())
        limit = f", limit {self.limit}" if self.limit else ""
        return f"SessionTable({len(frame)} sessions, {mine} yours{limit})"

    def _static_html(self) -> str:
        frame = self.controller.frame
        if frame is None:
            table = self._empty.value
        else:
            styler = sessions_styler(frame, columns=self.columns)
            table = StyledFrame(frame, styler, empty_text=_NO_SESSIONS, text_index=False).to_html()
        return f'<div class="rfnb-sessions rfnb-static">{self._usage.value}{table}{self._status.value}</div>'


_NO_SESSIONS = "No sessions."
