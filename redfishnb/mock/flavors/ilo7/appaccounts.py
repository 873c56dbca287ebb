"""iLO 7 application accounts: ``/redfish/v1/AccountService/Oem/Hpe/AppAccounts`` (``HpeiLOAppAccount``).

What HPE documents (iLO 7 v1.14 HPE resource definitions; security service page): the collection allows GET and
POST, a member GET and DELETE; a member has ``HostAppId``, ``HostAppName`` and read-only ``Privileges`` inherited
from the iLO user whose credentials created it; ``GET`` shows the host application id masked but for its last four
characters; application accounts are also listed in the ``ManagerAccountCollection``. AccountService links the
collection as ``Oem.Hpe.AppAccounts`` (from the flavour's ``surface.json``).

The mock's choices where HPE's pages are silent: reading needs Login; creating and deleting, like other account
management, needs Administer User Accounts (UserConfigPriv); a ``HostAppId`` may exist once (400
``ResourceAlreadyExists``). Creation on a real iLO 7 happens in-band over the virtual NIC and returns an application
token kept in the TPM; the mock accepts the POST on its one listener and models no application-token login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...handlers.common import collection, odata_context, require_fields, success
from ...privileges import privilege_map
from ...routing import Route, Router, collection_routes
from ...state import BMCState
from ...wire import Problem, Response
from ..model import Flavor

APP_ACCOUNTS = "/redfish/v1/AccountService/Oem/Hpe/AppAccounts"
_KEY = "ilo7.app_accounts"
_FIRST_ID = 65601


@dataclass
class AppAccount:
    id: str
    host_app_id: str
    host_app_name: str
    privileges: frozenset[str]


class _Store:
    """The BMC's application accounts (kept in ``BMCState.extras``, so they live as long as the accounts do)."""

    def __init__(self) -> None:
        self.accounts: dict[str, AppAccount] = {}
        self.next_id = _FIRST_ID


def _store(state: BMCState) -> _Store:
    with state.lock:
        found = state.extras.get(_KEY)
        if not isinstance(found, _Store):
            found = state.extras[_KEY] = _Store()
        return found


def member_paths(state: BMCState) -> list[str]:
    with state.lock:
        return [f"{APP_ACCOUNTS}/{a.id}" for a in _store(state).accounts.values()]


def _masked(value: str) -> str:
    return "*" * max(0, len(value) - 4) + value[-4:]


def _body(ctx: Any, account: AppAccount) -> dict[str, Any]:
    return {
        **odata_context(ctx, "HpeiLOAppAccount"),
        "@odata.id": ctx.flavor.link(f"{APP_ACCOUNTS}/{account.id}"),
        "@odata.type": "#HpeiLOAppAccount.v1_0_0.HpeiLOAppAccount",
        "Description": "iLO Application Account",
        "HostAppId": _masked(account.host_app_id),
        "HostAppName": account.host_app_name,
        "Id": account.id,
        "Name": "Application Account",
        "Privileges": privilege_map(account.privileges),
    }


def _member(ctx: Any) -> AppAccount:
    found = _store(ctx.state).accounts.get(ctx.params["app_id"])
    if found is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    return found


def list_app_accounts(ctx: Any) -> dict[str, Any]:
    members = member_paths(ctx.state)
    return collection(ctx, APP_ACCOUNTS, "HpeiLOAppAccountCollection", "Application Accounts", members)


def create_app_account(ctx: Any) -> Response:
    """A new application account with the creating user's privileges (never more than the caller holds)."""
    body = require_fields(ctx, {"HostAppId": str, "HostAppName": str})
    app_id, name = body["HostAppId"].strip(), body["HostAppName"].strip()
    for prop, value in (("HostAppId", app_id), ("HostAppName", name)):
        if not value:
            raise Problem(400, "PropertyValueFormatError", value, prop, related=[f"#/{prop}"])
    state = ctx.state
    store = _store(state)
    with state.lock:
        if any(a.host_app_id == app_id for a in store.accounts.values()):
            raise Problem(400, "ResourceAlreadyExists", "HpeiLOAppAccount", "HostAppId", _masked(app_id))
        account = AppAccount(str(store.next_id), app_id, name, ctx.principal.account.privileges)
        store.next_id += 1
        store.accounts[account.id] = account
    path = ctx.flavor.link(f"{APP_ACCOUNTS}/{account.id}")
    return Response(201, _body(ctx, account), headers={"Location": ctx.app.absolute_url(ctx.request, path)})


def get_app_account(ctx: Any) -> dict[str, Any]:
    return _body(ctx, _member(ctx))


def delete_app_account(ctx: Any) -> dict[str, Any]:
    account = _member(ctx)
    with ctx.state.lock:
        _store(ctx.state).accounts.pop(account.id, None)
    return success(ctx)


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("app_accounts"):
        return []
    return collection_routes(
        APP_ACCOUNTS,
        f"{APP_ACCOUNTS}/{{app_id}}",
        ("AppAccounts", "AppAccount"),
        read=(list_app_accounts, get_app_account),
        create=(create_app_account, "UserConfigPriv"),
        delete=(delete_app_account, "UserConfigPriv"),
    )


def extend(router: Router, flavor: Flavor) -> None:
    """List the application accounts in the ManagerAccountCollection too, as HPE documents for iLO 7."""
    if not flavor.has("app_accounts"):
        return
    route = next((r for r in router.routes if r.name == "Accounts"), None)
    if route is None:
        return
    handler, privilege = route.methods["GET"]

    def with_app_accounts(ctx: Any) -> Any:
        result = handler(ctx)
        body = result.body if isinstance(result, Response) else result
        extra = [{"@odata.id": ctx.flavor.link(p)} for p in member_paths(ctx.state)]
        if extra and isinstance(body, dict) and isinstance(body.get("Members"), list):
            body["Members"] = [*body["Members"], *extra]
            body["Members@odata.count"] = len(body["Members"])
        return result

    route.methods["GET"] = route.methods["HEAD"] = (with_app_accounts, privilege)
