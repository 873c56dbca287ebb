"""The mock's own request and response objects, independent of the HTTP server that carries them.

Handlers receive a :class:`Request` and return a :class:`Response` (or a dict, meaning 200 with that JSON body),
or raise :class:`Problem` to answer with a Redfish error. Keeping these plain makes the application testable
without sockets and keeps ``http.server`` details inside ``server.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"


class Headers(dict[str, str]):
    """Case-insensitive read access to request headers (keys stored lower-case)."""

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> Headers:
        h = cls()
        for k, v in pairs:
            h[k.lower()] = v
        return h

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Request:
    method: str
    path: str  # the path without the query string, percent-decoding not applied
    query: list[tuple[str, str | None]]  # in order; value None for a bare key such as "?only"
    headers: Headers
    body: bytes = b""
    client_ip: str = "127.0.0.1"
    peer_cert_der: bytes | None = field(default=None, repr=False)
    host: str = "127.0.0.1"  # host part the client addressed (Host header), for absolute Location URLs

    # Per-request scratchpad: a request that reads many members (``$expand`` of JsonSchemas, the
    # ResourceDirectory) walks the resource tree once, not once per member.
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False)


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    etag_salt: str = ""  # mixed into the ETag (e.g. an account's generation, which its body does not show)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, indent=None, separators=(",", ":"), ensure_ascii=False).encode()


class Problem(Exception):
    """Raised by handlers: answer with ``status`` and the registry message ``key`` (and more items if given)."""

    def __init__(
        self,
        status: int,
        key: str,
        *args: Any,
        headers: Mapping[str, str] | None = None,
        extra: list[tuple[str, tuple[Any, ...]]] | None = None,
        related: list[str] | None = None,
        items: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(f"{status} {key}")
        self.status = status
        self.key = key
        self.args_ = args
        self.headers = dict(headers or {})
        self.extra = extra or []
        self.related = related
        self.items = items  # ready-made message items, used instead of key/extra (e.g. a PATCH's list)
