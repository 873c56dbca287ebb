"""The Session resource as each HPE flavour shows it (the ``session_body`` hook of :mod:`..flavors.hooks`).

Why separate builders: the session schema is what differs most between BMCs (iLO's ``HpeiLOSession`` block with
its timestamps and privileges, the RMC's ``Session.v1_2_1`` with ``HpeSession.InitialRole``); a flavour names
its builder in ``flavor.json`` and the session handlers stay the same.
"""

from __future__ import annotations

from typing import Any

from ..clock import iso
from ..privileges import privilege_map
from ..resources import SESSIONS
from ..state import Session


def _path(session: Session) -> str:
    return f"{SESSIONS}/{session.id}"


def rmc_session(ctx: Any, session: Session, *, mine: bool) -> dict[str, Any]:
    """Superdome Flex 280 RMC: ``Session.v1_2_1`` with ``HpeSession.InitialRole``."""
    return {
        "@odata.id": _path(session),
        "@odata.type": ctx.flavor.session_type,
        "Id": session.id,
        "Name": f"User Session {session.id}",
        "Oem": {"Hpe": {"@odata.type": "#HpeSession.v1_0_0.HpeSession", "InitialRole": session.initial_role}},
        "UserName": session.username,
    }


def ilo_session(ctx: Any, session: Session, *, mine: bool) -> dict[str, Any]:
    """iLO: ``Session.v1_0_0`` with the ``HpeiLOSession`` block.

    ``MySession`` is relative to the caller, and ``Privileges`` appear on the caller's own session only, as in
    HPE's captures; the reply to the login POST has ``MySession: false`` (the request carried no token yet)."""
    state = ctx.state
    expires = state.expires_at(session)
    hpe: dict[str, Any] = {
        "@odata.context": "/redfish/v1/$metadata#HpeiLOSession.HpeiLOSession",
        "@odata.type": "#HpeiLOSession.v2_1_0.HpeiLOSession",
        "AccessTime": iso(session.access_time),
        "LoginTime": iso(session.login_time),
        "MySession": mine,
    }
    if mine:
        account = state.accounts.get(session.account_id)
        hpe["Privileges"] = privilege_map(account.privileges if account else ())
    hpe.update(
        {
            "UserExpires": iso(expires) if expires is not None else None,
            "UserIP": session.user_ip,
            "UserTag": session.user_tag,
            "UserType": session.user_type,
        }
    )
    return {
        "@odata.context": "/redfish/v1/$metadata#Session.Session",
        "@odata.id": _path(session),
        "@odata.type": ctx.flavor.session_type,
        "Description": "Manager User Session",
        "Id": session.id,
        "Name": "User Session",
        "Oem": {"Hpe": hpe},
        "UserName": session.username,
    }
