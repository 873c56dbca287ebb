"""ExchangeLog: the last HTTP exchanges of a client, each with its request, headers, JSON and cURL equivalent.

Seeing the wire is how people learn Redfish: the POST that created the session, the 201 with ``Location``, the
401 after a timeout. The client records every exchange already redacted (token as ``abcd…``, ``Authorization`` as
``Basic ***``, passwords as ``***``); this view redacts once more before anything reaches the screen.
"""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as w

from ._common import ClientSource, StaticRenderMixin, redact, tagged

__all__ = ["ExchangeLog", "render_exchange"]


def _summary(exchange: Any) -> str:
    summary = getattr(exchange, "summary", None)
    if callable(summary):
        return str(summary())
    status = getattr(exchange, "status", None)
    return f"{getattr(exchange, 'method', '?')} {getattr(exchange, 'url', '?')} -> {status}"


def render_exchange(exchange: Any) -> str:
    """One exchange as collapsible HTML (summary line; request/response headers, JSON bodies and cURL inside)."""
    body = (
        exchange._repr_html_()
        if hasattr(exchange, "_repr_html_")
        else f"<pre>{html.escape(_summary(exchange))}</pre>"
    )
    ok = getattr(exchange, "ok", True)
    colour = "#1e7e34" if ok else "#b00020"
    return (
        f'<details class="rfnb-exchange-item"><summary style="color:{colour}"><code>'
        f"{html.escape(redact(_summary(exchange)))}</code></summary>{redact(body)}</details>"
    )


class ExchangeLog(StaticRenderMixin, w.VBox):
    """The last ``last`` exchanges of a client (or of a LoginPanel's current client), newest last.

    It updates by itself as the client sends requests (it subscribes to ``client.exchanges``); ``refresh()``
    redraws on demand.
    """

    def __init__(self, source: Any, *, last: int = 10) -> None:
        self.source = ClientSource(source)
        self.last = last
        self._unsubscribe: Any = None
        self._lock = threading.Lock()
        self._html = tagged(w.HTML(), "rfnb-exchange-log")
        self._count = w.HTML()
        self._refresh_button = tagged(
            w.Button(description="Refresh", icon="refresh"), "rfnb-exchanges-refresh"
        )
        self._clear_button = tagged(w.Button(description="Clear", icon="trash"), "rfnb-exchanges-clear")
        self._refresh_button.on_click(lambda _b: self.refresh())
        self._clear_button.on_click(lambda _b: self.clear())
        self.source.on_change(lambda _client: self._follow())
        super().__init__([w.HBox([self._refresh_button, self._clear_button, self._count]), self._html])
        self.add_class("rfnb-exchanges")
        self._follow()

    def _exchanges(self) -> Any:
        client = self.source.client
        return getattr(client, "exchanges", None) if client is not None else None

    def _follow(self) -> None:
        """Subscribe to the current client's exchange log (and drop the previous client's)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        exchanges = self._exchanges()
        subscribe = getattr(exchanges, "subscribe", None)
        if callable(subscribe):
            self._unsubscribe = subscribe(lambda _exchange: self.refresh())
        self.refresh()

    def items(self) -> list[Any]:
        """The exchanges currently shown."""
        exchanges = self._exchanges()
        if exchanges is None:
            return []
        return list(exchanges[-self.last :]) if self.last > 0 else []

    def refresh(self) -> None:
        try:
            with self._lock:
                items = self.items()
                total = len(self._exchanges() or [])
                if not items:
                    self._html.value = '<div class="rfnb-empty">No exchanges yet.</div>'
                else:
                    self._html.value = "".join(render_exchange(e) for e in items)
                shown = f" (last {len(items)})" if len(items) < total else ""
                self._count.value = f'<span style="margin-left:12px">{total} exchanges{shown}</span>'
        except Exception as exc:  # noqa: BLE001 - called from the client's threads; never raise there
            self._html.value = f'<div class="rfnb-status-error">{html.escape(redact(str(exc)))}</div>'

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
        super().close()

    def _text_summary(self) -> str:
        items = self.items()
        lines = [f"ExchangeLog({len(items)} shown)"] + [f"  {redact(_summary(e))}" for e in items]
        return "\n".join(lines)

    def _static_html(self) -> str:
        return f'<div class="rfnb-exchanges rfnb-static">{self._count.value}{self._html.value}</div>'
