"""How a DMTF-standard service's refused login is worded: the code, the lockout, the Basic setting.

A standard service says little on purpose: bmcweb answers an unknown user, a wrong password, a locked account
and a wrong two-factor code with the same ``401 ResourceAtUriUnauthorized`` (DMTF's AccountSecurity messages are
for logs, never for the client). So the typed error names every cause the client cannot rule out, in the order a
user should check them, and says when a locked account unlocks when the service lets an unauthenticated client
read ``AccountLockoutDuration`` (bmcweb does not: then the wording says so). iLO's own wording stays in
:mod:`redfishnb.auth.session` and :mod:`redfishnb.auth.basic`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import (
    TOKEN_HINTS,
    BasicAuthDisabled,
    InvalidCredentials,
    NoValidSession,
    OneTimePasscodeRequired,
    RedfishError,
    error_from_response,
    lockout_hint,
)
from ..response import Response, ResponseLike
from .base import NoAuth, Wire

__all__ = [
    "ACCOUNT_SERVICE_URI",
    "basic_not_offered",
    "locked_clause",
    "lockout_settings",
    "standard_login_failed",
]

ACCOUNT_SERVICE_URI = "/redfish/v1/AccountService"
_NO_LOCKOUT = -1.0  # AccountLockoutThreshold 0: the service never locks, so the lockout clause is left out


def lockout_settings(wire: Wire) -> float | None:
    """``AccountLockoutDuration`` in seconds when an unauthenticated client may read AccountService, -1 when
    its ``AccountLockoutThreshold`` is 0 (never locks), None when the service keeps it to logged-in users."""
    try:
        answer = wire.send("GET", ACCOUNT_SERVICE_URI, auth=NoAuth())
    except RedfishError:
        return None
    body = answer.json if answer.status == 200 and isinstance(answer.json, Mapping) else {}
    if body.get("AccountLockoutThreshold") == 0:
        return _NO_LOCKOUT
    duration = body.get("AccountLockoutDuration")
    return float(duration) if isinstance(duration, int | float) else None


def standard_login_failed(
    response: Response,
    method: str,
    url: str,
    *,
    username: str,
    token_sent: bool,
    lockout: Callable[[], float | None],
) -> RedfishError:
    """The typed error of a standard service's refused session login; ``lockout`` reads the lockout duration
    (:func:`lockout_settings`), only when the refusal may be a lockout."""
    error = error_from_response(response.status, response.json, method=method, url=url, response=response)
    common: dict[str, Any] = {
        "status": error.status,
        "message_ids": error.message_ids,
        "messages": error.messages,
        "response": response,
    }
    if isinstance(error, OneTimePasscodeRequired):
        return OneTimePasscodeRequired(
            error.message, hint=TOKEN_HINTS["AuthenticationTokenRequired"], **common
        )
    if type(error) not in (NoValidSession, InvalidCredentials):
        return error
    first = TOKEN_HINTS["refused"] if token_sent else "Check the user name and password."
    return InvalidCredentials(error.message, hint=f"{first}{locked_clause(username, lockout())}", **common)


def locked_clause(username: str, lockout: float | None) -> str:
    """The sentence on a possible lockout (none when the service said it never locks)."""
    if lockout == _NO_LOCKOUT:
        return ""
    account = f"/redfish/v1/AccountService/Accounts/{username}" if username else None
    return (
        " If they are right, the account may be locked after too many failed logins (AccountLockoutThreshold). "
        + lockout_hint(lockout, account)
    )


def basic_not_offered(response: ResponseLike, what: str, error: RedfishError) -> RedfishError | None:
    """A Basic 401 that offered no Basic challenge, from a standard service: ``HTTPBasicAuth`` is not Enabled.

    DMTF: a service with HTTPBasicAuth Enabled must name Basic in ``WWW-Authenticate`` on a 401; Unadvertised
    accepts Basic without saying so, Disabled ignores it. So a 401 without the challenge is Disabled, or a wrong
    password on an Unadvertised service; None when the challenge was there (a wrong password)."""
    challenge = (response.headers or {}).get("WWW-Authenticate") or ""
    if "basic" in challenge.lower():
        return None
    return BasicAuthDisabled(
        f"{what}, and the answer offers no Basic authentication (no WWW-Authenticate: Basic): the BMC's "
        "AccountService.HTTPBasicAuth is Disabled (or Unadvertised, and then the user name or password is wrong).",
        status=error.status,
        message_ids=error.message_ids,
        messages=error.messages,
        response=response,
    )
