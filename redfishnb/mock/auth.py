"""Who is calling: X-Auth-Token sessions, HTTP Basic, and the password check with iLO's delay and lockout.

A request is authenticated before anything else is looked at (DSP0266: authentication headers first), so an
unauthenticated client learns nothing — not even whether a path exists. A token, when sent, is authoritative:
a stale token gets 401 even if Basic credentials ride along. Basic authentication checks the password on every
request and leaves no session behind, as iLO's transient Basic sessions do.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from . import twofactor
from .state import Account, BMCState, FailureRecord, Session
from .wire import Problem, Request

MAX_TRACKED_NAMES = 4096


@dataclass
class Principal:
    """The authenticated caller of one request."""

    account: Account
    session: Session | None  # None for HTTP Basic
    method: str  # "session" | "basic"


class LoginRefused(Exception):
    """The credentials were not accepted; ``delay`` is set when iLO's login-failure delay is in force."""

    def __init__(self, delay: int | None = None) -> None:
        super().__init__("login refused")
        self.delay = delay


def unauthorized(state: BMCState) -> Problem:
    """The 401 for a missing or bad credential; with a Basic challenge while HTTPBasicAuth is advertised."""
    headers = {"WWW-Authenticate": 'Basic realm="Redfish"'} if state.policy.www_authenticate else {}
    return Problem(401, "NoValidSession", headers=headers)


def authenticate(state: BMCState, request: Request) -> Principal:
    """The caller of ``request``, or raise a 401 ``NoValidSession`` Problem."""
    refuse: Callable[[BMCState], Problem] = state.flavor.hook("unauthorized")
    token = request.headers.get("x-auth-token")
    if token is not None:
        session = state.session_for_token(token.strip()) if token.strip() else None
        if session is None:
            raise refuse(state)
        account = state.accounts.get(session.account_id)
        if account is None or not account.enabled:
            state.delete_session(session.id)
            raise refuse(state)
        return Principal(account, session, "session")
    header = request.headers.get("authorization")
    if header and state.flavor.allows("basic"):
        username, password = _parse_basic(header)
        if username is not None:
            try:
                account = verify_password(state, username, password or "")
            except LoginRefused:
                raise refuse(state) from None
            if twofactor.applies(state, account):  # a directory user under two-factor login
                raise twofactor.basic_refusal(refuse(state))
            return Principal(account, None, "basic")
    raise refuse(state)


def verify_password(state: BMCState, username: str, password: str) -> Account:
    """The flavour's password check (``check_password`` hook): lockout and delay counting included."""
    check: Callable[[BMCState, str, str], Account] = state.flavor.hook("check_password")
    return check(state, username, password)


def _parse_basic(header: str) -> tuple[str | None, str | None]:
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value:
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None, None
    return username, password


def check_password(state: BMCState, username: str, password: str) -> Account:
    """The account for these credentials, applying the login-failure delay and lockout; else LoginRefused."""
    policy = state.policy
    with state.lock:
        now = state.clock.now()
        record = state.login_failures.get(username)
        if record is None:
            if (
                len(state.login_failures) >= MAX_TRACKED_NAMES
            ):  # guessed names must not grow memory without bound
                state.login_failures.pop(next(iter(state.login_failures)))
            record = state.login_failures[username] = FailureRecord()
        if record.locked_until:
            if now < record.locked_until:
                _compare(password, password)
                raise LoginRefused()
            state.login_failures[username] = record = FailureRecord()
        if record.delayed_until > now:
            raise LoginRefused(delay=max(1, int(record.delayed_until - now + 0.999)))
        if (
            policy.lockout_reset_after
            and record.failures
            and now - record.last_failure >= policy.lockout_reset_after
        ):
            record.failures = 0
        account = state.find_account(username)
        ok = _compare(password, account.password if account else "\x00" * 8)
        if ok and account is not None and account.enabled:
            state.login_failures.pop(username, None)
            return account
        record.failures += 1
        record.last_failure = now
        if policy.lockout_threshold and record.failures >= policy.lockout_threshold:
            duration = policy.lockout_duration
            record.locked_until = now + duration if duration else float("inf")
        delay = None
        if policy.login_failure_delay and record.failures > policy.failures_before_delay:
            record.delayed_until = now + policy.login_failure_delay
            delay = policy.login_failure_delay
        raise LoginRefused(delay=delay)


def _compare(given: str, expected: str) -> bool:
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def login_refusal(state: BMCState, refused: LoginRefused) -> Problem:
    """The answer to a refused session login: UnauthorizedLoginAttempt, plus the delay when one applies.

    The body never echoes the user name or the password, and is the same whether the user exists or not.
    """
    extra = [("LoginAttemptDelayedSeconds", (refused.delay,))] if refused.delay else []
    return Problem(state.policy.bad_login_status, "UnauthorizedLoginAttempt", extra=extra)
