"""A BMC's answer as the kit hands it out: :class:`Response`, its body parsed once, its error typed one way.

The body is parsed when the answer arrives (:func:`parse_body`), so a broken body raises a typed error at the
request, not later at ``.json``; the fleet's lean Basic channel parses with the same function. Which error an
error status is comes from :meth:`Response.error`: the auth object that sent the request words a 401 first
(a refused Basic login, or a client with no credentials at all, is not an expired session), then the MessageId
and status tables of :mod:`redfishnb.errors` decide, and the auth object rewords what names iLO's privileges on
a DMTF-standard service. ``request()`` and ``raise_for_error()`` both go through it.
"""

from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from .errors import MalformedResponse, RedfishError, error_from_response, message_ids

__all__ = ["Response", "ResponseLike", "Refuses", "parse_body"]


class ResponseLike(Protocol):
    """What the error builders read of an answer: the client's :class:`Response` or the fleet's ``Answer``."""

    @property
    def status(self) -> int: ...

    @property
    def json(self) -> Any: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def url(self) -> str: ...


class Refuses(Protocol):
    """An auth object as the response sees it: it may word the 401 its own credentials got (None: the tables),
    and reword the tables' error for its kind of service."""

    def refusal(self, response: Response, path: str) -> RedfishError | None: ...

    def reword(self, error: RedfishError) -> RedfishError: ...


class Response:
    """A BMC's answer: ``status``, parsed ``json`` (None when the body is not JSON), case-insensitive ``headers``.

    ``etag`` is the ``ETag`` header or the body's ``@odata.etag``; ``location`` the ``Location`` header;
    ``message_ids`` the MessageIds of an ``@Message.ExtendedInfo`` (iLO reports success that way too).
    ``auth`` is the auth object the request was sent with, which words a 401 (see :meth:`error`).
    """

    def __init__(
        self,
        raw: requests.Response,
        method: str,
        elapsed_ms: float,
        body: Any,
        text: str,
        auth: Refuses | None = None,
    ) -> None:
        self.raw = raw
        self.method = method
        self.status: int = raw.status_code
        self.reason: str = raw.reason or ""
        self.headers: Mapping[str, str] = raw.headers
        self.url: str = raw.url
        self.json = body
        self.text = text
        self.elapsed_ms = elapsed_ms
        self.auth = auth

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def etag(self) -> str | None:
        if self.headers.get("ETag"):
            return self.headers["ETag"]
        tag = self.json.get("@odata.etag") if isinstance(self.json, Mapping) else None
        return tag if isinstance(tag, str) else None

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def message_ids(self) -> list[str]:
        return message_ids(self.json)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def error(self) -> RedfishError:
        """The typed error of this (error) answer: the sending auth object's wording of a 401, else the tables'."""
        refused = self.auth.refusal(self, self.path) if self.status == 401 and self.auth is not None else None
        error = refused or error_from_response(
            self.status, self.json, method=self.method, url=self.path, response=self
        )
        return self.auth.reword(error) if self.auth is not None else error

    def raise_for_error(self) -> Response:
        """Raise the typed error for an error status; return self otherwise (for chaining)."""
        if self.status >= 400:
            raise self.error()
        return self

    def __repr__(self) -> str:
        return f"<Response {self.method} {self.path} {self.status} {self.reason}>"


def parse_body(raw: requests.Response, method: str, url: str) -> tuple[Any, str]:
    """The JSON body (None when the answer is not JSON) and the text; a body labelled JSON that does not parse
    raises :class:`MalformedResponse`, naming the request and where the JSON broke."""
    content = raw.content or b""
    text = raw.text if content else ""
    if not content.strip() or method == "HEAD":
        return None, text
    ctype = raw.headers.get("Content-Type", "").lower()
    looks_json = "json" in ctype or content.lstrip()[:1] in (b"{", b"[")
    if not looks_json:
        return None, text
    try:
        return _json.loads(text), text
    except _json.JSONDecodeError as exc:
        if "json" in ctype:
            raise MalformedResponse(
                f"{method} {urlsplit(url).path} answered HTTP {raw.status_code} with Content-Type {ctype!r} "
                f"but the body is not valid JSON ({exc.msg} at character {exc.pos})."
            ) from None
        return None, text
