"""Who is calling an openbmc BMC: client certificate, then ``X-Auth-Token``, then HTTP Basic (bmcweb's order).

These are the flavour's ``authenticate``, ``unauthorized`` and ``check_password`` hooks. What differs from the
HPE flavours:

* a trusted, mapped TLS client certificate authenticates every request on its own (no header, no session);
  otherwise the generic token-then-Basic path runs with this flavour's password check;
* Basic is governed by ``AccountService.HTTPBasicAuth`` (Disabled: the header is ignored), and refused for an
  account that logs in with a TOTP code, since Basic cannot carry one;
* failed passwords feed the DMTF lockout counters (:mod:`redfishnb.mock.standard.lockout`); a locked account is
  refused exactly like a wrong password.
"""

from __future__ import annotations

import dataclasses
import hmac

from cryptography import x509

from ...auth import LoginRefused, Principal
from ...auth import authenticate as generic_authenticate
from ...standard import basic_policy
from ...standard.client_cert import mapped_username, trusted
from ...state import Account, BMCState
from ...wire import Headers, Problem, Request
from .settings import settings_of


def unauthorized(state: BMCState) -> Problem:
    """401 ``NoValidSession``, with the Basic challenge only while ``HTTPBasicAuth`` is Enabled."""
    headers = basic_policy.challenge_headers(settings_of(state).basic, {})
    return Problem(401, "NoValidSession", headers=headers)


def authenticate(state: BMCState, request: Request) -> Principal:
    """The caller of ``request``, or raise a 401 Problem.

    A mapped client certificate comes first; then the generic token-then-Basic path (which uses this flavour's
    ``check_password`` and ``unauthorized`` hooks), with the ``Authorization`` header dropped while
    ``HTTPBasicAuth`` is Disabled."""
    account = certificate_account(state, request)
    if account is not None:
        return Principal(account, None, "certificate")
    if not basic_policy.accepts_basic(settings_of(state).basic):
        request = _without_authorization(request)
    try:
        principal = generic_authenticate(state, request)
        if principal.method == "basic" and needs_totp(state, principal.account):
            raise unauthorized(state)  # Basic cannot carry the TOTP code
    except Problem as refused:
        if request.headers.get("x-requested-with") is not None:  # bmcweb: no challenge for scripts in a page
            refused.headers.pop("WWW-Authenticate", None)
        raise
    return principal


def _without_authorization(request: Request) -> Request:
    headers = Headers({k: v for k, v in request.headers.items() if k != "authorization"})
    return dataclasses.replace(request, headers=headers)


def check_password(state: BMCState, username: str, password: str) -> Account:
    """The enabled, unlocked account with this password (the counter then clears); else LoginRefused."""
    account = verify_password_only(state, username, password)
    settings_of(state).lockout.record_success(username)
    return account


def verify_password_only(state: BMCState, username: str, password: str) -> Account:
    """Like :func:`check_password`, but a success leaves the failure counter alone: a login that still needs
    its TOTP code is not a successful login yet."""
    tracker = settings_of(state).lockout
    now = state.clock.now()
    account = state.find_account(username)
    expected = account.password if account is not None else "\x00" * 8
    matches = hmac.compare_digest(
        password.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )
    if tracker.is_locked(username, now):
        raise LoginRefused()
    if account is None or not matches or not account.enabled:
        tracker.record_failure(username, now)
        raise LoginRefused()
    return account


def needs_totp(state: BMCState, account: Account) -> bool:
    """TOTP applies to an account that has a secret while ``TimeBasedOneTimePassword.Enabled`` is true."""
    settings = settings_of(state)
    return settings.totp_enabled and account.username in settings.secrets


def certificate_account(state: BMCState, request: Request) -> Account | None:
    """The account a trusted client certificate maps to, when client-certificate authentication is enabled."""
    settings = settings_of(state)
    cc = settings.client_cert
    if not cc.enabled or not request.peer_cert_der:
        return None
    try:
        cert = x509.load_der_x509_certificate(request.peer_cert_der)
    except ValueError:
        return None
    now = state.clock.now()
    if not trusted(cert, list(cc.authorities.values()), now):
        return None
    name = mapped_username(
        cert,
        cc.mapping,
        hostname=state.flavor.text("hostname"),
        identity_certificates=settings.identity_map() if cc.mapping == "Whole" else None,
    )
    account = state.find_account(name) if name else None
    if account is None or not account.enabled or settings.lockout.is_locked(account.username, now):
        return None
    return account
