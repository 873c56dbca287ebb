"""ResourceBrowser: explore a Redfish API by following its links, the way the specification intends.

Redfish clients should discover URIs from ``@odata.id`` links starting at ``/redfish/v1/`` rather than type
them. The browser shows a resource's status, headers, JSON and the cURL command, and one button per link it
contains. ``$select`` and iLO's ``?only`` are offered when the service root advertises them
(``ProtocolFeaturesSupported.SelectQuery`` / ``OnlyMemberQuery``). A 401 or 403 on the way is shown as the typed
error — for a 403, which privilege was missing — and the page keeps its links so you can go back.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from ..errors import RedfishError
from ..tables import service_root
from ._common import (
    ClientSource,
    ClosesSourceMixin,
    SourceUnavailable,
    StaticRenderMixin,
    busy,
    friendly_error,
    on_enter,
    redact,
    source_status,
    status_html,
    tagged,
)
from ._theme import css, restart_note

__all__ = ["ResourceBrowser", "ResourceView", "find_links"]

ROOT = "/redfish/v1/"
_MAX_LINKS = 200


def find_links(body: Any, *, skip: str | None = None) -> list[tuple[str, str]]:
    """Every ``@odata.id`` inside a body, as (where it was found, URI), in document order, without duplicates.

    ``skip`` (the resource's own URI) is left out. The "where" is a short JSON path such as ``Members[3]`` or
    ``Links.Sessions``, which is what people recognise.
    """
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    own = (skip or "").rstrip("/")

    def walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, Mapping):
            target = value.get("@odata.id")
            if isinstance(target, str) and path:
                yield path, target
            for key, child in value.items():
                if key != "@odata.id":
                    yield from walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, f"{path}[{index}]")

    for where, uri in walk(body, ""):
        norm = uri.rstrip("/")
        if norm == own or norm in seen:
            continue
        seen.add(norm)
        found.append((where, uri))
        if len(found) >= _MAX_LINKS:
            break
    return found


def _recorded_exchange(client: Any, uri: str) -> Any:
    """The client's record of the GET just sent to ``uri`` (other threads may have logged exchanges since)."""
    exchanges = getattr(client, "exchanges", None)
    if not exchanges:
        return None
    path = uri.split("?", 1)[0].rstrip("/")
    for exchange in reversed(list(exchanges[-8:])):
        if getattr(exchange, "method", "") == "GET" and path in getattr(exchange, "url", ""):
            return exchange
    return None


@dataclass
class ResourceView:
    """What the browser shows for one GET: status, headers, body, cURL and the typed error if it failed."""

    uri: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    curl: str = ""
    error: RedfishError | None = None

    @property
    def links(self) -> list[tuple[str, str]]:
        return find_links(self.body, skip=self.uri) if self.error is None else []


class ResourceBrowser(ClosesSourceMixin, StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
    """Start at the service root and follow links with a click. ``source``: a client, a LoginPanel or a target.

    When the client goes away (logged out by the panel or by a later cell) the page is cleared rather than left
    on screen as if it were live. DOM hooks: links are buttons with class ``rfnb-browser-link`` (their text is
    where the link was found, e.g. ``Systems``; the tooltip is the URI), inside ``.rfnb-browser-links``.
    """

    def __init__(self, source: Any, *, start: str = ROOT) -> None:
        self.source = ClientSource(source)
        self.start = start
        self.history: list[str] = []
        self.view: ResourceView | None = None  # the page shown (its links are the buttons)
        self.last: ResourceView | None = None  # the last GET, successful or not

        self._path = tagged(
            w.Text(value=start, description="URI", layout=w.Layout(width="520px")), "rfnb-browser-path"
        )
        self._go = tagged(w.Button(description="Go", button_style="primary"), "rfnb-browser-go")
        self._back = tagged(
            w.Button(description="Back", icon="arrow-left", disabled=True), "rfnb-browser-back"
        )
        self._root_button = tagged(w.Button(description="Root", icon="home"), "rfnb-browser-root")
        self._select = tagged(
            w.Text(description="$select", placeholder="e.g. Id,Name,Status", layout=w.Layout(width="320px")),
            "rfnb-browser-select",
        )
        self._only = tagged(
            w.Checkbox(description="?only (single-member collections)", indent=False), "rfnb-browser-only"
        )
        self._status = tagged(w.HTML(), "rfnb-browser-status")
        self._status.add_class("rfnb-status-block")
        self._links = tagged(w.Box(layout=w.Layout(flex_flow="row wrap")), "rfnb-browser-links")
        self._detail = tagged(w.HTML(), "rfnb-browser-detail")

        self._go.on_click(lambda _b: self.navigate(self._path.value))
        self._back.on_click(lambda _b: self.back())
        self._root_button.on_click(lambda _b: self.navigate(ROOT))
        on_enter(self._path, lambda: self.navigate(self._path.value))
        self.source.on_change(lambda _client: self._restart())
        super().__init__(
            [
                restart_note(),
                w.HBox([self._back, self._root_button, self._path, self._go]),
                w.HBox([self._select, self._only]),
                self._status,
                self._links,
                self._detail,
            ]
        )
        self.add_class("rfnb-browser")
        self._restart()

    def _restart(self) -> None:
        self.history.clear()
        try:
            client = self.source.get()
        except SourceUnavailable as exc:
            self._clear(str(exc))
            return
        self._offer_query_options(client)
        self.navigate(self.start, remember=False)

    def _clear(self, why: str) -> None:
        """No live client: drop the page (links, JSON) so nothing old passes for the BMC's current state."""
        self.view = None
        self.history.clear()
        self._back.disabled = True
        for old in self._links.children:
            old.close()
        self._links.children = ()
        self._detail.value = ""
        self._status.value = status_html(why, "info" if self.source.kind == "panel" else "error")

    def _offer_query_options(self, client: Any) -> None:
        """Enable $select / ?only only where the service root says it implements them."""
        try:
            features = service_root(client).get("ProtocolFeaturesSupported") or {}
        except RedfishError:
            features = {}
        self._select.disabled = not features.get("SelectQuery")
        self._only.disabled = not features.get("OnlyMemberQuery")
        if self._select.disabled:
            self._select.value = ""
        if self._only.disabled:
            self._only.value = False

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self._select.value.strip() and not self._select.disabled:
            params["$select"] = self._select.value.strip()
        if self._only.value and not self._only.disabled:
            params["only"] = None
        return params

    # -- navigation --------------------------------------------------------------------------------------------

    def fetch(self, uri: str) -> ResourceView:
        """GET ``uri`` with the chosen query options; a failure becomes a view carrying the typed error."""
        client = self.source.get()
        view = ResourceView(uri=uri)
        try:
            response = client.get(uri, params=self._params() or None)
        except RedfishError as exc:
            view.error = exc
            response = exc.response
        if response is not None:
            view.status = response.status
            view.headers = dict(response.headers or {})
            view.body = response.json
        recorded = _recorded_exchange(client, uri)
        if recorded is not None:
            # The client's record is already redacted (token shortened, secrets masked): show that one.
            view.headers = dict(recorded.response_headers or view.headers)
            if recorded.response_json is not None:
                view.body = recorded.response_json
            view.curl = recorded.to_curl()
        return view

    def navigate(self, uri: str, *, remember: bool = True) -> bool:
        """Show ``uri``. Returns False when it failed (the status line then holds the typed error's message)."""
        uri = (uri or ROOT).strip()
        try:
            with busy(self._go, self._back, self._root_button):
                view = self.fetch(uri)
        except SourceUnavailable as exc:
            self._clear(str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            self._status.value = status_html(friendly_error(exc), "error")
            return False
        self.last = view
        if view.error is not None and self.view is not None:
            # Not a dead end: the error is shown, the page we came from keeps its links and Back.
            self._render_error(view)
            return False
        if remember and self.view is not None and self.view.uri != uri:
            self.history.append(self.view.uri)
        self.view = view
        self._path.value = uri
        self._back.disabled = not self.history
        self._render(view)
        return view.error is None

    def back(self) -> bool:
        if not self.history:
            return False
        return self.navigate(self.history.pop(), remember=False)

    def follow(self, index: int) -> bool:
        """Follow the ``index``-th link of the current resource (what clicking its button does)."""
        if self.view is None:
            return False
        return self.navigate(self.view.links[index][1])

    # -- rendering ---------------------------------------------------------------------------------------------

    @staticmethod
    def _error_text(view: ResourceView) -> str:
        privilege = getattr(view.error, "privilege", None)
        extra = f"\nMissing privilege: {privilege}" if privilege else ""
        status = f"HTTP {view.status}: " if view.status else ""
        return f"{view.uri}\n{status}{friendly_error(view.error)}{extra}"  # type: ignore[arg-type]

    def _render_error(self, view: ResourceView) -> None:
        self._status.value = status_html(self._error_text(view), "error")
        self._detail.value = self._detail_html(view)

    def _render(self, view: ResourceView) -> None:
        if view.error is not None:
            self._status.value = status_html(self._error_text(view), "error")
        else:
            self._status.value = source_status(self.source, f"HTTP {view.status} — {view.uri}")
        buttons = []
        for where, target in view.links:
            button = w.Button(description=where, tooltip=target, layout=w.Layout(width="auto"))
            button.add_class("rfnb-browser-link")
            button.on_click(lambda _b, t=target: self.navigate(t))
            buttons.append(button)
        for old in self._links.children:
            old.close()
        self._links.children = tuple(buttons)
        self._detail.value = self._detail_html(view)

    @staticmethod
    def _detail_html(view: ResourceView) -> str:
        headers = "\n".join(f"{k}: {v}" for k, v in view.headers.items())
        body = json.dumps(view.body, indent=2, ensure_ascii=False) if view.body is not None else ""
        parts = [
            ("Response headers", headers, False),
            ("JSON", body, True),
            ("cURL", view.curl, False),
        ]
        return "".join(
            f"<details{' open' if is_open else ''}><summary>{html.escape(title)}</summary>"
            f'<pre style="{css("text")};max-height:400px;overflow:auto">{html.escape(redact(text))}</pre></details>'
            for title, text, is_open in parts
            if text
        )

    def _text_summary(self) -> str:
        if self.view is None:
            return "ResourceBrowser(not logged in)"
        stale = ", logged out since: not live" if self.source.stale else ""
        return f"ResourceBrowser({self.view.uri} -> {self.view.status}, {len(self.view.links)} links{stale})"

    def _static_html(self) -> str:
        links = "".join(
            f'<li><code style="{css("link")}">{html.escape(u)}</code> ({html.escape(where)})</li>'
            for where, u in (self.view.links if self.view else [])
        )
        stale = (
            status_html("The client that read this page has logged out since: it is not live.", "error")
            if self.source.stale
            else ""
        )
        return (
            f'<div class="rfnb-browser rfnb-static">{stale}{self._status.value}'
            f"{f'<ul>{links}</ul>' if links else ''}{self._detail.value}</div>"
        )
