"""ExchangeLog: the last HTTP exchanges of a client, each with its request, headers, JSON and cURL equivalent.

Seeing the wire is how people learn Redfish: the POST that created the session, the 201 with ``Location``, the
401 after a timeout, the ``ETag`` a PATCH must send back. So every header is shown as the BMC sent it; only
secrets are masked (``X-Auth-Token`` as its first four characters and ``…``, ``Authorization`` as ``Basic ***``,
cookie values as ``***``). The client records exchanges already redacted; this view redacts once more.

DOM hooks: each entry is a ``<details class="rfnb-exchange-item">``; click its ``summary.rfnb-exchange-summary`` to
expand it. Inside, ``details.rfnb-exchange-part`` blocks hold the headers, bodies and cURL.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from ..exchanges import redact_headers
from ._common import (
    ClientSource,
    SourceUnavailable,
    StaticRenderMixin,
    is_closed,
    redact,
    status_html,
    tagged,
)
from ._theme import css, restart_note

__all__ = ["ExchangeLog", "mask_headers", "render_exchange"]


def _summary(exchange: Any) -> str:
    summary = getattr(exchange, "summary", None)
    if callable(summary):
        return str(summary())
    status = getattr(exchange, "status", None)
    return f"{getattr(exchange, 'method', '?')} {getattr(exchange, 'url', '?')} -> {status}"


def mask_headers(headers: Mapping[str, str] | None) -> str:
    """Every header as ``Name: value``, verbatim except the secrets (token, Authorization, cookies)."""
    masked = redact_headers(dict(headers or {}))
    return redact("\n".join(f"{name}: {value}" for name, value in masked.items()))


def _part(title: str, text: str, *, is_open: bool = False) -> str:
    return (
        f'<details class="rfnb-exchange-part"{" open" if is_open else ""}><summary>{html.escape(title)}</summary>'
        f'<pre style="{css("text")};max-height:360px;overflow:auto;white-space:pre-wrap;'
        f'overflow-wrap:anywhere">{html.escape(text)}</pre></details>'
    )


def _body(value: Any, text: str | None) -> str:
    if value is not None:
        return redact(json.dumps(value, indent=2, ensure_ascii=False))
    return redact(text or "")


def render_exchange(exchange: Any) -> str:
    """One exchange as collapsible HTML: summary line; request/response headers, JSON bodies and cURL inside."""
    ok = getattr(exchange, "ok", True)
    parts = []
    if hasattr(exchange, "request_headers") or hasattr(exchange, "response_headers"):
        parts.append(_part("Request headers", mask_headers(getattr(exchange, "request_headers", None))))
        request = _body(getattr(exchange, "request_json", None), None)
        if request:
            parts.append(_part("Request body", request))
        parts.append(_part("Response headers", mask_headers(getattr(exchange, "response_headers", None))))
        response = _body(getattr(exchange, "response_json", None), getattr(exchange, "response_text", None))
        if response:
            parts.append(_part("Response body", response))
        to_curl = getattr(exchange, "to_curl", None)
        if callable(to_curl):
            parts.append(_part("cURL", redact(str(to_curl()))))
    elif hasattr(exchange, "_repr_html_"):
        parts.append(redact(exchange._repr_html_()))
    return (
        f'<details class="rfnb-exchange-item"><summary class="rfnb-exchange-summary" '
        f'style="{css("ok" if ok else "error")};cursor:pointer"><code style="color:inherit;background-color:transparent">'
        f"{html.escape(redact(_summary(exchange)))}</code></summary>{''.join(parts)}</details>"
    )


class ExchangeLog(StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """The last ``last`` exchanges of a client (or of a LoginPanel's current client, or a target's), newest last.

    It updates by itself as the client sends requests (it subscribes to ``client.exchanges``); ``refresh()``
    redraws on demand, and follows a new client when the source has logged in again.
    """

    def __init__(self, source: Any, *, last: int = 10) -> None:
        self.source = ClientSource(source)
        self.last = last
        self._unsubscribe: Any = None
        self._followed: Any = None
        self._lock = threading.RLock()
        self._html = tagged(w.HTML(), "rfnb-exchange-log")
        self._count = w.HTML()
        self._status = tagged(w.HTML(), "rfnb-exchanges-status")
        self._status.add_class("rfnb-status-block")
        self._refresh_button = tagged(
            w.Button(description="Refresh", icon="refresh"), "rfnb-exchanges-refresh"
        )
        self._clear_button = tagged(w.Button(description="Clear", icon="trash"), "rfnb-exchanges-clear")
        self._refresh_button.on_click(lambda _b: self.refresh(login=True))
        self._clear_button.on_click(lambda _b: self.clear())
        self.source.on_change(lambda _client: self.refresh())  # refresh() follows a new client
        super().__init__(
            [
                restart_note(),
                w.HBox([self._refresh_button, self._clear_button, self._count]),
                self._status,
                self._html,
            ]
        )
        self.add_class("rfnb-exchanges")
        self.refresh(login=True)

    def _exchanges(self) -> Any:
        client = self.source.current  # a closed client's log still shows how it ended (the DELETE)
        return getattr(client, "exchanges", None) if client is not None else None

    def _follow(self) -> None:
        """Subscribe to the current client's exchange log (and drop the previous client's)."""
        with self._lock:
            if self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
            self._followed = self.source.current
            subscribe = getattr(getattr(self._followed, "exchanges", None), "subscribe", None)
            if callable(subscribe):
                self._unsubscribe = subscribe(lambda _exchange: self.refresh())

    def items(self) -> list[Any]:
        """The exchanges currently shown."""
        exchanges = self._exchanges()
        if exchanges is None:
            return []
        return list(exchanges[-self.last :]) if self.last > 0 else []

    def _check_source(self, login: bool) -> None:
        """Log in through a target if asked, follow a new client, and say why nothing is shown."""
        self._status.value = ""
        if self.source.kind == "client":
            # A log needs no live session: a closed client's exchanges are its history, ending with the logout.
            if is_closed(self.source.current):
                self._status.value = status_html(
                    "This client has logged out; its log ends with that.", "info"
                )
        elif login or self.source.kind != "target":
            try:
                self.source.get()
            except SourceUnavailable as exc:
                kind = "info" if self.source.kind == "panel" else "error"
                self._status.value = status_html(str(exc), kind)
        notice = self.source.take_notice()
        if notice:
            self._status.value = status_html(notice, "ok")
        if self.source.current is not self._followed:
            self._follow()

    def refresh(self, *, login: bool = False) -> None:
        """Redraw (never raises: it also runs in the client's threads). ``login`` lets a target log in."""
        try:
            with self._lock:
                if login or self.source.current is not self._followed:
                    self._check_source(login)
                items = self.items()
                total = len(self._exchanges() or [])
                if not items:
                    self._html.value = '<div class="rfnb-empty">No exchanges yet.</div>'
                else:
                    self._html.value = "".join(render_exchange(e) for e in items)
                shown = f" (last {len(items)})" if len(items) < total else ""
                self._count.value = f'<span style="margin-left:12px">{total} exchanges{shown}</span>'
        except Exception as exc:  # noqa: BLE001 - called from the client's threads; never raise there
            self._html.value = status_html(redact(str(exc)), "error")

    def clear(self) -> None:
        """Forget the client's recorded exchanges (the BMC is not affected)."""
        exchanges = self._exchanges()
        if exchanges is not None and hasattr(exchanges, "clear"):
            exchanges.clear()
        self.refresh()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.source.close()
        super().close()

    def _text_summary(self) -> str:
        items = self.items()
        lines = [f"ExchangeLog({len(items)} shown)"] + [f"  {redact(_summary(e))}" for e in items]
        return "\n".join(lines)

    def _static_html(self) -> str:
        return f'<div class="rfnb-exchanges rfnb-static">{self._count.value}{self._html.value}</div>'
