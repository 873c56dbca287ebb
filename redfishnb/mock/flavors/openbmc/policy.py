"""The openbmc flavour's privilege model, PasswordChangeRequired gate and Session shape (flavour hooks).

Route-level checks work as bmcweb's router does: the route names its Redfish entity (``"ManagerAccount"``,
``"Session"`` ...) and the caller must hold one of the registry's privilege sets for the method, with
ConfigureSelf counted as held — whose resource it is gets checked by the handlers, which know the target
(bmcweb does the same in its account and session handlers). Generic routes that still name an iLO privilege
are translated through the registry's ``"aliases"`` (``privilege_registry.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...clock import iso
from ...standard import password_change
from ...standard.privilege_registry import load
from ...standard.session_resource import session_body as standard_session_body
from ...state import Account, Session
from ...wire import Problem
from .settings import settings_of

if TYPE_CHECKING:
    from ...app import App
    from ...auth import Principal
    from ...routing import Route

ROUTE_ENTITIES = {"Account": "ManagerAccount", "Session": "Session"}


def role_privileges(role: str) -> frozenset[str]:
    """DMTF privileges of a predefined role (Administrator, Operator, ReadOnly)."""
    privileges = load().role_privileges(role)
    if not privileges:
        raise ValueError(f"role must be one of {sorted(load().roles)}, not {role!r}")
    return privileges


def role_of(privileges: Iterable[str]) -> str:
    """The predefined role whose privileges these are (the smallest role covering them)."""
    return load().role_of(privileges)


def authorize(principal: Principal, route: Route, method: str, privilege: str) -> bool:
    """Router-level check: any privilege set of the operation, ConfigureSelf counted (handlers check owners)."""
    registry = load()
    held = principal.account.privileges
    if privilege in registry.entities:
        return registry.route_allowed(privilege, method, held)
    return registry.holds(privilege, held)


def owns(principal: Principal, route: Route, params: dict[str, str]) -> bool:
    """Is the target of this route the caller's own account or session?"""
    if route.name == "Account":
        return params.get("account_id") == principal.account.username
    if route.name == "Session":
        mine = principal.session
        return mine is not None and params.get("session_id") == mine.id
    return False


def password_change_gate(
    app: App, route: Route, method: str, params: dict[str, str], principal: Principal
) -> None:
    """DSP0266: an account that must change its password may read itself and PATCH its password, nothing more.

    A PATCH of the own account passes here; the account handler refuses any property but ``Password``."""
    account = principal.account
    if not account.password_change_required:
        return
    entity = ROUTE_ENTITIES.get(route.name, route.name)
    fields = ("Password",) if method.upper() == "PATCH" else ()
    if password_change.permits(entity, method, own=owns(principal, route, params), properties=fields):
        return
    raise password_change_problem(account)


def password_change_problem(account: Account) -> Problem:
    return Problem(403, "PasswordChangeRequired", account_path(account))


def account_path(account: Account) -> str:
    return f"/redfish/v1/AccountService/Accounts/{account.username}"


def session_body(ctx: Any, session: Session, *, mine: bool) -> dict[str, Any]:
    """Session v1_7_0 (``session_body`` hook): role from the account's DMTF privileges, Context if given."""
    account = ctx.state.accounts.get(session.account_id)
    role = role_of(account.privileges) if account is not None else session.initial_role
    return standard_session_body(
        session.id,
        username=session.username,
        role=role,
        client_ip=session.user_ip,
        created=iso(session.login_time),
        context=settings_of(ctx.state).contexts.get(session.id),
    )
