"""``connect()`` and :class:`RedfishClient`: the object every widget, notebook and runbook talks to a BMC through.

A client owns one keep-alive ``requests`` session, the TLS policy (:mod:`redfishnb.transport`), the
authentication (:mod:`redfishnb.auth`) and the exchange log (:mod:`redfishnb.exchanges`). Its main promise is
that the Redfish session it opened is deleted whatever happens: leaving a ``with`` block (normally, by an
exception or by Ctrl-C), ``close()``, the client being garbage-collected, or the interpreter exiting with the
client still open (a ``weakref.finalize`` per client, which also runs at exit). BMCs allow only a few sessions
and lock out scripts that forget to log out; this is the bug users of the other libraries hit most.

Two signals would otherwise get around that promise. Ctrl-C landing while the login POST is in flight: the BMC
has created the session but the client never reads its token, so nothing can delete it; the login therefore
defers SIGINT until the session is registered (see :func:`_interrupt_deferred`). SIGTERM (``timeout``, cron,
systemd, a killed papermill run): its default action ends the process without running finalizers or ``atexit``;
the first session opened therefore turns SIGTERM into ``SystemExit`` when nothing else handles it
(see :func:`_exit_on_sigterm`).
"""

from __future__ import annotations

import contextlib
import http.client
import json as _json
import logging
import signal
import ssl
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
import urllib3

from . import auth as _auth
from .errors import (
    DeadlineExceeded,
    MalformedResponse,
    NotRedfish,
    NoValidSession,
    RedfishError,
    TransportError,
    error_from_response,
    extended_info,
)
from .exchanges import Exchange, Exchanges, redact_headers, redact_json, redact_text
from .transport import (
    TLSPolicy,
    build_ssl_context,
    make_http_session,
    translate_exception,
    warn_insecure,
    warn_plain_http,
)

__all__ = ["connect", "RedfishClient", "Response", "ROOT_URI"]

ROOT_URI = "/redfish/v1/"
_AUTH_METHODS = ("session", "basic", "certificate", "none")
_EXIT_LOGOUT_TIMEOUT = 5.0
_log = logging.getLogger("redfishnb")


class Response:
    """A BMC's answer: ``status``, parsed ``json`` (None when the body is not JSON), case-insensitive ``headers``.

    ``etag`` is the ``ETag`` header or the body's ``@odata.etag``; ``location`` the ``Location`` header;
    ``message_ids`` the MessageIds of an ``@Message.ExtendedInfo`` (iLO reports success that way too).
    """

    def __init__(self, raw: requests.Response, method: str, elapsed_ms: float, body: Any, text: str) -> None:
        self.raw = raw
        self.method = method
        self.status: int = raw.status_code
        self.reason: str = raw.reason or ""
        self.headers = raw.headers
        self.url: str = raw.url
        self.json = body
        self.text = text
        self.elapsed_ms = elapsed_ms

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def etag(self) -> str | None:
        if self.headers.get("ETag"):
            return self.headers["ETag"]
        return self.json.get("@odata.etag") if isinstance(self.json, Mapping) else None

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def message_ids(self) -> list[str]:
        return [str(i.get("MessageId", "")) for i in extended_info(self.json)]

    def raise_for_error(self) -> Response:
        """Raise the typed error for an error status; return self otherwise (for chaining)."""
        if self.status >= 400:
            raise error_from_response(
                self.status, self.json, method=self.method, url=urlsplit(self.url).path, response=self
            )
        return self

    def __repr__(self) -> str:
        return f"<Response {self.method} {urlsplit(self.url).path} {self.status} {self.reason}>"


def _parse_body(raw: requests.Response, method: str, url: str) -> tuple[Any, str]:
    """Parse JSON eagerly so a broken body raises a typed error at the request, not later at ``.json``."""
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
    except ValueError as exc:
        if "json" in ctype:
            raise MalformedResponse(
                f"{method} {urlsplit(url).path} answered HTTP {raw.status_code} with Content-Type {ctype!r} "
                f"but the body is not valid JSON ({exc.msg} at character {exc.pos})."
            ) from None
        return None, text


# A GET or HEAD is sent a second time when the connection dies under it (see RedfishClient._send); nothing else
# is: DELETE and PUT are idempotent in HTTP, but a second DELETE of a session the first one did delete answers
# 404, and a POST may have acted before its answer was lost.
_RETRIED_METHODS = frozenset({"GET", "HEAD"})
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


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether ``exc`` or an exception it wraps (``reason``, cause, context, arguments) is one of ``kinds``."""
    todo: list[BaseException] = [exc]
    seen: list[BaseException] = []
    while todo:
        item = todo.pop()
        if isinstance(item, kinds):
            return True
        seen.append(item)
        wrapped = [getattr(item, "reason", None), item.__cause__, item.__context__, *item.args]
        todo += [w for w in wrapped if isinstance(w, BaseException) and all(w is not x for x in seen)]
    return False


class _Dropped(Exception):
    """Internal: the connection died under a request that may be sent again; ``error`` is raised if not."""

    def __init__(self, error: RedfishError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True)
class _Call:
    """One request as the client sends it, possibly twice (see ``_RETRIED_METHODS``); its repr shows no body
    and no headers, which may hold a password or a token."""

    method: str
    url: str
    json: Any = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    auth: requests.auth.AuthBase
    client_cert: bool
    redirects: bool


class _Deadline:
    """The overall time one call may take: each wait is what is left of it, when that is less than the timeout."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = float(seconds)
        self.what = what
        self._ends = time.monotonic() + self.seconds

    def check(self) -> float:
        """The seconds left; raise :class:`DeadlineExceeded` when there are none, so nothing more is sent."""
        left = self._ends - time.monotonic()
        if left <= 0:
            raise self.exceeded()
        return left

    def wait(self, timeout: float) -> tuple[float, bool]:
        """The next wait and whether the deadline (not the timeout) set it; raise when no time is left."""
        left = self.check()
        return (left, True) if left < timeout else (timeout, False)

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"{self.what} did not finish within its deadline of {self.seconds:g} s.", deadline=self.seconds
        )


class _SessionState:
    """What the exit-time finalizer needs to delete a forgotten session (it must not reference the client)."""

    def __init__(self, http: requests.Session, base_url: str) -> None:
        self.http = http
        self.base_url = base_url
        self.auth: _auth.SessionAuth | None = None


def _release(state: _SessionState) -> None:
    """Finalizer: delete a session still open when the client is collected or the interpreter exits."""
    session = state.auth
    state.auth = None
    try:
        if session is not None and session.owned and session.session_uri:
            state.http.delete(
                state.base_url + session.session_uri, auth=session, timeout=_EXIT_LOGOUT_TIMEOUT
            )
    except Exception:  # noqa: BLE001 - nothing useful can be done at interpreter exit
        pass
    finally:
        state.http.close()


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold back Ctrl-C while a login request runs; raise it once the session is registered with the client.

    Once the login POST has left, the BMC creates the session whether or not we read the answer. A
    KeyboardInterrupt in between would lose the token and session URI, and with them any way to delete the
    session. The request is bounded by the client's timeout, so the delay is too. Only the main thread
    receives signals, and a handler the application installed itself is left alone.
    """
    if not _in_main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if pressed:
            raise KeyboardInterrupt


def _raise_system_exit(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _exit_on_sigterm() -> None:
    """Make SIGTERM unwind the program like ``sys.exit(143)``, so open sessions are deleted on the way out.

    SIGTERM is how ``timeout``, cron, systemd and notebook runners stop a script, and its default action kills
    the process at once: no ``with`` block exits, no finalizer or ``atexit`` runs, and every open session stays on
    the BMC until its idle timeout. Raising ``SystemExit(128 + 15)`` instead keeps the exit status a shell
    expects from a SIGTERM death (143) and runs the clean-up. This is installed only from the main thread and only
    while SIGTERM has its default action: a handler the application installed is never replaced.
    """
    if not _in_main_thread():
        return
    with contextlib.suppress(ValueError, OSError):
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _raise_system_exit)


def _base_url(url: str) -> str:
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a BMC address: use https://<bmc>[:port]")
    if parts.username or parts.password:
        raise ValueError("Put credentials in username=/password=, not in the URL (URLs end up in logs).")
    return f"{parts.scheme}://{parts.netloc}"


# Every client of this process, so a notebook's last cell can log out all it opened (lab.finish) without the
# notebook keeping a list; weak, so a client nobody holds is still collected and its finalizer logs it out.
_OPEN_CLIENTS: weakref.WeakSet[RedfishClient] = weakref.WeakSet()


def open_clients() -> list[RedfishClient]:
    """The clients of this process that are not closed yet (in no particular order)."""
    return [client for client in list(_OPEN_CLIENTS) if not client.closed]


class RedfishClient:
    """A logged-in (or anonymous) connection to one BMC. Create it with :func:`connect`.

    Attributes: ``url`` (``https://host:port``), ``username``, ``auth_method``, ``session_uri`` (path),
    ``token_hint`` (first 4 characters), ``root`` (service root JSON, read once at connect), ``login_uri``,
    ``exchanges`` (the redacted log), ``timeout``, ``deadline``. The whole token is only available through
    :meth:`detach`.
    """

    def __init__(
        self,
        url: str,
        policy: TLSPolicy,
        *,
        timeout: float = 10.0,
        reauth: bool = False,
        deadline: float | None = None,
    ) -> None:
        self.url = _base_url(url)
        self.timeout = float(timeout)
        self.deadline = deadline  # the overall limit of each request() call, unless the call gives its own
        self.reauth = reauth
        self.root: dict[str, Any] | None = None
        self.login_uri: str = _auth.STANDARD_SESSIONS_URI
        self.login_delay: float | None = None
        self.exchanges = Exchanges()
        self._policy = policy
        self._http = make_http_session(policy, self.url)
        self._auth: requests.auth.AuthBase = _auth.NoAuth()
        self._auth_method = "none"
        self._username: str | None = None
        self._relogin: Any = None
        self._state = _SessionState(self._http, self.url)
        self._finalizer = weakref.finalize(self, _release, self._state)
        self.closed = False
        _OPEN_CLIENTS.add(self)

    # -- identity -------------------------------------------------------------------------------------------------

    @property
    def auth_method(self) -> str:
        return self._auth_method

    @property
    def username(self) -> str | None:
        return self._username

    @property
    def session_uri(self) -> str | None:
        return self._auth.session_uri if isinstance(self._auth, _auth.SessionAuth) else None

    @property
    def token_hint(self) -> str | None:
        return self._auth.token_hint if isinstance(self._auth, _auth.SessionAuth) else None

    @property
    def tls(self) -> str:
        """How the BMC's certificate is checked, in words (no secret)."""
        return self._policy.describe() if self.url.startswith("https") else "plain HTTP"

    def __repr__(self) -> str:
        who = f"{self._username}@" if self._username else ""
        state = " closed" if self.closed else ""
        parts = [f"<RedfishClient {who}{self.url} auth={self._auth_method}{state}"]
        if self.session_uri and not self.closed:
            parts.append(f"session={self.session_uri} token={self.token_hint}")
        parts.append(f"tls={self.tls}>")
        return " ".join(parts)

    # -- requests ---------------------------------------------------------------------------------------------------

    def _url_for(self, path: str, params: Mapping[str, Any] | None) -> str:
        """The full URL of ``path``: absolute URLs on the client's BMC, ``/absolute`` paths on the host, and
        paths without a leading slash (``Systems/``) under the service root ``/redfish/v1/``, the way the root's
        links read to someone exploring the API (``redfish/v1/Systems/`` is taken as the path it already is)."""
        if path.startswith(("http://", "https://")):
            if _base_url(path) != self.url:
                raise ValueError(
                    f"{path!r} is on another host than {self.url}: the client sends its credentials only to its BMC."
                )
            url = path
        elif path.startswith("/"):
            url = self.url + path
        elif path.startswith(ROOT_URI[1:]):  # "redfish/v1/Systems/" already is a path from the host
            url = f"{self.url}/{path}"
        else:
            url = self.url + ROOT_URI + path
        if params:
            # requests drops None-valued params; iLO's "?only" is a bare key, so build the query here.
            query = "&".join(
                quote(str(k), safe="$") if v is None else urlencode({k: v}, safe="$()")
                for k, v in params.items()
            )
            url += ("&" if "?" in url else "?") + query
        return url

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: requests.auth.AuthBase | None = None,
        timeout: float | None = None,
        note: str | None = None,
        client_cert: bool = False,
        redirects: bool = True,
        deadline: _Deadline | None = None,
    ) -> Response:
        """One HTTP exchange, recorded (redacted) whatever its outcome; transport failures become typed errors.

        A GET or HEAD whose connection the BMC reset or closed before the whole answer was in is sent once more:
        that is a web server restarting, or closing an idle keep-alive connection just as the request left. A
        second drop raises the typed error. ``deadline`` cuts each wait to what is left of the call's time.
        """
        if self.closed and auth is None:
            raise RedfishError("This client is closed.", hint="connect() again.")
        call = _Call(
            method,
            self._url_for(path, params),
            json,
            dict(headers or {}),
            self._auth if auth is None else auth,
            client_cert,
            redirects,
        )
        wait = self.timeout if timeout is None else timeout
        # Only a read with the client's own credentials is sent again: a login (another auth, or the client
        # certificate of iLO's login GET) may have opened a session whose token the lost answer carried.
        retry = call.method in _RETRIED_METHODS and call.auth is self._auth and not call.client_cert
        try:
            return self._exchange(call, wait, note, deadline, may_retry=retry)
        except _Dropped:  # the exchange log keeps the failed attempt and its error
            pass
        again = f"{note}; {_RETRY_NOTE}" if note else _RETRY_NOTE
        try:
            return self._exchange(call, wait, again, deadline, may_retry=True)
        except _Dropped as dropped:
            raise TransportError(
                f"{method} {urlsplit(call.url).path} was sent twice, and both times {urlsplit(self.url).netloc} "
                f"closed the connection before the whole answer had arrived ({dropped.error.message}).",
                hint="Retry in a moment: the BMC's web server may be restarting (after a reset or an HTTPS "
                "certificate change) or overloaded.",
            ) from None

    def _exchange(
        self, call: _Call, wait: float, note: str | None, deadline: _Deadline | None, *, may_retry: bool
    ) -> Response:
        """Send ``call`` once and read the whole answer; with ``may_retry``, raise :class:`_Dropped` when the
        connection died under it (the caller sends it again), else the typed error."""
        cut = False
        if deadline is not None:
            wait, cut = deadline.wait(wait)
        exchange = Exchange(
            method=call.method,
            url=call.url,
            note=note,
            username=self._username,
            tls=self._tls_info(call.client_cert),
        )
        if call.json is not None:
            exchange.request_json = redact_json(call.json)
        started = time.perf_counter()
        try:
            try:
                raw = self._http.request(
                    call.method,
                    call.url,
                    json=call.json,
                    headers=call.headers,
                    auth=call.auth,
                    timeout=(wait, wait),
                    allow_redirects=call.redirects,
                )
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                error = self._failure(exc, call, wait, deadline if cut else None)
                exchange.error = error.message.splitlines()[0]
                if getattr(exc, "request", None) is not None:
                    exchange.request_headers = redact_headers(exc.request.headers)
                if may_retry and type(error) is TransportError and _caused_by(exc, _DROPS):
                    raise _Dropped(error) from None
                raise error from None
            exchange.status, exchange.reason = raw.status_code, raw.reason or ""
            exchange.request_headers = redact_headers(raw.request.headers)
            exchange.response_headers = redact_headers(raw.headers)
            try:
                body, text = _parse_body(raw, call.method, call.url)
            except MalformedResponse as error:
                exchange.error = error.message
                exchange.response_text = redact_text(raw.text[:4000])
                raise
            exchange.response_json = redact_json(body) if body is not None else None
            if body is None and text:
                exchange.response_text = redact_text(text[:4000])
        finally:
            exchange.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            self.exchanges.append(exchange)
            _log.debug("%s (%.0f ms)", exchange.summary(), exchange.elapsed_ms)
        return Response(raw, call.method, exchange.elapsed_ms, body, text)

    def _failure(
        self, exc: BaseException, call: _Call, wait: float, deadline: _Deadline | None
    ) -> RedfishError:
        """The typed error of a failed exchange; a timeout that the call's deadline shortened is the deadline's."""
        if deadline is not None and _caused_by(exc, _TIMEOUTS):
            return deadline.exceeded()
        return translate_exception(exc, url=call.url, timeout=wait, policy=self._policy)

    def _tls_info(self, client_cert: bool) -> dict[str, Any]:
        p = self._policy
        return {
            "mode": p.mode,
            "ca_file": p.ca_file,
            "fingerprint": p.fingerprint,
            "client_cert_used": client_cert,
            "client_cert": p.client_cert,
            "client_key": p.client_key,
            "key_encrypted": p.key_encrypted,
        }

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        check: bool = True,
        timeout: float | None = None,
        deadline: float | None = None,
    ) -> Response:
        """Send a request with the client's authentication; raise the typed error for >= 400 unless check=False.

        ``path`` is a full URL on the client's BMC, a path from the host (``/redfish/v1/Systems/``) or a path
        relative to the service root (``Systems/`` means ``/redfish/v1/Systems/``; ``redfish/v1/...`` stays as is).

        With ``reauth=True`` a ``401`` on a session client triggers one new login (recorded in the exchange log
        with a note) and one retry of the request.

        ``deadline`` (seconds; by default the client's ``deadline``, None for none) bounds the whole call, the
        retries included: every wait is cut to what is left, nothing is sent once it has passed, and the call
        raises :class:`~redfishnb.errors.DeadlineExceeded`. A re-login, once sent, keeps the full timeout: cut
        short, it would leave the session it opens on the BMC with nobody holding the token to delete it.
        """
        method = method.upper()
        limit = self.deadline if deadline is None else deadline
        clock = None
        if limit is not None:
            clock = _Deadline(limit, f"{method} {urlsplit(self._url_for(path, None)).path} on {self.url}")
        sending: dict[str, Any] = {
            "json": json,
            "params": params,
            "headers": headers,
            "timeout": timeout,
            "deadline": clock,
        }
        response = self._send(method, path, **sending)
        if response.status == 401 and self.reauth and self._relogin is not None:
            if clock is not None:
                clock.check()  # no time left: no re-login
            self._relogin()
            response = self._send(method, path, note="retried after re-login", **sending)
        if check:
            if response.status == 401 and self._auth_method in ("basic", "none"):
                raise self._refused(response, method, urlsplit(response.url).path)
            response.raise_for_error()
        return response

    def _refused(self, response: Response, method: str, path: str) -> RedfishError:
        """A 401 without a session: the Basic credentials were refused, or there were none to send.

        The generic NoValidSession hint (the session expired; reauth=True) describes neither case.
        """
        if self._auth_method == "basic":
            return _auth.basic_login_refused(
                response, path, self._username or "", self.login_delay, method=method
            )
        error = error_from_response(401, response.json, method=method, url=path, response=response)
        return NoValidSession(
            error.message,
            status=401,
            message_ids=error.message_ids,
            messages=error.messages,
            response=response,
            hint='This client is not logged in (auth="none" reads only the service root): connect with '
            "username= and password= to read this resource.",
        )

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Response:
        return self.request("HEAD", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.request("DELETE", path, **kwargs)

    def patch(self, path: str, json: Any = None, *, etag: str | None = None, **kwargs: Any) -> Response:
        """PATCH; ``etag="auto"`` reads the resource first and sends its ETag in ``If-Match`` (412 if it changed)."""
        headers = dict(kwargs.pop("headers", None) or {})
        if etag == "auto":
            etag = self.get(path).etag
        if etag:
            headers["If-Match"] = etag
        return self.request("PATCH", path, json=json, headers=headers, **kwargs)

    def my_session(self) -> Response:
        """The caller's own Session resource: iLO's ``Oem.Hpe.Links.MySession`` where present, else the saved URI."""
        if not isinstance(self._auth, _auth.SessionAuth):
            raise RedfishError(
                f"This client uses {self._auth_method} authentication, which creates no session.",
                hint='connect(..., auth="session") to get a session.',
            )
        collection = self.get(self.login_uri).json or {}
        link = (((collection.get("Oem") or {}).get("Hpe") or {}).get("Links") or {}).get("MySession") or {}
        uri = link.get("@odata.id") if isinstance(link, Mapping) else None
        return self.get(uri or self.session_uri)

    # -- login / logout ---------------------------------------------------------------------------------------------

    def _read_root(self, auth: requests.auth.AuthBase | None = None) -> Response:
        plain = self.url.startswith("http://")
        response = self._send("GET", ROOT_URI, auth=auth or _auth.NoAuth(), redirects=not plain)
        if plain and response.status in (301, 302, 303, 307, 308):
            self._refuse_redirect(response.location or "")
        body = response.json
        if response.status == 401:
            return response
        is_redfish = isinstance(body, Mapping) and (
            "RedfishVersion" in body or str(body.get("@odata.id", "")).rstrip("/") == "/redfish/v1"
        )
        if not is_redfish:
            ctype = response.headers.get("Content-Type", "no content type")
            raise NotRedfish(
                f"{self.url}{ROOT_URI} answered HTTP {response.status} ({ctype}), not a Redfish service root."
            )
        self.root = dict(body)
        self.login_uri = _auth.login_uri_from_root(body)
        delay = (((body.get("Oem") or {}).get("Hpe") or {}).get("Sessions") or {}).get("LoginFailureDelay")
        self.login_delay = float(delay) if isinstance(delay, int | float) else None
        return response

    def _refuse_redirect(self, location: str) -> None:
        """``http://`` answered with a redirect (iLO's port 80 sends every request to https): stop before login.

        Following it would send the login POST to http first, password in clear, and requests turns a redirected
        POST into a bodiless GET, whose 401 would then read as a wrong password."""
        target = urlsplit(location)
        if target.scheme == "https" and target.hostname:
            https = f"https://{target.netloc}"
            raise TransportError(
                f"{self.url} redirects to {https}: this BMC serves Redfish over HTTPS only. No credentials were "
                "sent.",
                hint=f"Connect to {https} (with verify= the BMC's CA file or its sha256 fingerprint).",
            )
        raise NotRedfish(
            f"{self.url}{ROOT_URI} redirects to {location or 'nowhere'}, not to a Redfish service."
        )

    def _set_session(self, session: _auth.SessionAuth) -> None:
        self._auth = session
        self._state.auth = session
        if session.username:
            self._username = session.username
        _exit_on_sigterm()

    def _login(
        self,
        method: str,
        username: str | None,
        password: str | None,
        *,
        otp: str | None,
        token: str | None,
        session_uri: str | None,
    ) -> None:
        self._auth_method = method
        self._username = username
        root = self._read_root()
        if self.url.startswith("http://") and method != "none":
            warn_plain_http(self.url)
        if method == "basic":
            self._auth = _auth.BasicAuth(username or "", password or "")
            check = self._send("GET", self.login_uri)
            if check.status == 401:
                raise _auth.basic_login_refused(check, self.login_uri, username or "", self.login_delay)
        elif method == "session" and token:
            self._set_session(_auth.SessionAuth(token, session_uri, username, method="attached"))
            self._attach_check(session_uri)
        elif method == "session":
            do_login = self._password_login(username or "", password or "", otp)
            do_login()
            if self.reauth:
                self._relogin = do_login
        elif method == "certificate":
            do_cert = self._certificate_login()
            do_cert()
            if self.reauth:
                self._relogin = do_cert
        if root.status == 401:  # a few services protect the root: read it again with credentials
            self._read_root(self._auth)

    def _password_login(self, username: str, password: str, otp: str | None) -> Any:
        """A closure that logs in; kept (with the password) only when reauth=True, so it can log in again."""

        def login(note: str | None = None) -> None:
            send = self._noted_send(note)
            with _interrupt_deferred():
                session = _auth.session_login(
                    send,
                    self.login_uri,
                    username,
                    password,
                    otp=otp,
                    base_url=self.url,
                    login_delay=self.login_delay,
                )
                self._set_session(session)

        return lambda: self._relogin_wrapper(login)

    def _certificate_login(self) -> Any:
        def login(note: str | None = None) -> None:
            with _interrupt_deferred():
                session = _auth.certificate_login(
                    self._noted_send(note), base_url=self.url, login_delay=self.login_delay
                )
                self._set_session(session)
            if not session.username and session.session_uri:
                body = self._send("GET", session.session_uri).json or {}
                self._username = body.get("UserName") or self._username

        return lambda: self._relogin_wrapper(login)

    def _relogin_wrapper(self, login: Any) -> None:
        first = not isinstance(self._auth, _auth.SessionAuth)
        login(None if first else "re-login after NoValidSession (reauth=True)")

    def _noted_send(self, note: str | None) -> Any:
        def send(method: str, path: str, **kwargs: Any) -> Response:
            return self._send(method, path, note=note, **kwargs)

        return send

    def _attach_check(self, session_uri: str | None) -> None:
        """An attached token must still be valid: read the session (or find it through iLO's MySession)."""
        if not session_uri:
            collection = self.get(self.login_uri).json or {}
            link = (((collection.get("Oem") or {}).get("Hpe") or {}).get("Links") or {}).get(
                "MySession"
            ) or {}
            self._auth.session_uri = link.get("@odata.id")  # type: ignore[attr-defined]
        if self.session_uri:
            body = self.get(self.session_uri).json or {}
            self._username = body.get("UserName") or self._username

    def logout(self) -> bool:
        """Delete the session now (the client stays usable only with Basic/no auth). False if it was already gone."""
        session = self._auth if isinstance(self._auth, _auth.SessionAuth) else None
        if session is None:
            return False
        if self._state.auth is not session:  # the exit-time finalizer already deleted it
            self._auth = _auth.NoAuth()
            return False
        self._auth = _auth.NoAuth()
        try:
            gone = _auth.logout(lambda m, p, **kw: self._send(m, p, **kw), session)
        except RedfishError:
            self._state.auth = None  # the BMC answered or is unreachable: no second attempt at exit
            raise
        # Only now: a Ctrl-C during the DELETE leaves the session to the finalizer, which close() runs next.
        self._state.auth = None
        return gone

    def detach(self) -> tuple[str, str | None]:
        """Hand the session over (token, session URI) to another program; this client will not delete it."""
        if not isinstance(self._auth, _auth.SessionAuth):
            raise RedfishError(
                "There is no session to hand over.", hint='connect(..., auth="session") first.'
            )
        session = self._auth
        session.owned = False
        self._state.auth = None
        self.close()
        return session.token, session.session_uri

    def close(self) -> None:
        """Log out (a session already expired or deleted is fine) and release the connections. Idempotent.

        After the exit-time finalizer has run (interpreter shutdown), the session is gone and the connections are
        released, so this only marks the client closed: no request is sent while Python tears itself down."""
        if not self._finalizer.alive:
            self.closed = True
        if self.closed:
            return
        try:
            if isinstance(self._auth, _auth.SessionAuth) and self._auth.owned:
                self.logout()
        finally:
            self.closed = True
            self._relogin = None
            self._finalizer()

    def __enter__(self) -> RedfishClient:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
            return
        with contextlib.suppress(RedfishError):  # an error is on its way: a logout failure must not hide it
            self.close()


def connect(
    url: str,
    username: str | None = None,
    password: str | None = None,
    *,
    auth: str = "session",
    verify: bool | str = True,
    timeout: float = 10.0,
    cert: Any = None,
    key: Any = None,
    key_password: str | bytes | None = None,
    otp: str | None = None,
    reauth: bool = False,
    token: str | None = None,
    session_uri: str | None = None,
    deadline: float | None = None,
) -> RedfishClient:
    """Connect to a BMC and log in; use the result in a ``with`` block so the session is always deleted.

    ``auth``: ``"session"`` (POST to the service root's ``Links.Sessions``; or attach to an existing session with
    ``token=`` and ``session_uri=``), ``"basic"`` (credentials on every request, no session on the BMC),
    ``"certificate"`` (iLO mutual-TLS login with ``cert=``/``key=``/``key_password=``, paths or PEM bytes) or
    ``"none"`` (service root only). ``verify``: True (system trust store), a CA file, ``"sha256:<hex>"`` (pin the
    BMC's certificate; :func:`redfishnb.transport.peek_fingerprint` shows it) or False (warns).
    ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` never override this choice. ``timeout`` bounds connecting and each
    read, in seconds; ``deadline`` (seconds, None for none) bounds each later call as a whole, retries included
    (:meth:`RedfishClient.request`). ``reauth=True`` logs in again once when the BMC answers 401 (the password
    stays in memory). ``otp``: iLO's one-time passcode (two-factor login).
    """
    if auth not in _AUTH_METHODS:
        raise ValueError(f"auth must be one of {', '.join(_AUTH_METHODS)}, not {auth!r}")
    if auth in ("session", "basic") and not token and (not username or password is None):
        raise ValueError(
            f'auth="{auth}" needs username= and password= (or token= and session_uri= to attach).'
        )
    if auth == "certificate" and cert is None:
        raise ValueError('auth="certificate" needs cert= (and key= unless the key is in the same file).')
    policy = build_ssl_context(verify, cert=cert, key=key, key_password=key_password)
    client = RedfishClient(url, policy, timeout=timeout, reauth=reauth, deadline=deadline)
    if verify is False and client.url.startswith("https"):
        warn_insecure(client.url)
    try:
        client._login(auth, username, password, otp=otp, token=token, session_uri=session_uri)
    except BaseException:
        with contextlib.suppress(RedfishError):
            client.close()
        raise
    return client
