"""One request to the BMC, recorded in the exchange log whatever its outcome, sent again once if the connection
died under a read.

The client builds each request (:class:`Call`) and decides whether it may be sent twice; this module sends it
over the client's keep-alive ``requests`` session, records the redacted exchange (headers, JSON bodies, TLS
facts for the cURL rendering), parses the body and turns transport failures into typed errors
(:mod:`redfishnb.failures`). A per-call :class:`~redfishnb.deadline.Deadline` cuts each wait to what is left.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from .auth import Auth
from .deadline import Deadline
from .errors import MalformedResponse, RedfishError, TransportError
from .exchanges import Exchange, Exchanges, redact_headers, redact_json, redact_text
from .failures import caused_by
from .response import Response, parse_body
from .transport import TLSPolicy, make_http_session, translate_exception

__all__ = ["Call", "Channel", "RETRIED_METHODS"]

# A GET or HEAD is sent a second time when the connection dies under it; nothing else is: DELETE and PUT are
# idempotent in HTTP, but a second DELETE of a session the first one did delete answers 404, and a POST may have
# acted before its answer was lost.
RETRIED_METHODS = frozenset({"GET", "HEAD"})
_RETRY_NOTE = "sent again: the connection was reset before the answer"
# What the socket or TLS layer reports when the BMC resets or closes a connection under a request (under the
# wrappers of requests and urllib3); http.client's RemoteDisconnected is a ConnectionResetError.
_DROPS: tuple[type[BaseException], ...] = (
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
    http.client.IncompleteRead,
)
_TIMEOUTS: tuple[type[BaseException], ...] = (
    requests.exceptions.Timeout,
    urllib3.exceptions.TimeoutError,
    TimeoutError,
)
_log = logging.getLogger("redfishnb")


@dataclass(frozen=True)
class Call:
    """One request as the client sends it, possibly twice; its repr shows no body and no headers, which may
    hold a password or a token. ``resend``: it may be sent again after a dropped connection."""

    method: str
    url: str
    json: Any = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    auth: Auth
    client_cert: bool
    redirects: bool
    resend: bool
    note: str | None = None
    username: str | None = None


class _Dropped(Exception):
    """Internal: the connection died under a request that may be sent again; ``error`` is raised if not."""

    def __init__(self, error: RedfishError) -> None:
        super().__init__(error.message)
        self.error = error


class Channel:
    """The client's connection to one BMC (``url``): its TLS policy, its connection pool, its exchange log."""

    def __init__(self, url: str, policy: TLSPolicy) -> None:
        self.url = url
        self.policy = policy
        self.http = make_http_session(policy, url)
        self.exchanges = Exchanges()

    def send(self, call: Call, wait: float, deadline: Deadline | None) -> Response:
        """Send ``call``; a read whose connection the BMC reset or closed before the whole answer was in is sent
        once more (a web server restarting, or closing an idle keep-alive connection just as the request left).
        A second drop raises the typed error."""
        try:
            return self._exchange(call, wait, call.note, deadline, may_retry=call.resend)
        except _Dropped:  # the exchange log keeps the failed attempt and its error
            pass
        again = f"{call.note}; {_RETRY_NOTE}" if call.note else _RETRY_NOTE
        try:
            return self._exchange(call, wait, again, deadline, may_retry=True)
        except _Dropped as dropped:
            raise TransportError(
                f"{call.method} {urlsplit(call.url).path} was sent twice, and both times "
                f"{urlsplit(self.url).netloc} closed the connection before the whole answer had arrived "
                f"({dropped.error.message}).",
                hint="Retry in a moment: the BMC's web server may be restarting (after a reset or an HTTPS "
                "certificate change) or overloaded.",
            ) from None

    def _exchange(
        self, call: Call, wait: float, note: str | None, deadline: Deadline | None, *, may_retry: bool
    ) -> Response:
        """Send ``call`` once and read the whole answer; with ``may_retry``, raise :class:`_Dropped` when the
        connection died under it (the caller sends it again), else the typed error."""
        cut = False
        if deadline is not None:
            limited = deadline.wait(wait)
            wait, cut = limited, limited < wait
        exchange = Exchange(
            method=call.method,
            url=call.url,
            note=note,
            username=call.username,
            tls=self._tls_info(call.client_cert),
        )
        if call.json is not None:
            exchange.request_json = redact_json(call.json)
        started = time.perf_counter()
        try:
            raw = self._request(call, wait, exchange, deadline if cut else None, may_retry)
            body, text = self._read(raw, call, exchange)
        finally:
            exchange.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            self.exchanges.append(exchange)
            _log.debug("%s (%.0f ms)", exchange.summary(), exchange.elapsed_ms)
        return Response(raw, call.method, exchange.elapsed_ms, body, text, auth=call.auth)

    def _request(
        self, call: Call, wait: float, exchange: Exchange, deadline: Deadline | None, may_retry: bool
    ) -> requests.Response:
        try:
            return self.http.request(
                call.method,
                call.url,
                json=call.json,
                headers=call.headers,
                auth=call.auth,
                timeout=(wait, wait),
                allow_redirects=call.redirects,
            )
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            error = self._failure(exc, call, wait, deadline)
            exchange.error = error.message.splitlines()[0]
            sent = getattr(exc, "request", None)
            if isinstance(sent, requests.PreparedRequest):
                exchange.request_headers = redact_headers(sent.headers)
            if may_retry and type(error) is TransportError and caused_by(exc, _DROPS):
                raise _Dropped(error) from None
            raise error from None

    def _read(self, raw: requests.Response, call: Call, exchange: Exchange) -> tuple[Any, str]:
        """Record the answer (redacted) and parse its body; a broken JSON body is recorded as the error."""
        exchange.status, exchange.reason = raw.status_code, raw.reason or ""
        exchange.request_headers = redact_headers(raw.request.headers)
        exchange.response_headers = redact_headers(raw.headers)
        try:
            body, text = parse_body(raw, call.method, call.url)
        except MalformedResponse as error:
            exchange.error = error.message
            exchange.response_text = redact_text(raw.text[:4000])
            raise
        exchange.response_json = redact_json(body) if body is not None else None
        if body is None and text:
            exchange.response_text = redact_text(text[:4000])
        return body, text

    def _failure(
        self, exc: BaseException, call: Call, wait: float, deadline: Deadline | None
    ) -> RedfishError:
        """The typed error of a failed exchange; a timeout that the call's deadline shortened is the deadline's."""
        if deadline is not None and caused_by(exc, _TIMEOUTS):
            return deadline.exceeded()
        return translate_exception(exc, url=call.url, timeout=wait, policy=self.policy)

    def _tls_info(self, client_cert: bool) -> dict[str, Any]:
        p = self.policy
        return {
            "mode": p.mode,
            "ca_file": p.ca_file,
            "fingerprint": p.fingerprint,
            "client_cert_used": client_cert,
            "client_cert": p.client_cert,
            "client_key": p.client_key,
            "key_encrypted": p.key_encrypted,
        }
