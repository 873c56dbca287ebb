"""How a client proves who it is to a BMC: requests ``AuthBase`` classes and the login/logout flows.

Redfish offers HTTP Basic on every request (no session is created: safe against session leaks, but the password
travels each time) and sessions (``POST`` credentials to the collection named by the service root's
``Links.Sessions``; the BMC answers ``201`` with an ``X-Auth-Token`` and the session's ``Location``, which is
what logout ``DELETE``\\ s). iLO adds certificate login: a ``GET /html/login_cert.html`` over mutual TLS answers
with the same two headers. BMCs allow few sessions, so logout matters; the auth objects here never show a
password or a whole token in their repr.

The flows take a ``send`` callable (the client's own request function) so every login and logout lands in the
client's exchange log like any other request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from .errors import (
    PASSCODE_HINTS,
    CertificateError,
    InsufficientPrivilege,
    InvalidCredentials,
    NotRedfish,
    NoValidSession,
    OneTimePasscodeRequired,
    RedfishError,
    ServiceError,
    error_from_response,
    extended_info,
)
from .exchanges import token_hint
from .registry import split_message_id
from .wording import format_duration

__all__ = [
    "NoAuth",
    "BasicAuth",
    "SessionAuth",
    "STANDARD_SESSIONS_URI",
    "CERTIFICATE_LOGIN_URI",
    "login_uri_from_root",
    "session_path",
    "session_login",
    "basic_login_refused",
    "certificate_login",
    "logout",
]

STANDARD_SESSIONS_URI = "/redfish/v1/SessionService/Sessions/"
CERTIFICATE_LOGIN_URI = "/html/login_cert.html"


class _Response(Protocol):
    status: int
    json: Any
    headers: Mapping[str, str]
    url: str


Send = Callable[..., _Response]


class NoAuth(AuthBase):
    """No credentials. Set explicitly so requests never falls back to ``~/.netrc`` credentials for the BMC."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        return r

    def __repr__(self) -> str:
        return "<NoAuth>"


class BasicAuth(HTTPBasicAuth):
    """HTTP Basic: the credentials go with every request and no session is created on the BMC."""

    def __repr__(self) -> str:
        return f"<BasicAuth user={self.username!r} password=***>"


class SessionAuth(AuthBase):
    """A Redfish session: sends ``X-Auth-Token``; remembers the session URI that logout deletes.

    ``owned`` is False for a session this client must not delete on close (see ``RedfishClient.detach``).
    """

    def __init__(
        self, token: str, session_uri: str | None, username: str | None = None, *, method: str = "session"
    ):
        self._token = token
        self.session_uri = session_uri
        self.username = username
        self.method = method
        self.owned = True

    @property
    def token(self) -> str:
        """The whole token: for handing the session to another program, never for display."""
        return self._token

    @property
    def token_hint(self) -> str | None:
        return token_hint(self._token)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["X-Auth-Token"] = self._token
        return r

    def __repr__(self) -> str:
        return f"<SessionAuth user={self.username!r} token={self.token_hint} uri={self.session_uri!r}>"


def login_uri_from_root(root: Mapping[str, Any] | None) -> str:
    """The sessions collection named by the service root (``Links.Sessions``), else the standard path."""
    try:
        uri = root["Links"]["Sessions"]["@odata.id"]  # type: ignore[index]
    except (KeyError, TypeError):
        return STANDARD_SESSIONS_URI
    return uri if isinstance(uri, str) and uri.startswith("/") else STANDARD_SESSIONS_URI


def session_path(location: str | None, body: Any, base_url: str) -> str | None:
    """The session's URI as a path on ``base_url``.

    iLO sends an absolute ``Location`` (``https://bmc/redfish/v1/SessionService/Sessions/admin…/``), other
    services a relative one, and a few none at all (then the body's ``@odata.id`` is the session). The host of an
    absolute ``Location`` is not trusted (some firmware writes a wrong one): only its path is kept.
    """
    if location:
        path = urlsplit(urljoin(base_url + "/", location)).path
        if path:
            return path
    if isinstance(body, Mapping) and isinstance(body.get("@odata.id"), str):
        return body["@odata.id"]
    return None


def _login_failed(
    response: _Response, method: str, url: str, login_delay: float | None, *, otp: bool = False
) -> RedfishError:
    """The typed error of a refused login. A 401 means the credentials were refused; with a one-time passcode
    in the request, iLO refuses a wrong passcode exactly like a wrong password, so the hint names both."""
    error = error_from_response(
        response.status, response.json, method=method, url=url, response=response, login_delay=login_delay
    )
    if type(error) in (NoValidSession, InvalidCredentials):
        return InvalidCredentials(
            error.message,
            delay=getattr(error, "delay", None) or login_delay,
            status=error.status,
            message_ids=error.message_ids,
            messages=error.messages,
            response=response,
            hint=PASSCODE_HINTS["UnauthorizedLoginAttempt"] if otp else None,
        )
    return error


TWO_FACTOR_BASIC_HINT = (
    "Log in with a session instead: connect(url, username, password) makes the BMC e-mail a one-time passcode "
    'to the account\'s address; then log in with connect(url, username, password, otp="<passcode>").'
)


def basic_login_refused(
    response: _Response, uri: str, username: str, login_delay: float | None = None, *, method: str = "GET"
) -> RedfishError:
    """The typed error of a 401 to a request with Basic credentials.

    A two-factor account cannot use Basic at all: the one-time passcode travels only in a session login's
    ``Token``. The mock adds ``AuthenticationTokenRequired`` to the 401 to say so; a real iLO documents only
    ``NoValidSession``, the same answer as a wrong password, so that hint names both causes.
    """
    ids = [str(i.get("MessageId") or "") for i in extended_info(response.json)]
    what = f"{method} {uri} with Basic authentication as {username!r} was refused (HTTP 401)"
    if any(split_message_id(i)[2] in ("AuthenticationTokenRequired", "OneTimePasscodeSent") for i in ids):
        return OneTimePasscodeRequired(
            f"{what}: the account uses two-factor login, and Basic authentication cannot carry the one-time "
            "passcode it needs.",
            status=401,
            message_ids=ids,
            response=response,
            hint=TWO_FACTOR_BASIC_HINT,
        )
    wait = (
        f", and wait {format_duration(login_delay)} before the next attempt (the BMC delays logins after a failure)"
        if login_delay
        else " (iLO delays the next login after a failure)"
    )
    return InvalidCredentials(
        f"{what}.",
        status=401,
        message_ids=ids,
        response=response,
        delay=login_delay,
        hint=f"Check the user name and password{wait}. An account with two-factor login cannot use Basic "
        "authentication at all: log in with a session and otp= instead.",
    )


def session_login(
    send: Send,
    login_uri: str,
    username: str,
    password: str,
    *,
    otp: str | None = None,
    base_url: str,
    login_delay: float | None = None,
) -> SessionAuth:
    """POST the credentials (and iLO's one-time passcode as ``Token``) and keep token and session URI."""
    body: dict[str, str] = {"UserName": username, "Password": password}
    if otp:
        body["Token"] = str(otp)
    response = send("POST", login_uri, json=body, auth=NoAuth())
    ids = [str(i.get("MessageId", "")) for i in extended_info(response.json)]
    if any(i.endswith("OneTimePasscodeSent") for i in ids) and not response.headers.get("X-Auth-Token"):
        raise OneTimePasscodeRequired(
            f"POST {login_uri}: the BMC sent a one-time passcode instead of opening a session.",
            status=response.status,
            message_ids=ids,
            response=response,
        )
    if response.status >= 400:
        raise _login_failed(response, "POST", login_uri, login_delay, otp=bool(otp))
    return _session_from(response, username, base_url, "session", f"POST {login_uri}")


def certificate_login(send: Send, *, base_url: str, login_delay: float | None = None) -> SessionAuth:
    """iLO certificate login: ``GET /html/login_cert.html`` over mutual TLS; 200/201 with token and Location."""
    response = send("GET", CERTIFICATE_LOGIN_URI, auth=NoAuth(), client_cert=True)
    if response.status >= 400:
        error = _login_failed(response, "GET", CERTIFICATE_LOGIN_URI, login_delay)
        if isinstance(error, InsufficientPrivilege | InvalidCredentials | NoValidSession):
            # Without a certificate-specific MessageId, a refusal here is still about the certificate login.
            raise CertificateError(
                error.message,
                status=error.status,
                message_ids=error.message_ids,
                messages=error.messages,
                response=response,
                hint="Check that certificate login is enabled and licensed, that the BMC trusts the CA of your "
                "certificate, and that the certificate is mapped to a user: "
                "redfishnb.oem.ilo.certificate_login_problems(admin, cert) lists what is missing.",
            )
        raise error
    return _session_from(response, None, base_url, "certificate", f"GET {CERTIFICATE_LOGIN_URI}")


_NO_TOKEN_HINTS = {
    "session": 'The service does not hand out session tokens this way: try auth="basic".',
    "certificate": "This firmware's certificate login opened no Redfish session: update the iLO firmware, or "
    "log in with a user name and password.",
}


def _session_from(
    response: _Response, username: str | None, base_url: str, method: str, what: str
) -> SessionAuth:
    token = response.headers.get("X-Auth-Token")
    if not token:
        if response.status in (200, 201, 202, 204):
            raise ServiceError(
                f"{what} succeeded (HTTP {response.status}) but the answer has no X-Auth-Token header.",
                status=response.status,
                response=response,
                hint=_NO_TOKEN_HINTS.get(method, _NO_TOKEN_HINTS["session"]),
            )
        raise NotRedfish(f"{what} answered HTTP {response.status} without a session token.")
    uri = session_path(response.headers.get("Location"), response.json, base_url)
    body = response.json if isinstance(response.json, Mapping) else {}
    return SessionAuth(token, uri, body.get("UserName") or username, method=method)


def logout(send: Send, auth: SessionAuth) -> bool:
    """DELETE the session. Returns False when it was already gone (expired or deleted): not an error."""
    if not auth.session_uri:
        return False
    response = send("DELETE", auth.session_uri, auth=auth)
    if response.status in (401, 404):
        return False
    if response.status >= 400:
        raise error_from_response(
            response.status, response.json, method="DELETE", url=auth.session_uri, response=response
        )
    return True
