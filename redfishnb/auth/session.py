"""What every Redfish session has, however it was opened: a token sent as ``X-Auth-Token``, and a URI to delete.

A login (password, certificate) answers with the token and the session's ``Location``; attaching starts from a
token someone else opened. Logout ``DELETE``\\ s the URI, and a session already gone (expired, deleted by an
administrator) is not an error. The token is never shown whole: reprs and the client show its first characters.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import (
    PASSCODE_HINTS,
    InvalidCredentials,
    NotRedfish,
    NoValidSession,
    RedfishError,
    ServiceError,
    error_from_response,
    extended_info,
)
from ..exchanges import token_hint
from ..response import Response
from .base import Auth, Wire

__all__ = ["SessionAuth", "session_path", "login_failed", "password_change_uri"]


class SessionAuth(Auth):
    """A Redfish session: ``X-Auth-Token`` on every request while a token is held; logout deletes the URI.

    Subclasses say how the token is obtained (:meth:`login`). ``refreshable`` (``reauth=True``) lets a 401 be
    answered by a new login, when the subclass can log in again without asking anyone.
    """

    method = "session"

    def __init__(self, username: str | None = None, *, refreshable: bool = False) -> None:
        self.username = username
        self.refreshable = refreshable
        self._token: str | None = None
        self._uri: str | None = None

    @property
    def token(self) -> str | None:
        """The whole token: for handing the session to another program, never for display."""
        return self._token

    @property
    def session_uri(self) -> str | None:
        return self._uri if self._token is not None else None

    @property
    def token_hint(self) -> str | None:
        return token_hint(self._token) if self._token is not None else None

    @property
    def has_session(self) -> bool:
        return self._token is not None

    @property
    def can_refresh(self) -> bool:
        return self.refreshable

    def apply(self, headers: MutableMapping[str, str]) -> None:
        if self._token is not None:
            headers["X-Auth-Token"] = self._token

    def refresh(self, wire: Wire) -> None:
        """The session is gone (the BMC said 401): forget it, and log in again."""
        self._forget()
        self.login(wire)

    def logout(self, wire: Wire) -> bool:
        """DELETE the session. False when it was already gone (expired or deleted): not an error.

        The session is forgotten once the BMC answered (or could not be reached: no second attempt at exit);
        an interrupt during the DELETE leaves it held, for the exit-time finalizer to delete."""
        uri = self.session_uri
        if uri is None:
            self._forget()
            return False
        try:
            response = wire.send("DELETE", uri, auth=self)
        except RedfishError:
            self._forget()
            raise
        self._forget()
        if response.status in (401, 404):
            return False
        if response.status >= 400:
            raise error_from_response(
                response.status, response.json, method="DELETE", url=uri, response=response
            )
        return True

    def detach(self) -> tuple[str, str | None]:
        token, uri = self._token, self._uri
        if token is None:
            return super().detach()
        self._forget()
        return token, uri

    def drop_credentials(self) -> None:
        self.refreshable = False

    def _hold(self, token: str, uri: str | None) -> None:
        self._token, self._uri = token, uri

    def _forget(self) -> None:
        self._token = self._uri = None

    def _adopt(self, response: Response, base_url: str, what: str, no_token_hint: str) -> None:
        """Keep the token and session URI of a successful login answer; raise when it holds none."""
        token = response.headers.get("X-Auth-Token")
        if not token:
            if response.status in (200, 201, 202, 204):
                raise ServiceError(
                    f"{what} succeeded (HTTP {response.status}) but the answer has no X-Auth-Token header.",
                    status=response.status,
                    response=response,
                    hint=no_token_hint,
                )
            raise NotRedfish(f"{what} answered HTTP {response.status} without a session token.")
        body = response.json if isinstance(response.json, Mapping) else {}
        self.username = body.get("UserName") or self.username
        self._hold(token, session_path(response.headers.get("Location"), response.json, base_url))
        self.password_change_uri = password_change_uri(body)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} user={self.username!r} token={self.token_hint} uri={self.session_uri!r}>"
        )


def password_change_uri(body: Mapping[str, Any]) -> str | None:
    """The account URI of a ``PasswordChangeRequired`` message in a successful login's ``@Message.ExtendedInfo``
    ("" when it names none), None without one: DSP0266 lets such a login succeed, restricted."""
    for item in extended_info(body):
        if str(item.get("MessageId") or item.get("MessageID") or "").endswith(".PasswordChangeRequired"):
            args = item.get("MessageArgs") or []
            return str(args[0]) if args else ""
    return None


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
    found = body.get("@odata.id") if isinstance(body, Mapping) else None
    return found if isinstance(found, str) else None


def login_failed(
    response: Response, method: str, url: str, login_delay: float | None, *, otp: bool = False
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
