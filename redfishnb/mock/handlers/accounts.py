"""AccountService, ManagerAccounts (with ETags) and the three predefined Roles.

Managing accounts needs UserConfigPriv ("Administer User Accounts"); any user may change their own password,
which is also the only thing an account flagged PasswordChangeRequired may do. Account ETags change with every
write, so a PATCH with a stale ``If-Match`` gets 412 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import twofactor
from ..flavors import Flavor
from ..privileges import (
    ILO_PRIVILEGES,
    OEM_PRIVILEGES,
    ROLE_PRIVILEGES,
    ROLE_REDFISH_PRIVILEGES,
    ROLES,
    privilege_map,
)
from ..routing import Route
from ..state import Account, valid_username
from ..wire import Problem, Response
from .common import PatchSpec, apply_patch, collection, odata_context, require_fields, success

SERVICE = "/redfish/v1/AccountService"
ACCOUNTS = f"{SERVICE}/Accounts"
ROLES_PATH = f"{SERVICE}/Roles"
_DELAYS = (0, 2, 5, 10, 30)
_BEFORE_DELAY = (0, 1, 3, 5)


# --- AccountService ---------------------------------------------------------------------------------------------


def account_service(ctx: Any) -> Response:
    flavor, policy = ctx.flavor, ctx.state.policy
    body: dict[str, Any] = {
        **odata_context(ctx, "AccountService"),
        "@odata.id": flavor.link(SERVICE),
        "@odata.type": "#AccountService.v1_15_0.AccountService",
        "Id": "AccountService",
        "Name": "Account Service",
        "Description": flavor.text("account_service_description"),
        "ServiceEnabled": True,
        "AuthFailureLoggingThreshold": 3,
        "AccountLockoutThreshold": policy.lockout_threshold,
        "AccountLockoutDuration": policy.lockout_duration,
        "AccountLockoutCounterResetAfter": policy.lockout_reset_after,
        "AccountLockoutCounterResetEnabled": True,
        "HTTPBasicAuth": "Enabled" if policy.www_authenticate else "Unadvertised",
        "MinPasswordLength": ctx.state.min_password_length,
        "MaxPasswordLength": 39,
        "Accounts": {"@odata.id": flavor.link(ACCOUNTS)},
        "Roles": {"@odata.id": flavor.link(ROLES_PATH)},
        "Status": {"Health": "OK", "State": "Enabled"},
    }
    if flavor.has("hpe_oem"):
        body["Oem"] = {
            "Hpe": {
                "@odata.type": "#HpeiLOAccountService.v2_5_0.HpeiLOAccountService",
                "AuthFailureDelayTimeSeconds": policy.login_failure_delay,
                "AuthFailuresBeforeDelay": policy.failures_before_delay,
                "AuthFailureLoggingThreshold": 3,
                "MinPasswordLength": ctx.state.min_password_length,
                "TwoFactorAuth": "Enabled" if ctx.state.two_factor else "Disabled",
                "Links": {
                    "UserCertificateMapping": {"@odata.id": flavor.link(f"{SERVICE}/UserCertificateMapping")}
                },
            }
        }
    return Response(200, body)


def patch_account_service(ctx: Any) -> Response:
    policy = ctx.state.policy

    def setter(attr: str) -> Callable[[Any], None]:
        return lambda value: setattr(policy, attr, value)

    spec: PatchSpec = {
        "AccountLockoutThreshold": (int, setter("lockout_threshold"), (0, 100)),
        "AccountLockoutDuration": (int, setter("lockout_duration"), (0, 86400)),
        "AccountLockoutCounterResetAfter": (int, setter("lockout_reset_after"), (0, 86400)),
        "MinPasswordLength": (int, lambda v: setattr(ctx.state, "min_password_length", v), (0, 39)),
        "Oem.Hpe.AuthFailureDelayTimeSeconds": (int, setter("login_failure_delay"), _DELAYS),
        "Oem.Hpe.AuthFailuresBeforeDelay": (int, setter("failures_before_delay"), _BEFORE_DELAY),
        "Oem.Hpe.MinPasswordLength": (int, lambda v: setattr(ctx.state, "min_password_length", v), (0, 39)),
    }
    if ctx.flavor.has("two_factor_settings"):
        spec.update(twofactor.account_service_patch(ctx))
    notes = apply_patch(ctx, spec, readonly={"Accounts", "Roles", "Id", "Name", "ServiceEnabled", "Status"})
    response = account_service(ctx)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


# --- accounts ---------------------------------------------------------------------------------------------------


def account_body(ctx: Any, account: Account) -> dict[str, Any]:
    flavor = ctx.flavor
    path = f"{ACCOUNTS}/{account.id}"
    body: dict[str, Any] = {
        **odata_context(ctx, "ManagerAccount"),
        "@odata.id": flavor.link(path),
        "@odata.type": "#ManagerAccount.v1_12_1.ManagerAccount",
        "Id": account.id,
        "Name": "User Account",
        "Description": flavor.text("account_description"),
        "UserName": account.username,
        "Password": None,
        "PasswordChangeRequired": account.password_change_required,
        "RoleId": account.role,
        "Enabled": account.enabled,
        "Locked": _locked(ctx, account),
        "AccountTypes": ["Redfish", "WebUI"],
        "Links": {"Role": {"@odata.id": flavor.link(f"{ROLES_PATH}/{account.role}")}},
    }
    if flavor.has("account_keys"):
        body["Keys"] = {"@odata.id": flavor.link(f"{path}/Keys")}
    if flavor.has("hpe_oem"):
        body["Oem"] = {
            "Hpe": {
                "@odata.type": "#HpeiLOAccount.v2_2_0.HpeiLOAccount",
                "LoginName": account.login_name,
                "Privileges": privilege_map(account.privileges),
                "ServiceAccount": False,
            }
        }
    return body


def _locked(ctx: Any, account: Account) -> bool:
    record = ctx.state.login_failures.get(account.username)
    return bool(record and record.locked_until > ctx.state.clock.now())


def _account(ctx: Any) -> Account:
    account: Account | None = ctx.state.accounts.get(ctx.params["account_id"])
    if account is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    return account


def list_keys(ctx: Any) -> dict[str, Any]:
    """The account's SSH keys: none (the mock has no SSH service to use them); adding one is not modelled."""
    account = _account(ctx)
    path = f"{ACCOUNTS}/{account.id}/Keys"
    return collection(ctx, path, "KeyCollection", "Keys", [], "User account keys")


def list_accounts(ctx: Any) -> dict[str, Any]:
    with ctx.state.lock:
        members = [f"{ACCOUNTS}/{a.id}" for a in ctx.state.accounts.values()]
    description = ctx.flavor.text("accounts_description")
    return collection(ctx, ACCOUNTS, "ManagerAccountCollection", "Accounts", members, description)


def get_account(ctx: Any) -> Response:
    account = _account(ctx)
    return Response(200, account_body(ctx, account), etag_salt=str(account.generation))


def _check_password(ctx: Any, password: str) -> None:
    if not 0 < len(password) <= 39 or len(password) < ctx.state.min_password_length:
        raise Problem(400, "PropertyValueFormatError", "******", "Password", related=["#/Password"])


def create_account(ctx: Any) -> Response:
    body = require_fields(
        ctx,
        {"UserName": str, "Password": str},
        optional={
            "RoleId": str,
            "Enabled": bool,
            "PasswordChangeRequired": bool,
            "Oem": dict,
            "AccountTypes": list,
        },
    )
    role = body.get("RoleId") or "ReadOnly"
    if role not in ROLES:
        raise Problem(400, "PropertyValueNotInList", role, "RoleId", related=["#/RoleId"])
    _check_password(ctx, body["Password"])
    privileges = set(ROLE_PRIVILEGES[role])
    hpe = (body.get("Oem") or {}).get("Hpe") or {}
    for name, granted in (hpe.get("Privileges") or {}).items():
        if name not in ILO_PRIVILEGES or not isinstance(granted, bool):
            raise Problem(400, "PropertyValueNotInList", name, "Oem/Hpe/Privileges")
        privileges.add(name) if granted else privileges.discard(name)
    if (
        "SystemRecoveryConfigPriv" in privileges
        and "SystemRecoveryConfigPriv" not in ctx.principal.account.privileges
    ):
        raise Problem(403, "InsufficientPrivilege")
    try:
        account = ctx.state.add_account(
            body["UserName"],
            body["Password"],
            role,
            privileges=privileges,
            enabled=body.get("Enabled", True),
            password_change_required=body.get("PasswordChangeRequired", False),
            login_name=hpe.get("LoginName") if isinstance(hpe.get("LoginName"), str) else None,
        )
    except ValueError:
        if not valid_username(body["UserName"]):
            raise Problem(
                400, "PropertyValueFormatError", body["UserName"], "UserName", related=["#/UserName"]
            ) from None
        key = ctx.flavor.text("duplicate_account_message")
        raise Problem(400, key, "ManagerAccount", "UserName", body["UserName"]) from None
    path = ctx.app.account_path(account)
    headers = {"Location": ctx.app.absolute_url(ctx.request, path)}
    return Response(201, account_body(ctx, account), headers=headers, etag_salt=str(account.generation))


def patch_account(ctx: Any) -> Response:
    """An administrator changes anything writable; any user only their own password."""
    account = _account(ctx)
    _check_self_service(ctx, account)
    notes = apply_patch(
        ctx,
        _account_patch_spec(ctx, account),
        readonly={"Id", "Name", "Links", "AccountTypes", "Description"},
    )
    with ctx.state.lock:
        account.generation += 1
    response = get_account(ctx)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def _check_self_service(ctx: Any, account: Account) -> None:
    """Without UserConfigPriv a caller may PATCH only ``Password``, and only on their own account."""
    caller = ctx.principal.account
    if "UserConfigPriv" in caller.privileges:
        return
    body = ctx.body if isinstance(ctx.body, dict) else {}
    keys = {k for k in body if not k.startswith("@odata.")}
    if caller.id != account.id or not keys <= {"Password"}:
        raise Problem(403, "InsufficientPrivilege")


def _account_patch_spec(ctx: Any, account: Account) -> PatchSpec:
    """What a ManagerAccount PATCH may change, with each value's check."""
    state = ctx.state

    def set_password(value: str) -> None:
        account.password = value
        account.password_change_required = False

    def set_role(value: str) -> None:
        account.privileges = ROLE_PRIVILEGES[value]

    def set_privilege(name: str) -> Callable[[bool], None]:
        def apply(granted: bool) -> None:
            privs = set(account.privileges)
            privs.add(name) if granted else privs.discard(name)
            account.privileges = frozenset(privs)

        return apply

    def check_username(value: str) -> None:
        other = state.find_account(value)
        if not valid_username(value) or (other is not None and other.id != account.id):
            raise Problem(400, "PropertyValueIncorrect", "UserName", value)

    def only_false(value: bool) -> None:
        if value:
            raise Problem(400, "PropertyValueIncorrect", "Locked", "true")

    spec: PatchSpec = {
        "Password": (str, set_password, lambda value: _check_password(ctx, value)),
        "UserName": (str, lambda v: setattr(account, "username", v), check_username),
        "RoleId": (str, set_role, ROLES),
        "Enabled": (bool, lambda v: setattr(account, "enabled", v), None),
        "Locked": (bool, lambda _v: state.login_failures.pop(account.username, None), only_false),
        "PasswordChangeRequired": (bool, lambda v: setattr(account, "password_change_required", v), None),
        "Oem.Hpe.LoginName": (str, lambda v: setattr(account, "login_name", v), None),
    }
    for name in ILO_PRIVILEGES:
        spec[f"Oem.Hpe.Privileges.{name}"] = (bool, set_privilege(name), None)
    return spec


def delete_account(ctx: Any) -> dict[str, Any]:
    account = _account(ctx)
    if account.id == ctx.principal.account.id:
        raise Problem(400, "PropertyValueIncorrect", "UserName", account.username)
    ctx.state.remove_account(account.id)
    return success(ctx)


# --- roles ------------------------------------------------------------------------------------------------------


def list_roles(ctx: Any) -> dict[str, Any]:
    description = ctx.flavor.text("roles_description")
    return collection(
        ctx, ROLES_PATH, "RoleCollection", "Roles", [f"{ROLES_PATH}/{r}" for r in ROLES], description
    )


def get_role(ctx: Any) -> dict[str, Any]:
    role = next((r for r in ROLES if r.lower() == ctx.params["role_id"].lower()), None)
    if role is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    path = f"{ROLES_PATH}/{role}"
    return {
        **odata_context(ctx, "Role"),
        "@odata.id": ctx.flavor.link(path),
        "@odata.type": "#Role.v1_2_1.Role",
        "Id": role,
        "Name": ctx.flavor.text("role_name", role=role),
        "RoleId": role,
        "IsPredefined": True,
        "AssignedPrivileges": list(ROLE_REDFISH_PRIVILEGES[role]),
        "OemPrivileges": [p for p in OEM_PRIVILEGES if p in ROLE_PRIVILEGES[role]],
    }


def patch_role(ctx: Any) -> dict[str, Any]:
    get_role(ctx)  # 404 for unknown roles
    apply_patch(
        ctx, {}, readonly={"AssignedPrivileges", "OemPrivileges", "RoleId", "IsPredefined", "Id", "Name"}
    )
    return get_role(ctx)  # pragma: no cover - apply_patch with an empty spec always raises


def routes(flavor: Flavor) -> list[Route]:
    return [
        Route(
            SERVICE,
            {"GET": (account_service, "LoginPriv"), "PATCH": (patch_account_service, "UserConfigPriv")},
            name="AccountService",
        ),
        Route(f"{ACCOUNTS}/Members", {"POST": (create_account, "UserConfigPriv")}, name="AccountsMembers"),
        Route(
            ACCOUNTS,
            {"GET": (list_accounts, "LoginPriv"), "POST": (create_account, "UserConfigPriv")},
            name="Accounts",
        ),
        Route(
            f"{ACCOUNTS}/{{account_id}}",
            {
                "GET": (get_account, "LoginPriv"),
                "PATCH": (patch_account, "LoginPriv"),
                "DELETE": (delete_account, "UserConfigPriv"),
            },
            name="Account",
        ),
        *(
            [Route(f"{ACCOUNTS}/{{account_id}}/Keys", {"GET": (list_keys, "LoginPriv")}, name="AccountKeys")]
            if flavor.has("account_keys")
            else []
        ),
        Route(ROLES_PATH, {"GET": (list_roles, "LoginPriv")}, name="Roles"),
        Route(
            f"{ROLES_PATH}/{{role_id}}",
            {"GET": (get_role, "LoginPriv"), "PATCH": (patch_role, "UserConfigPriv")},
            name="Role",
        ),
    ]
