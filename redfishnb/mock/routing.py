"""The route table: URI patterns to handlers, with the privilege each method needs — declared, not coded.

Paths match case-insensitively and with or without a trailing slash, as on iLO (the DMTF library even GETs
``/redfish/v1/systems/``). Each :class:`Route` lists its methods, the iLO privilege each one requires, and the
methods open without authentication (service root, OData documents, the login POST).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[Any], Any]

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass
class Route:
    pattern: str
    methods: dict[str, tuple[Handler, str | None]]  # method -> (handler, iLO privilege or None)
    name: str = ""
    public: frozenset[str] = frozenset()  # methods answered without authentication
    allow: str = field(init=False, default="")
    media_type: str = "application/json"  # what a GET returns, for Accept negotiation
    regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = []
        pos = 0
        for m in _PARAM.finditer(self.pattern):
            parts.append(re.escape(self.pattern[pos : m.start()]))
            parts.append(f"(?P<{m.group(1)}>[^/]+)")
            pos = m.end()
        parts.append(re.escape(self.pattern[pos:]))
        self.regex = re.compile("".join(parts), re.IGNORECASE)
        if "GET" in self.methods and "HEAD" not in self.methods:
            self.methods["HEAD"] = self.methods["GET"]
        if "GET" in self.public:
            self.public = self.public | {"HEAD"}
        self._refresh_allow()

    def _refresh_allow(self) -> None:
        order = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        self.allow = ", ".join(m for m in order if m in self.methods)  # the Allow header

    def add_method(self, method: str, handler: Handler, privilege: str | None) -> None:
        """Add a method after construction (the documented surface adds PATCH where HPE documents one)."""
        self.methods[method] = (handler, privilege)
        self._refresh_allow()


def normalize(path: str) -> str:
    """``/redfish/v1/Systems/`` and ``/redfish/v1/Systems`` are one resource; ``//`` collapses."""
    if "//" in path:
        path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


class Router:
    """First match wins; put literal routes before patterns that could swallow them."""

    def __init__(self, routes: Iterable[Route] = ()) -> None:
        self.routes: list[Route] = list(routes)

    def add(self, route: Route) -> None:
        self.routes.append(route)

    def put(self, route: Route) -> None:
        """Add ``route``, taking the place of a route with the same pattern (a flavour's own version of it)."""
        for i, existing in enumerate(self.routes):
            if existing.pattern == route.pattern:
                self.routes[i] = route
                return
        self.routes.append(route)

    def match(self, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            m = route.regex.fullmatch(path)
            if m:
                return route, m.groupdict()
        return None, {}


def collection_routes(
    path: str,
    member: str,
    names: tuple[str, str],
    *,
    read: tuple[Handler, Handler],
    create: tuple[Handler, str] | None = None,
    delete: tuple[Handler, str] | None = None,
) -> list[Route]:
    """A collection and its member URI, both readable with LoginPriv, as most iLO collections are; ``create`` is
    the collection's POST and ``delete`` the member's DELETE, each with its privilege."""
    listing: dict[str, tuple[Handler, str | None]] = {"GET": (read[0], "LoginPriv")}
    one: dict[str, tuple[Handler, str | None]] = {"GET": (read[1], "LoginPriv")}
    if create is not None:
        listing["POST"] = create
    if delete is not None:
        one["DELETE"] = delete
    return [Route(path, listing, name=names[0]), Route(member, one, name=names[1])]
