"""HTTP Basic: the credentials go with every request and no session is created on the BMC.

Safe against session leaks (there is nothing to log out), but the password travels each time, and a refusal
arrives on whatever request the client sent: :meth:`BasicAuth.refusal` words every such 401 as a refused login,
with the delay the BMC asks for, instead of NoValidSession's "the session expired".
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import MutableMapping

from ..errors import (
    InvalidCredentials,
    NoValidSession,
    OneTimePasscodeRequired,
    RedfishError,
    error_from_response,
)
from ..response import Response, ResponseLike
from ..wording import format_duration
from .base import Auth, Wire
from .refusals import basic_not_offered, locked_clause

__all__ = ["BasicAuth", "basic_login_refused", "TWO_FACTOR_BASIC_HINT"]

TWO_FACTOR_BASIC_HINT = (
    "Log in with a session instead: connect(url, username, password) makes the BMC e-mail a one-time passcode "
    'to the account\'s address; then log in with connect(url, username, password, otp="<passcode>").'
)


class BasicAuth(Auth):
    """``Authorization: Basic`` on every request. ``login`` reads the sessions collection once, so wrong
    credentials fail at ``connect()`` rather than at the first real request."""

    method = "basic"

    def __init__(self, username: str, password: str, *, standard: bool = False) -> None:
        self.username = username
        self.password = password
        self.standard = standard  # a DMTF-standard service: its AccountService.HTTPBasicAuth may refuse Basic
        self._login_delay: float | None = None

    def apply(self, headers: MutableMapping[str, str]) -> None:
        pair = f"{self.username}:{self.password}".encode("latin1")
        headers["Authorization"] = "Basic " + b64encode(pair).decode("ascii")

    def login(self, wire: Wire) -> None:
        self._login_delay = wire.login_delay
        check = wire.send("GET", wire.login_uri)
        if check.status == 401:
            raise basic_login_refused(
                check, wire.login_uri, self.username or "", self._login_delay, standard=bool(self.standard)
            )

    def refusal(self, response: Response, path: str) -> RedfishError:
        return basic_login_refused(
            response,
            path,
            self.username or "",
            self._login_delay,
            method=response.method,
            standard=bool(self.standard),
        )

    def password_changed(self, password: str) -> None:
        """Every later request carries the new password."""
        super().password_changed(password)
        self.password = password

    def __repr__(self) -> str:
        return f"<BasicAuth user={self.username!r} password=***>"


def basic_login_refused(
    response: ResponseLike,
    uri: str,
    username: str,
    login_delay: float | None = None,
    *,
    method: str = "GET",
    standard: bool = False,
) -> RedfishError:
    """The typed error of a 401 to a request with Basic credentials, read through the errors table.

    The table decides what the 401 is (its ``LoginAttemptDelayedSeconds`` gives the delay); this only words it
    for Basic. A two-factor account cannot use Basic at all: the one-time passcode travels only in a session
    login's ``Token``. The mock adds ``AuthenticationTokenRequired`` to the 401 to say so; a real iLO documents
    only ``NoValidSession``, the same answer as a wrong password, so that hint names both causes. A
    ``standard`` service's 401 without a Basic challenge means its ``HTTPBasicAuth`` is not Enabled
    (:class:`~redfishnb.errors.BasicAuthDisabled`).
    """
    error = error_from_response(
        401, response.json, method=method, url=uri, response=response, login_delay=login_delay
    )
    what = f"{method} {uri} with Basic authentication as {username!r} was refused (HTTP 401)"
    if isinstance(error, OneTimePasscodeRequired):
        return OneTimePasscodeRequired(
            f"{what}: the account uses two-factor login, and Basic authentication cannot carry the one-time "
            "passcode it needs.",
            status=401,
            message_ids=error.message_ids,
            response=response,
            hint=TWO_FACTOR_BASIC_HINT,
        )
    if type(error) not in (NoValidSession, InvalidCredentials):
        return error  # the table knows better (an account that must change its password ...)
    if standard:
        disabled = basic_not_offered(response, what, error)
        hint = (
            "Check the user name and password. An account with a time-based code (TOTP) cannot use Basic at all: "
            "log in with a session and otp= or otp_secret=." + locked_clause(username, None)
        )
        return disabled or InvalidCredentials(
            f"{what}.", status=401, message_ids=error.message_ids, response=response, hint=hint
        )
    delay = getattr(error, "delay", None) or login_delay
    wait = (
        f", and wait {format_duration(delay)} before the next attempt (the BMC delays logins after a failure)"
        if delay
        else " (some BMCs, iLO among them, delay the next login after a failure)"
    )
    return InvalidCredentials(
        f"{what}.",
        status=401,
        message_ids=error.message_ids,
        response=response,
        delay=delay,
        hint=f"Check the user name and password{wait}. An account with two-factor login cannot use Basic "
        "authentication at all: log in with a session and otp= instead.",
    )
