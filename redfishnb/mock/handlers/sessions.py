"""SessionService, the Sessions collection and Session members: login, logout, listing, idle timeout.

Login is the one unauthenticated POST. It answers 201 with ``X-Auth-Token`` (32 lowercase hex), an absolute
``Location`` as iLO writes it, ``Link: rel=self`` and the full Session body. The limit on simultaneous sessions
is checked and applied under the state lock, so 100 concurrent logins never open more than the limit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .. import twofactor
from ..auth import LoginRefused, login_refusal, verify_password
from ..messages import message
from ..resources import SESSIONS
from ..routing import Route
from ..state import Session
from ..wire import Problem, Response
from .common import apply_patch, odata_context, require_fields, success

SESSION_SERVICE = "/redfish/v1/SessionService"


def session_path(session: Session) -> str:
    return f"{SESSIONS}/{session.id}"


def session_body(ctx: Any, session: Session, *, mine: bool) -> dict[str, Any]:
    """The Session resource in the flavour's schema (the ``session_body`` hook, :mod:`.session_shapes`)."""
    build = ctx.flavor.hook("session_body")
    return build(ctx, session, mine=mine)  # type: ignore[no-any-return]


def created_session_response(
    ctx: Any, session: Session, extra_items: list[dict[str, Any]] | None = None
) -> Response:
    """201 Created with the token, the absolute Location and the body (shared by password and certificate login)."""
    path = session_path(session)
    body = session_body(ctx, session, mine=False)
    if extra_items:
        body["@Message.ExtendedInfo"] = extra_items
    headers = {
        "X-Auth-Token": session.token,
        "Location": ctx.app.absolute_url(ctx.request, ctx.flavor.link(path)),
        "Link": f"<{quote(ctx.flavor.link(path), safe='/')}>; rel=self",
    }
    return Response(201, body, headers=headers)


def open_session(ctx: Any, account: Any, user_tag: str) -> Session:
    """A new session for ``account``, or the flavour's session-limit error."""
    session: Session | None = ctx.state.create_session(
        account, user_tag=user_tag, user_ip=ctx.request.client_ip
    )
    if session is None:
        if ctx.state.policy.limit_status == 400:
            raise Problem(400, "CreateLimitReachedForResource")
        raise Problem(503, "SessionLimitExceeded")
    return session


def login(ctx: Any) -> Response:
    body = require_fields(ctx, {"UserName": str, "Password": str}, optional={"Token": str, "Oem": dict})
    state = ctx.state
    try:
        account = verify_password(state, body["UserName"], body["Password"])
    except LoginRefused as refused:
        raise login_refusal(state, refused) from None
    twofactor.check_login(state, account, body.get("Token"))
    session = open_session(ctx, account, "REST")
    extra = None
    if account.password_change_required:
        extra = [message(ctx.flavor, "PasswordChangeRequired", ctx.app.account_path(account))]
    return created_session_response(ctx, session, extra)


def list_sessions(ctx: Any) -> dict[str, Any]:
    flavor = ctx.flavor
    state = ctx.state
    with state.lock:
        state.expire_sessions()
        members = [{"@odata.id": flavor.link(session_path(s))} for s in state.sessions.values()]
    body: dict[str, Any] = odata_context(ctx, "SessionCollection")
    body.update(
        {
            "@odata.id": flavor.link(SESSIONS),
            "@odata.type": "#SessionCollection.SessionCollection",
            "Description": "Manager User Sessions",
            "Name": "Sessions",
        }
    )
    mine = ctx.principal.session if ctx.principal else None
    if flavor.has("session_summary_oem"):
        hpe: dict[str, Any] = {
            "@odata.context": "/redfish/v1/$metadata#HpeiLOSessionsSummary.HpeiLOSessionsSummary",
            "@odata.type": "#HpeiLOSessionsSummary.v2_0_0.HpeiLOSessionsSummary",
        }
        if mine is not None:
            hpe["Links"] = {"MySession": {"@odata.id": flavor.link(session_path(mine))}}
        body["Oem"] = {"Hpe": hpe}
    body["Members"] = members
    body["Members@odata.count"] = len(members)
    return body


def _target(ctx: Any) -> Session:
    session: Session | None = ctx.state.find_session(ctx.params["session_id"])
    if session is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    return session


def get_session(ctx: Any) -> dict[str, Any]:
    session = _target(ctx)
    mine = ctx.principal.session is not None and ctx.principal.session.id == session.id
    return session_body(ctx, session, mine=mine)


def delete_session(ctx: Any) -> dict[str, Any]:
    """Logout. Deleting another user's session needs UserConfigPriv, as on iLO."""
    session = _target(ctx)
    mine = ctx.principal.session is not None and ctx.principal.session.id == session.id
    if not mine and "UserConfigPriv" not in ctx.principal.account.privileges:
        raise Problem(403, "InsufficientPrivilege")
    ctx.state.delete_session(session.id)
    return success(ctx)


def session_service(ctx: Any) -> dict[str, Any]:
    flavor = ctx.flavor
    body: dict[str, Any] = odata_context(ctx, "SessionService")
    body.update(
        {
            "@odata.id": flavor.link(SESSION_SERVICE),
            "@odata.type": "#SessionService.v1_0_0.SessionService",
            "Id": "SessionService",
            "Name": "Session Service",
            "Description": "Session Service",
            "ServiceEnabled": True,
            "SessionTimeout": ctx.state.policy.session_timeout,
            "Sessions": {"@odata.id": flavor.link(SESSIONS)},
            "Status": {"Health": "OK", "State": "Enabled"},
        }
    )
    return body


def patch_session_service(ctx: Any) -> dict[str, Any]:
    def set_timeout(value: Any) -> None:
        ctx.state.policy.session_timeout = value

    apply_patch(
        ctx,
        {"SessionTimeout": (int, set_timeout, (30, 86400))},
        readonly={"ServiceEnabled", "Sessions", "Id"},
    )
    return session_service(ctx)


def routes(flavor: Any) -> list[Route]:
    post_login = (login, None)
    return [
        Route(
            SESSION_SERVICE,
            {"GET": (session_service, "LoginPriv"), "PATCH": (patch_session_service, "iLOConfigPriv")},
            name="SessionService",
        ),
        Route(
            f"{SESSIONS}/Members", {"POST": post_login}, name="SessionsMembers", public=frozenset({"POST"})
        ),
        Route(
            SESSIONS,
            {"GET": (list_sessions, "LoginPriv"), "POST": post_login},
            name="Sessions",
            public=frozenset({"POST"}),
        ),
        Route(
            f"{SESSIONS}/{{session_id}}",
            {"GET": (get_session, "LoginPriv"), "DELETE": (delete_session, "LoginPriv")},
            name="Session",
        ),
    ]
