"""``/redfish/v1/AccountService`` of the openbmc flavour: Basic policy, lockout settings, MFA switches.

As bmcweb's ``handleAccountServiceGet`` shows it, without the ``Oem.OpenBMC`` block and with the DMTF members
the mock enforces: ``HTTPBasicAuth`` (all three DMTF states; bmcweb itself accepts Enabled/Disabled),
``AccountLockoutThreshold``/``Duration``/``CounterResetAfter``, and ``MultiFactorAuth`` with
``ClientCertificate`` and ``TimeBasedOneTimePassword`` (hence ``AccountService.v1_16_0``, where the latter
appeared). PATCH needs ConfigureUsers.
"""

from __future__ import annotations

from typing import Any

from ...handlers.common import apply_patch
from ...routing import Route
from ...standard import basic_policy
from ...standard.client_cert import MAPPING_ATTRIBUTES
from ...standard.lockout import LockoutPolicy
from ...wire import Problem, Response
from .settings import settings_of
from .truststore import CLIENT_CAS, refresh_tls_trust

ACCOUNT_SERVICE = "/redfish/v1/AccountService"
ACCOUNTS = f"{ACCOUNT_SERVICE}/Accounts"
ROLES = f"{ACCOUNT_SERVICE}/Roles"
MIN_PASSWORD, MAX_PASSWORD = 8, 20  # bmcweb: MaxPasswordLength is the constant 20; OpenBMC's minimum is 8
_MAX_SECONDS = 2**31 - 1
_MFA = "MultiFactorAuth"
_CC = f"{_MFA}.ClientCertificate"
_TOTP = f"{_MFA}.TimeBasedOneTimePassword"


def account_service(ctx: Any) -> dict[str, Any]:
    settings = settings_of(ctx.state)
    policy = settings.lockout.policy
    cc = settings.client_cert
    return {
        "@odata.id": ACCOUNT_SERVICE,
        "@odata.type": "#AccountService.v1_16_0.AccountService",
        "Id": "AccountService",
        "Name": "Account Service",
        "Description": "Account Service",
        "ServiceEnabled": True,
        "MinPasswordLength": MIN_PASSWORD,
        "MaxPasswordLength": MAX_PASSWORD,
        "AccountLockoutThreshold": policy.threshold,
        "AccountLockoutDuration": policy.duration,
        "AccountLockoutCounterResetAfter": policy.reset_after,
        "HTTPBasicAuth": settings.basic.value,
        "HTTPBasicAuth@Redfish.AllowableValues": list(basic_policy.ALLOWABLE),
        "Accounts": {"@odata.id": ACCOUNTS},
        "Roles": {"@odata.id": ROLES},
        "MultiFactorAuth": {
            "ClientCertificate": {
                "Enabled": cc.enabled,
                "RespondToUnauthenticatedClients": cc.respond_to_unauthenticated,
                "CertificateMappingAttribute": cc.mapping,
                "Certificates": {"@odata.id": CLIENT_CAS},
            },
            "TimeBasedOneTimePassword": {
                "Enabled": settings.totp_enabled,
                "TimeStepSeconds": settings.totp.step,
            },
        },
    }


def _lockout_setter(ctx: Any, field: str) -> Any:
    def apply(value: int) -> None:
        tracker = settings_of(ctx.state).lockout
        current = tracker.policy
        values = {
            "threshold": current.threshold,
            "duration": current.duration,
            "reset_after": current.reset_after,
        }
        values[field] = value
        tracker.policy = LockoutPolicy(**values)

    return apply


def _patch_spec(ctx: Any) -> dict[str, Any]:
    settings = settings_of(ctx.state)
    cc = settings.client_cert
    seconds = (0, _MAX_SECONDS)

    def set_basic(value: str) -> None:
        state = basic_policy.parse(value)
        if state is not None:
            settings.basic = state

    def strict_needs_certificate(value: bool) -> None:
        """bmcweb refuses to stop answering certificate-less clients unless this PATCH came over mTLS."""
        if not value and ctx.principal.method != "certificate":
            raise Problem(400, "PropertyValueIncorrect", "RespondToUnauthenticatedClients", "false")

    return {
        "HTTPBasicAuth": (str, set_basic, basic_policy.ALLOWABLE),
        "AccountLockoutThreshold": (int, _lockout_setter(ctx, "threshold"), seconds),
        "AccountLockoutDuration": (int, _lockout_setter(ctx, "duration"), seconds),
        "AccountLockoutCounterResetAfter": (int, _lockout_setter(ctx, "reset_after"), seconds),
        f"{_CC}.Enabled": (bool, lambda v: setattr(cc, "enabled", v), None),
        f"{_CC}.RespondToUnauthenticatedClients": (
            bool,
            lambda v: setattr(cc, "respond_to_unauthenticated", v),
            strict_needs_certificate,
        ),
        f"{_CC}.CertificateMappingAttribute": (str, lambda v: setattr(cc, "mapping", v), MAPPING_ATTRIBUTES),
        f"{_TOTP}.Enabled": (bool, lambda v: setattr(settings, "totp_enabled", v), None),
    }


_READONLY = {
    "Id",
    "Name",
    "Description",
    "ServiceEnabled",
    "MinPasswordLength",
    "MaxPasswordLength",
    "Accounts",
    "Roles",
    f"{_CC}.Certificates",
    f"{_TOTP}.TimeStepSeconds",
}


def patch_account_service(ctx: Any) -> Response:
    notes = apply_patch(ctx, _patch_spec(ctx), readonly=_READONLY)
    refresh_tls_trust(ctx, settings_of(ctx.state))  # RespondToUnauthenticatedClients / Enabled take effect
    body = account_service(ctx)
    if notes:
        body["@Message.ExtendedInfo"] = notes
    return Response(200, body)


def routes(flavor: Any) -> list[Route]:
    return [
        Route(
            ACCOUNT_SERVICE,
            {"GET": (account_service, "AccountService"), "PATCH": (patch_account_service, "AccountService")},
            name="AccountService",
        )
    ]
