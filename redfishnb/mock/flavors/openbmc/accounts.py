"""AccountService, accounts and roles of the openbmc flavour, with bmcweb's ownership rules.

The account ``Id`` is the user name (bmcweb). Who may do what follows :mod:`redfishnb.mock.standard.
privilege_registry`: a caller without ConfigureUsers sees only its own account in the collection and may only
read itself and PATCH its own ``Password``; reading another account needs ConfigureUsers and ConfigureManager.
``Locked`` reflects the lockout counters and may only be written ``false`` (unlock). ``GenerateSecretKey``
returns the new TOTP secret once (it is never readable again; ``SecretKeySet`` says one exists) and
``ClearSecretKey`` removes it.
"""

from __future__ import annotations

from typing import Any

from ...handlers.common import apply_patch, collection, require_fields, success
from ...routing import Route
from ...standard import password_change, totp
from ...standard.privilege_registry import load
from ...state import Account
from ...wire import Problem, Response
from .account_service import ACCOUNTS, MAX_PASSWORD, MIN_PASSWORD, ROLES
from .policy import account_path, password_change_problem, role_of
from .settings import settings_of

_ACTIONS = ("GenerateSecretKey", "ClearSecretKey", "VerifyTimeBasedOneTimePassword")
_VERIFY_ACTION = "ManagerAccount.VerifyTimeBasedOneTimePassword"


def _caller(ctx: Any) -> Account:
    return ctx.principal.account  # type: ignore[no-any-return]


def _target(ctx: Any) -> Account:
    account = ctx.state.find_account(ctx.params["account_id"])
    if account is None:
        raise Problem(404, "ResourceNotFound", "ManagerAccount", ctx.params["account_id"])
    return account  # type: ignore[no-any-return]


def _may(ctx: Any, method: str, account: Account, properties: list[str] | None = None) -> None:
    own = account.id == _caller(ctx).id
    entity = "ManagerAccountAction" if method == "ACTION" else "ManagerAccount"
    verb = "POST" if method == "ACTION" else method
    if not load().allowed(entity, verb, _caller(ctx).privileges, own=own, properties=properties or ()):
        raise Problem(403, "InsufficientPrivilege")


def account_body(ctx: Any, account: Account) -> dict[str, Any]:
    settings = settings_of(ctx.state)
    path = account_path(account)
    role = role_of(account.privileges)
    return {
        "@odata.id": path,
        "@odata.type": "#ManagerAccount.v1_13_0.ManagerAccount",
        "Id": account.username,
        "Name": "User Account",
        "Description": "User Account",
        "UserName": account.username,
        "Password": None,
        "RoleId": role,
        "Enabled": account.enabled,
        "Locked": settings.lockout.is_locked(account.username, ctx.state.clock.now()),
        "PasswordChangeRequired": account.password_change_required,
        "AccountTypes": ["Redfish", "WebUI"],
        "StrictAccountTypes": True,
        "SecretKeySet": account.username in settings.secrets,
        "Certificates": {"@odata.id": f"{path}/Certificates"},
        "Links": {"Role": {"@odata.id": f"{ROLES}/{role}"}},
        "Actions": {
            f"#ManagerAccount.{name}": {"target": f"{path}/Actions/ManagerAccount.{name}"}
            for name in _ACTIONS
        },
    }


def _response(
    ctx: Any, account: Account, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        status, account_body(ctx, account), headers=headers or {}, etag_salt=str(account.generation)
    )


def list_accounts(ctx: Any) -> dict[str, Any]:
    """Everyone for ConfigureUsers; only oneself otherwise (bmcweb filters the members)."""
    caller = _caller(ctx)
    everyone = "ConfigureUsers" in caller.privileges
    names = [a.username for a in ctx.state.accounts.values() if everyone or a.id == caller.id]
    members = [f"{ACCOUNTS}/{name}" for name in names]
    return collection(
        ctx, ACCOUNTS, "ManagerAccountCollection", "Accounts Collection", members, "BMC User Accounts"
    )


def get_account(ctx: Any) -> Response:
    account = _target(ctx)
    _may(ctx, "GET", account)
    return _response(ctx, account)


def _check_password(value: str) -> None:
    if not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise Problem(400, "PropertyValueFormatError", "******", "Password", related=["#/Password"])


def create_account(ctx: Any) -> Response:
    body = require_fields(
        ctx,
        {"UserName": str, "Password": str, "RoleId": str},
        optional={"Enabled": bool, "PasswordChangeRequired": bool, "AccountTypes": list},
    )
    if body["RoleId"] not in load().roles:
        raise Problem(400, "PropertyValueNotInList", body["RoleId"], "RoleId", related=["#/RoleId"])
    _check_password(body["Password"])
    if ctx.state.find_account(body["UserName"]) is not None:
        raise Problem(400, "ResourceAlreadyExists", "ManagerAccount", "UserName", body["UserName"])
    try:
        account = ctx.state.add_account(
            body["UserName"],
            body["Password"],
            body["RoleId"],
            enabled=body.get("Enabled", True),
            password_change_required=body.get("PasswordChangeRequired", False),
        )
    except ValueError:
        raise Problem(400, "PropertyValueFormatError", body["UserName"], "UserName") from None
    return _response(ctx, account, 201, {"Location": account_path(account)})


def _patch_spec(ctx: Any, account: Account) -> dict[str, Any]:
    state = ctx.state
    settings = settings_of(state)

    def set_password(value: str) -> None:
        account.password = value
        account.password_change_required = False
        mine = ctx.principal.session
        for other in [s for s in state.sessions.values() if s.account_id == account.id]:
            if mine is None or other.id != mine.id:  # bmcweb keeps only the session in use
                state.delete_session(other.id)

    def set_role(value: str) -> None:
        account.privileges = load().role_privileges(value)

    def only_false(value: bool) -> None:
        if value:
            raise Problem(400, "PropertyValueNotInList", "true", "Locked")

    return {
        "Password": (str, set_password, _check_password),
        "RoleId": (str, set_role, tuple(load().roles)),
        "Enabled": (bool, lambda v: setattr(account, "enabled", v), None),
        "Locked": (bool, lambda _v: settings.lockout.unlock(account.username), only_false),
        "PasswordChangeRequired": (bool, lambda v: setattr(account, "password_change_required", v), None),
    }


def patch_account(ctx: Any) -> Response:
    account = _target(ctx)
    keys = [k for k in ctx.body if not k.startswith("@")] if isinstance(ctx.body, dict) else []
    caller = _caller(ctx)
    if caller.password_change_required and not password_change.permits(
        "ManagerAccount", "PATCH", own=account.id == caller.id, properties=keys
    ):
        raise password_change_problem(caller)
    _may(ctx, "PATCH", account, keys)
    notes = apply_patch(
        ctx, _patch_spec(ctx, account), readonly={"Id", "UserName", "Name", "Links", "AccountTypes"}
    )
    with ctx.state.lock:
        account.generation += 1
    response = _response(ctx, account)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def delete_account(ctx: Any) -> dict[str, Any]:
    account = _target(ctx)
    settings = settings_of(ctx.state)
    ctx.state.remove_account(account.id)
    settings.secrets.pop(account.username, None)
    settings.identity_certs.pop(account.username, None)
    settings.lockout.unlock(account.username)
    return success(ctx)


def generate_secret_key(ctx: Any) -> dict[str, Any]:
    """A new TOTP secret, shown in this reply only (GenerateSecretKeyResponse)."""
    account = _target(ctx)
    _may(ctx, "ACTION", account)
    settings = settings_of(ctx.state)
    secret = totp.new_secret()
    settings.secrets[account.username] = secret
    settings.totp.forget(account.username)
    account.generation += 1
    return {"SecretKey": secret}


def clear_secret_key(ctx: Any) -> dict[str, Any]:
    account = _target(ctx)
    _may(ctx, "ACTION", account)
    settings = settings_of(ctx.state)
    settings.secrets.pop(account.username, None)
    settings.totp.forget(account.username)
    account.generation += 1
    return success(ctx)


def verify_totp(ctx: Any) -> dict[str, Any]:
    """Check a code against the account's secret without using it up; 400 when it does not match."""
    account = _target(ctx)
    _may(ctx, "ACTION", account)
    body = require_fields(ctx, {"TimeBasedOneTimePassword": str})
    settings = settings_of(ctx.state)
    secret = settings.secrets.get(account.username)
    code = body["TimeBasedOneTimePassword"]
    if secret is None or not settings.totp.verify(
        account.username, secret, code, ctx.state.clock.now(), spend=False
    ):
        raise Problem(
            400, "ActionParameterValueFormatError", "******", "TimeBasedOneTimePassword", _VERIFY_ACTION
        )
    return success(ctx)


def list_roles(ctx: Any) -> dict[str, Any]:
    members = [f"{ROLES}/{name}" for name in load().roles]
    return collection(ctx, ROLES, "RoleCollection", "Roles Collection", members, "BMC User Roles")


def get_role(ctx: Any) -> dict[str, Any]:
    name = ctx.params["role_id"]
    if name not in load().roles:
        raise Problem(404, "ResourceNotFound", "Role", name)
    return {
        "@odata.id": f"{ROLES}/{name}",
        "@odata.type": "#Role.v1_2_2.Role",
        "Id": name,
        "Name": "User Role",
        "Description": f"{name} User Role",
        "RoleId": name,
        "IsPredefined": True,
        "AssignedPrivileges": sorted(load().role_privileges(name)),
        "OemPrivileges": [],
    }


def routes(flavor: Any) -> list[Route]:
    action = "ManagerAccountAction"
    account_routes = [
        Route(
            f"{ACCOUNTS}/{{account_id}}/Actions/ManagerAccount.{name}",
            {"POST": (handler, action)},
            name=f"Account{name}",
        )
        for name, handler in (
            ("GenerateSecretKey", generate_secret_key),
            ("ClearSecretKey", clear_secret_key),
            ("VerifyTimeBasedOneTimePassword", verify_totp),
        )
    ]
    return [
        Route(
            f"{ACCOUNTS}/Members",
            {"POST": (create_account, "ManagerAccountCollection")},
            name="AccountsMembers",
        ),
        Route(
            ACCOUNTS,
            {
                "GET": (list_accounts, "ManagerAccountCollection"),
                "POST": (create_account, "ManagerAccountCollection"),
            },
            name="Accounts",
        ),
        *account_routes,
        Route(
            f"{ACCOUNTS}/{{account_id}}",
            {
                "GET": (get_account, "ManagerAccount"),
                "PATCH": (patch_account, "ManagerAccount"),
                "DELETE": (delete_account, "ManagerAccount"),
            },
            name="Account",
        ),
        Route(ROLES, {"GET": (list_roles, "RoleCollection")}, name="Roles"),
        Route(f"{ROLES}/{{role_id}}", {"GET": (get_role, "Role")}, name="Role"),
    ]
