"""The default account policy and privilege model (the ``account_gate``, ``authorize`` and ``role_privileges``
hooks of :mod:`.flavors.hooks`), as iLO and the RMC apply them.

Why a module of its own: these are the decisions a DMTF-standard BMC makes differently (standard privileges per
operation, its own PasswordChangeRequired rules); keeping them behind hooks leaves the pipeline in :mod:`.app`
the same for every flavour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .privileges import ROLE_PRIVILEGES
from .wire import Problem

if TYPE_CHECKING:
    from .app import App
    from .auth import Principal
    from .routing import Route


def password_change_gate(
    app: App, route: Route, method: str, params: dict[str, str], principal: Principal
) -> None:
    """An account that must change its password may only read and PATCH itself, and log out."""
    account = principal.account
    if not account.password_change_required:
        return
    own_account = route.name == "Account" and params.get("account_id") == account.id
    own_session = (
        route.name == "Session"
        and principal.session is not None
        and params.get("session_id", "").lower() == principal.session.id.lower()
    )
    if (own_account and method in ("GET", "HEAD", "PATCH")) or (
        own_session and method in ("GET", "HEAD", "DELETE")
    ):
        return
    raise Problem(403, "PasswordChangeRequired", app.account_path(account))


def has_privilege(principal: Principal, route: Route, method: str, privilege: str) -> bool:
    """iLO's model: each route method names one iLO privilege; the account must hold it."""
    return privilege in principal.account.privileges


def role_privileges(role: str) -> frozenset[str]:
    """The privileges a predefined role grants (iLO's names)."""
    return ROLE_PRIVILEGES[role]
