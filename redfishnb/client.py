"""``connect()`` and :class:`RedfishClient`: the object every widget, notebook and runbook talks to a BMC through.

A client owns one connection to its BMC (:mod:`redfishnb.channel`: the keep-alive ``requests`` session, the TLS
policy of :mod:`redfishnb.transport`, the exchange log of :mod:`redfishnb.exchanges`) and exactly one auth object
(:mod:`redfishnb.auth`), which logs in, refreshes and logs out through the client's own send path. Its main
promise is that the Redfish session it opened is deleted whatever happens: leaving a ``with`` block, ``close()``,
the client being garbage-collected, or the interpreter exiting with the client still open
(:mod:`redfishnb.lifetime`, which also keeps Ctrl-C and SIGTERM from getting around it).
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import auth as _auth
from ._json import dig
from .auth.totp import TotpSecret
from .channel import RETRIED_METHODS, Call, Channel
from .deadline import Deadline
from .errors import CertificateNotTrusted, NotRedfish, RedfishError
from .exchanges import Exchanges
from .lifetime import exit_on_sigterm, interrupt_deferred, release
from .records.links import STANDARD_SESSIONS_URI, my_session_uri, sessions_uri
from .response import Response
from .transport import TLSPolicy, build_ssl_context, warn_insecure, warn_plain_http
from .urls import ROOT_URI, base_url, redirect_refusal, url_for

__all__ = ["connect", "RedfishClient", "Response", "ROOT_URI", "open_clients"]

_RELOGIN_NOTE = "re-login after NoValidSession (reauth=True)"
_RETRIED_NOTE = "retried after re-login"
_log = logging.getLogger("redfishnb")


# Every client of this process, so a notebook's last cell can log out all it opened (lab.finish) without the
# notebook keeping a list; weak, so a client nobody holds is still collected and its finalizer logs it out.
_OPEN_CLIENTS: weakref.WeakSet[RedfishClient] = weakref.WeakSet()


def open_clients() -> list[RedfishClient]:
    """The clients of this process that are not closed yet (in no particular order)."""
    return [client for client in list(_OPEN_CLIENTS) if not client.closed]


@dataclass(frozen=True)
class _ClientWire:
    """The client's send path as its auth object uses it (:class:`redfishnb.auth.Wire`); ``note`` marks each
    request in the exchange log (a re-login)."""

    client: RedfishClient
    note: str | None = None

    @property
    def url(self) -> str:
        return self.client.url

    @property
    def login_uri(self) -> str:
        return self.client.login_uri

    @property
    def login_delay(self) -> float | None:
        return self.client.login_delay

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        auth: _auth.Auth | None = None,
        client_cert: bool = False,
    ) -> Response:
        return self.client._send(method, path, json=json, auth=auth, client_cert=client_cert, note=self.note)


class RedfishClient:
    """A logged-in (or anonymous) connection to one BMC. Create it with :func:`connect`.

    Attributes: ``url`` (``https://host:port``), ``username``, ``auth_method``, ``session_uri`` (path),
    ``token_hint`` (first 4 characters), ``root`` (service root JSON, read once at connect), ``login_uri``,
    ``exchanges`` (the redacted log), ``timeout``, ``deadline``. The whole token is only available through
    :meth:`detach`. ``auth`` (default: none) is the one auth object the client logs in with (:meth:`login`).
    """

    def __init__(
        self,
        url: str,
        policy: TLSPolicy,
        *,
        auth: _auth.Auth | None = None,
        timeout: float = 10.0,
        deadline: float | None = None,
    ) -> None:
        self.url = base_url(url)
        self.timeout = float(timeout)
        self.deadline = deadline  # the overall limit of each request() call, unless the call gives its own
        self.root: dict[str, Any] | None = None
        self.login_uri: str = STANDARD_SESSIONS_URI
        self.login_delay: float | None = None
        self._policy = policy
        self._channel = Channel(self.url, policy)
        self._auth: _auth.Auth = auth or _auth.NoAuth()
        self._finalizer = weakref.finalize(self, release, self._channel.http, self.url, self._auth)
        self.closed = False
        _OPEN_CLIENTS.add(self)

    # -- identity -------------------------------------------------------------------------------------------------

    @property
    def exchanges(self) -> Exchanges:
        return self._channel.exchanges

    @property
    def auth_method(self) -> str:
        return self._auth.method

    @property
    def username(self) -> str | None:
        return self._auth.username

    @property
    def session_uri(self) -> str | None:
        return self._auth.session_uri

    @property
    def token_hint(self) -> str | None:
        return self._auth.token_hint

    @property
    def password_change_required(self) -> bool:
        """Whether the BMC accepted the login but restricts it until the password changes
        (:meth:`change_password`): it said so in the login answer."""
        return self._auth.password_change_uri is not None

    @property
    def reauth(self) -> bool:
        """Whether a 401 makes the client log in again once (``connect(..., reauth=True)``)."""
        return self._auth.can_refresh

    @property
    def tls(self) -> str:
        """How the BMC's certificate is checked, in words (no secret)."""
        return self._policy.describe() if self.url.startswith("https") else "plain HTTP"

    def __repr__(self) -> str:
        who = f"{self.username}@" if self.username else ""
        state = " closed" if self.closed else ""
        parts = [f"<RedfishClient {who}{self.url} auth={self.auth_method}{state}"]
        if self.session_uri and not self.closed:
            parts.append(f"session={self.session_uri} token={self.token_hint}")
        parts.append(f"tls={self.tls}>")
        return " ".join(parts)

    # -- requests ---------------------------------------------------------------------------------------------------

    def _url_for(self, path: str, params: Mapping[str, Any] | None) -> str:
        return url_for(self.url, path, params)

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: _auth.Auth | None = None,
        timeout: float | None = None,
        note: str | None = None,
        client_cert: bool = False,
        redirects: bool = True,
        deadline: Deadline | None = None,
    ) -> Response:
        """One HTTP exchange, recorded (redacted) whatever its outcome; transport failures become typed errors.

        Only a GET or HEAD with the client's own credentials is sent again after a dropped connection: a login
        (another auth, or the client certificate of iLO's login GET) may have opened a session whose token the
        lost answer carried. ``deadline`` cuts each wait to what is left of the call's time.
        """
        if self.closed and auth is None:
            raise RedfishError("This client is closed.", hint="connect() again.")
        used = self._auth if auth is None else auth
        resend = method in RETRIED_METHODS and used is self._auth and not client_cert
        call = Call(
            method,
            self._url_for(path, params),
            json,
            dict(headers or {}),
            used,
            client_cert,
            redirects,
            resend,
            note,
            self.username,
        )
        return self._channel.send(call, self.timeout if timeout is None else timeout, deadline)

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
        with a note) and one retry of the request; a second 401 raises NoValidSession.

        ``deadline`` (seconds; by default the client's ``deadline``, None for none) bounds the whole call, the
        retries included: every wait is cut to what is left, nothing is sent once it has passed, and the call
        raises :class:`~redfishnb.errors.DeadlineExceeded`. A re-login, once sent, keeps the full timeout: cut
        short, it would leave the session it opens on the BMC with nobody holding the token to delete it.
        """
        method = method.upper()
        limit = self.deadline if deadline is None else deadline
        clock = None
        if limit is not None:
            clock = Deadline(limit, f"{method} {urlsplit(self._url_for(path, None)).path} on {self.url}")
        sending: dict[str, Any] = {"json": json, "params": params, "headers": headers, "timeout": timeout}
        response = self._send(method, path, deadline=clock, **sending)
        if response.status == 401 and self._auth.can_refresh:
            if clock is not None:
                clock.check()  # no time left: no re-login
            self._login_with(_ClientWire(self, _RELOGIN_NOTE), self._auth.refresh)
            response = self._send(method, path, note=_RETRIED_NOTE, deadline=clock, **sending)
        if check:
            response.raise_for_error()
        return response

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
        """The caller's own Session resource: iLO's ``Oem.Hpe.Links.MySession`` where present, else the saved URI.

        A standard service has no such link, so its saved URI is read directly (a login restricted until its
        password changes may read its session, not the collection)."""
        if not self._auth.has_session:
            raise RedfishError(
                f"This client uses {self.auth_method} authentication, which creates no session.",
                hint='connect(..., auth="session") to get a session.',
            )
        uri = self.session_uri
        if not (self._auth.standard and uri):
            uri = my_session_uri(self.get(self.login_uri).json, uri)
        if uri is None:
            raise RedfishError(
                "The BMC does not say which session is this client's, and the login named none."
            )
        return self.get(uri)

    # -- login / logout ---------------------------------------------------------------------------------------------

    def _read_root(self, auth: _auth.Auth | None = None) -> Response:
        plain = self.url.startswith("http://")
        response = self._send("GET", ROOT_URI, auth=auth or _auth.NoAuth(), redirects=not plain)
        if plain and response.status in (301, 302, 303, 307, 308):
            raise redirect_refusal(self.url, response.location or "")
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
        self.login_uri = sessions_uri(body)
        delay = dig(body, "Oem", "Hpe", "Sessions", "LoginFailureDelay")
        self.login_delay = float(delay) if isinstance(delay, int | float) else None
        return response

    def login(self, choose: Callable[[Mapping[str, Any] | None], _auth.Auth] | None = None) -> None:
        """Read the service root (where logins go, the BMC's login delay), then log in with the auth object.

        ``choose`` (what :func:`connect` passes) builds the auth object for the service the root shows (an iLO or
        a DMTF-standard one); a client built by hand calls this once before its first request."""
        root = self._read_root()
        if choose is not None:
            self._use(choose(self.root))
        if self.url.startswith("http://") and self.auth_method != "none":
            warn_plain_http(self.url)
        self._login_with(_ClientWire(self), self._auth.login)
        if self._auth.password_change_uri is not None:
            _log.info("%s: %s must change its password (client.change_password)", self.url, self.username)
        if root.status == 401:  # a few services protect the root: read it again with credentials
            self._read_root(self._auth)

    def _use(self, auth: _auth.Auth) -> None:
        """Log in with ``auth`` from now on (before any login: nothing is held yet); the finalizer follows."""
        self._finalizer.detach()
        self._auth = auth
        self._finalizer = weakref.finalize(self, release, self._channel.http, self.url, auth)

    def change_password(self, new_password: str, *, old_password: str | None = None) -> str:
        """Change this account's own password; returns the account URI (see :func:`redfishnb.accounts.
        change_password`). A login the BMC restricted until the change is unrestricted afterwards."""
        from .accounts import change_password

        return change_password(self, new_password, old_password=old_password)

    def _login_with(self, wire: _ClientWire, step: Callable[[_auth.Wire], None]) -> None:
        """Run a login ``step`` of the auth object with Ctrl-C held back until its session is held."""
        with interrupt_deferred():
            step(wire)
        if self._auth.has_session:
            exit_on_sigterm()

    def logout(self) -> bool:
        """Delete the session now (the client stays usable only with Basic/no auth). False if it was already gone."""
        return self._auth.logout(_ClientWire(self))

    def detach(self) -> tuple[str, str | None]:
        """Hand the session over (token, session URI) to another program; this client will not delete it."""
        handed = self._auth.detach()
        self.close()
        return handed

    def close(self) -> None:
        """Log out (a session already expired or deleted is fine) and release the connections. Idempotent.

        After the exit-time finalizer has run (interpreter shutdown), the session is gone and the connections are
        released, so this only marks the client closed: no request is sent while Python tears itself down."""
        if not self._finalizer.alive:
            self.closed = True
        if self.closed:
            return
        try:
            if self._auth.has_session:
                self.logout()
        finally:
            self.closed = True
            self._auth.drop_credentials()
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
    otp_secret: str | TotpSecret | None = None,
    reauth: bool = False,
    token: str | None = None,
    session_uri: str | None = None,
    deadline: float | None = None,
) -> RedfishClient:
    """Connect to a BMC and log in; use the result in a ``with`` block so the session is always deleted.

    ``auth``: ``"session"`` (POST to the service root's ``Links.Sessions``; or attach to an existing session with
    ``token=`` and ``session_uri=``), ``"basic"`` (credentials on every request, no session on the BMC),
    ``"certificate"`` (mutual-TLS login with ``cert=``/``key=``/``key_password=``, paths or PEM bytes: iLO's
    login page, or a DMTF-standard service's session POST over mutual TLS, as the service root shows) or
    ``"none"`` (service root only). ``verify``: True (system trust store), a CA file, ``"sha256:<hex>"`` (pin the
    BMC's certificate; :func:`redfishnb.transport.peek_fingerprint` shows it) or False (warns).
    ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` never override this choice. ``timeout`` bounds connecting and each
    read, in seconds; ``deadline`` (seconds, None for none) bounds each later call as a whole, retries included
    (:meth:`RedfishClient.request`). ``reauth=True`` logs in again once when the BMC answers 401 (the password
    stays in memory). ``otp``: a two-factor code (iLO's e-mailed passcode, or a standard service's current TOTP
    code); ``otp_secret``: a standard service's TOTP secret (Base32, or a :class:`~redfishnb.auth.TotpSecret`),
    from which a fresh code is computed at each login, so ``reauth=True`` works with two-factor accounts.
    """
    options: dict[str, Any] = {
        "otp": otp,
        "otp_secret": otp_secret,
        "token": token,
        "session_uri": session_uri,
        "cert": cert,
        "key": key,
        "key_password": key_password,
        "reauth": reauth,
    }
    chosen = _auth.auth_for(auth, username, password, **options)  # the arguments checked before any request
    policy = build_ssl_context(verify, cert=cert, key=key, key_password=key_password)
    client = RedfishClient(url, policy, auth=chosen, timeout=timeout, deadline=deadline)
    if verify is False and client.url.startswith("https"):
        warn_insecure(client.url)
    try:
        client.login(lambda root: _auth.auth_for(auth, username, password, root=root, **options))
    except CertificateNotTrusted as refused:  # refused before the root could say what the service is
        client.close()
        raise _auth.untrusted_by(refused, lambda: _plain_root(url, verify, timeout)) from None
    except BaseException:
        with contextlib.suppress(RedfishError):
            client.close()
        raise
    return client


def _plain_root(url: str, verify: bool | str, timeout: float) -> dict[str, Any] | None:
    """The service root, read without a client certificate (which kind of service refused it)."""
    with connect(url, auth="none", verify=verify, timeout=timeout) as peek:
        return peek.root
