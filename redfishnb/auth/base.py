"""What every auth object is: a requests ``AuthBase`` that also owns the life of what it logs in to.

An auth object sets its header on each request (``__call__``, as requests calls it), and knows how to
``login``, whether it ``can_refresh`` after a 401, how to ``refresh`` and how to ``logout``. The client holds
exactly one and asks it instead of switching on a method name. Logins and logouts go out through a :class:`Wire`:
the client's own send path, so they land in its exchange log like any other request (or, at interpreter exit,
a bare one that only needs the connection pool: see :mod:`redfishnb.lifetime`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, NamedTuple, Protocol

import requests
from requests.auth import AuthBase

from ..errors import (
    STANDARD_PRIVILEGE_HINT,
    InsufficientPrivilege,
    NoValidSession,
    RedfishError,
    error_from_response,
    retyped,
)
from ..response import Response

__all__ = ["Auth", "ClientIdentity", "NoAuth", "Wire"]


class ClientIdentity(NamedTuple):
    """A client certificate, its key and the key's passphrase, as ``build_ssl_context`` takes them (paths or
    PEM bytes). It holds the passphrase: never display it."""

    cert: Any
    key: Any = None
    key_password: str | bytes | None = None

    def __repr__(self) -> str:
        def shown(value: Any) -> str:
            return "<PEM>" if isinstance(value, bytes) or "-----BEGIN" in str(value) else repr(value)

        secret = "***" if self.key_password else "None"
        return f"ClientIdentity(cert={shown(self.cert)}, key={shown(self.key)}, key_password={secret})"


class Wire(Protocol):
    """The way an auth object reaches the BMC: where it is, where logins go, and one request at a time.

    ``send`` with ``auth=None`` sends with the client's own auth object (the one logging in, once it holds a
    token); a login passes ``NoAuth()`` so no stale credential rides along. ``client_cert`` marks the request
    that presents the client certificate (iLO's certificate login), which is never sent twice.
    """

    @property
    def url(self) -> str: ...

    @property
    def login_uri(self) -> str: ...

    @property
    def login_delay(self) -> float | None: ...

    def send(
        self, method: str, path: str, *, json: Any = None, auth: Auth | None = None, client_cert: bool = False
    ) -> Response: ...


class Auth(AuthBase):
    """The common shape of the auth objects; alone it sends no credentials (see :class:`NoAuth`).

    ``method`` is what ``RedfishClient.auth_method`` reports (``"session"``, ``"basic"``, ``"certificate"``,
    ``"none"``). The session properties are None for an auth object that creates no session.
    """

    method = "none"
    username: str | None = None
    #: The kind of service, as the service root said: DMTF-standard (True), iLO (False), not known (None).
    standard: bool | None = None
    #: Set by a login the BMC accepted although the account must change its password first: the account's URI
    #: as the BMC named it ("" when it named none). :meth:`password_changed` clears it.
    password_change_uri: str | None = None

    @property
    def session_uri(self) -> str | None:
        return None

    @property
    def token_hint(self) -> str | None:
        return None

    @property
    def has_session(self) -> bool:
        """Whether a session on the BMC is held, which ``logout`` (or the exit-time finalizer) deletes."""
        return False

    @property
    def can_refresh(self) -> bool:
        """Whether a 401 may be answered by :meth:`refresh` and one retry (``reauth=True``)."""
        return False

    @property
    def client_identity(self) -> ClientIdentity | None:
        """The client certificate the TLS context must present, for an auth object that logs in with one."""
        return None

    def apply(self, headers: MutableMapping[str, str]) -> None:
        """Put this object's credential into ``headers`` (nothing by default)."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        self.apply(r.headers)
        return r

    def login(self, wire: Wire) -> None:
        """Prove who we are; raise the typed error of a refusal. Nothing to do by default."""

    def refresh(self, wire: Wire) -> None:
        """Log in again after the BMC answered 401; only called when :attr:`can_refresh`."""
        raise RedfishError(f"{self.method} authentication cannot log in again by itself.")

    def logout(self, wire: Wire) -> bool:
        """Delete what ``login`` opened; False when there was nothing (left) to delete."""
        return False

    def detach(self) -> tuple[str, str | None]:
        """Give up the session (token, URI) without deleting it; only a session auth object has one."""
        raise RedfishError("There is no session to hand over.", hint='connect(..., auth="session") first.')

    def drop_credentials(self) -> None:
        """Forget what a later :meth:`refresh` would need (a password): the client is closing."""

    def password_changed(self, password: str) -> None:
        """The account's password is now ``password`` (``client.change_password``): the login is no longer
        restricted, and credentials kept for later requests or logins follow the change."""
        self.password_change_uri = None

    def refusal(self, response: Response, path: str) -> RedfishError | None:
        """The error of a 401 this object's credentials got, when it says more than the tables; None otherwise."""
        return None

    def reword(self, error: RedfishError) -> RedfishError:
        """The tables' error for an answer to this object's request, in the words of its kind of service: the
        tables speak iLO's privilege names, which a standard service's 403 must not send the user after."""
        if not self.standard or type(error) is not InsufficientPrivilege or error.hint != error.default_hint:
            return error
        return retyped(error, InsufficientPrivilege, hint=STANDARD_PRIVILEGE_HINT)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class NoAuth(Auth):
    """No credentials (``auth="none"``, and every login request). Set explicitly so requests never falls back
    to ``~/.netrc`` credentials for the BMC."""

    def refusal(self, response: Response, path: str) -> RedfishError:
        """Without credentials, NoValidSession's usual hint (the session expired; reauth=True) does not apply."""
        error = error_from_response(401, response.json, method=response.method, url=path, response=response)
        return NoValidSession(
            error.message,
            status=401,
            message_ids=error.message_ids,
            messages=error.messages,
            response=response,
            hint='This client is not logged in (auth="none" reads only the service root): connect with '
            "username= and password= to read this resource.",
        )
