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

from ..tables import same_uri, sessions_frame
from ._common import ClientSource, StaticRenderMixin, busy, friendly_error, status_html, status_text, tagged
from ._styles import StyledFrame, format_cell, is_true, sessions_styler

__all__ = ["SessionTable", "SessionTableController"]


class SessionTableController:
    """Reads the sessions and disconnects one, for a client or a LoginPanel; no widgets involved."""

    def __init__(self, source: Any) -> None:
        self.source = ClientSource(source)
        self.frame: pd.DataFrame | None = None

    @property
    def client(self) -> Any:
        return self.source.client

    def refresh(self) -> pd.DataFrame:
        client = self.client
        if client is None:
            self.frame = None
            raise ValueError("Not logged in: log in with the panel above to see the sessions.")
        self.frame = sessions_frame(client)
        return self.frame

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
        client = self.client
        if client is None:
            raise ValueError("Not logged in.")
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
    details = ", ".join(format_cell(row[c]) for c in ("UserTag", "UserIP") if row[c] is not pd.NA)
    if details:
        parts.append(f"({details})")
    parts.append(str(row["Id"]))
    if is_true(row["MySession"]):
        parts.append("— you")
    return " ".join(parts)


class SessionTable(StaticRenderMixin, w.VBox):
    """The styled session table with Refresh, Disconnect (confirmed first) and optional auto-refresh.

    ``source`` is a client or a LoginPanel (then the table follows log-ins and log-outs). ``limit`` is the BMC's
    session limit when you know it (iLO does not publish it; the mock's is ``MockBMC(session_limit=...)``).
    """

    def __init__(
        self, source: Any, *, limit: int | None = None, auto_refresh: bool = False, interval: int = 10
    ) -> None:
        self.controller = SessionTableController(source)
        self.limit = limit
        self._timer: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()

        self._table = tagged(w.HTML(), "rfnb-session-table")
        self._usage = tagged(w.HTML(), "rfnb-sessions-usage")
        self._status = tagged(w.HTML(), "rfnb-sessions-status")
        self._refresh_button = tagged(
            w.Button(description="Refresh", icon="refresh"), "rfnb-sessions-refresh"
        )
        self._select = tagged(
            w.Dropdown(options=[], description="Session", layout=w.Layout(width="520px")),
            "rfnb-sessions-select",
        )
        self._disconnect_button = tagged(
            w.Button(description="Disconnect…", button_style="warning", icon="unlink"),
            "rfnb-sessions-disconnect",
        )
        self._question = w.HTML()
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
        self.interval = float(interval)
        self._pending: str | None = None

        self._refresh_button.on_click(lambda _b: self.refresh())
        self._disconnect_button.on_click(lambda _b: self.ask_disconnect())
        self._confirm_button.on_click(lambda _b: self.confirm_disconnect())
        self._cancel_button.on_click(lambda _b: self.cancel_disconnect())
        self._auto.observe(lambda c: self._set_auto(bool(c["new"])), names="value")
        self._interval.observe(lambda c: setattr(self, "interval", float(c["new"])), names="value")
        self.controller.source.on_change(self._on_client_change)

        super().__init__(
            [
                w.HBox([self._refresh_button, self._auto, self._interval, w.Label("s"), self._usage]),
                self._table,
                w.HBox([self._select, self._disconnect_button]),
                self._confirm_box,
                self._status,
            ]
        )
        self.add_class("rfnb-sessions")
        if self.controller.client is not None:
            self.refresh()
        else:
            self._show(None)
        if auto_refresh:
            self._auto.value = True

    # -- display -----------------------------------------------------------------------------------------------

    def _styled(self, frame: pd.DataFrame) -> StyledFrame:
        return StyledFrame(frame, sessions_styler(frame), empty_text="No sessions.", text_index=False)

    def _show(self, frame: pd.DataFrame | None) -> None:
        if frame is None:
            self._table.value = '<div class="rfnb-empty">Not logged in.</div>'
            self._select.options = []
            self._usage.value = ""
            return
        self._table.value = self._styled(frame).to_html()
        options = [(_label(row), row["URI"]) for _, row in frame.iterrows() if row["URI"] is not pd.NA]
        previous = self._select.value
        self._select.options = options
        uris = [uri for _, uri in options]
        if previous in uris:
            self._select.value = previous
        elif uris:
            # Preselect someone else's session (the usual one to disconnect); the confirmation step follows anyway.
            others = [uri for uri in uris if not self.controller.is_mine(uri)]
            self._select.value = (others or uris)[0]
        count = len(frame)
        text = (
            f"{count} of {self.limit} sessions in use"
            if self.limit
            else f"{count} session{'s' * (count != 1)}"
        )
        self._usage.value = f'<span style="margin-left:12px">{html.escape(text)}</span>'

    @property
    def frame(self) -> pd.DataFrame | None:
        """The sessions as last read (a sessions_frame), None before the first read."""
        return self.controller.frame

    @property
    def status_text(self) -> str:
        return status_text(self._status.value)

    # -- actions -----------------------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the sessions again. Never raises: errors (e.g. 403 for a ReadOnly user) go to the status line."""
        with self._lock:
            try:
                with busy(self._refresh_button, self._disconnect_button):
                    frame = self.controller.refresh()
            except Exception as exc:  # noqa: BLE001 - shown, not raised (callbacks are invisible otherwise)
                self._show(self.controller.frame)
                self._status.value = status_html(friendly_error(exc), "error")
                return False
            self._show(frame)
            self._status.value = ""
            return True

    def ask_disconnect(self, uri: str | None = None) -> None:
        """Show the confirmation for the selected session (or ``uri``)."""
        uri = uri or self._select.value
        if not uri:
            self._status.value = status_html("Select a session first.", "info")
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
        if self.controller.client is not None and not getattr(self.controller.client, "closed", False):
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
        """Refresh every ``interval`` seconds in a daemon thread until stopped or closed (idle while logged out)."""
        if self._timer is not None and self._timer.is_alive():
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(self.interval):
                client = self.controller.client
                if client is None or getattr(client, "closed", False):
                    continue
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
        self.stop_auto_refresh()
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
        return f'<div class="rfnb-sessions rfnb-static">{self._usage.value}{self._table.value}</div>'
