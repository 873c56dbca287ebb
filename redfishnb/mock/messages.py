"""Redfish message bodies in each flavour's shape: errors, success replies and ExtendedInfo entries.

iLO writes ``{"error": {"code": "iLO.0.10.ExtendedInfo", ...}}`` with items that carry only ``MessageId`` (and
``MessageArgs`` when the message has parameters); it uses the same error-shaped wrapper for successes. The RMC
writes DMTF-style ``Base.1.8.GeneralError`` errors with every item expanded from the registry, and successes as
a bare ``@Message.ExtendedInfo`` list. Texts come from :mod:`redfishnb.registry`, shared with the client.
"""

from __future__ import annotations

from typing import Any

from .. import registry
from .flavors import Flavor

# Services without an OEM (iLO) registry report iLO-only conditions with the nearest Base message.
_BASE_SUBSTITUTES = {
    "UnauthorizedLoginAttempt": "ResourceAtUriUnauthorized",
    "LoginAttemptDelayed": "ResourceAtUriUnauthorized",
    "LoginAttemptDelayedSeconds": "ResourceAtUriUnauthorized",
    "LicenseKeyRequired": "LicenseRequired",
    "AuthenticationTokenExpired": "ResourceAtUriUnauthorized",
    "CertificateLoginDisabled": "AccessDenied",
    "InvalidClientCertificate": "AccessDenied",
    "MailNotConfigured": "GeneralError",
    "UserAlreadyExist": "ResourceAlreadyExists",
    "ImportCertSuccessfuliLOResetinProgress": "Success",
    "ResetRequired": "Success",
}


# Base messages the mock needs that the shared registry does not list.
_LOCAL_BASE = {
    "NoOperation": registry.MessageDef(
        "The request body submitted contain no data to act upon and no changes to the resource took place.",
        "Warning",
        "Add properties in the JSON object and resubmit the request.",
    ),
    "PropertyValueIncorrect": registry.MessageDef(
        "The property '%1' with the requested value of '%2' could not be written because the value does not meet "
        "the constraints of the implementation.",
        "Warning",
        "No resolution is required.",
    ),
}


def _definition(message_id: str) -> registry.MessageDef | None:
    return registry.lookup(message_id) or _LOCAL_BASE.get(registry.split_message_id(message_id)[2])


def _resolve(flavor: Flavor, key: str, args: list[Any]) -> tuple[str, list[Any]]:
    """The full MessageId for ``key`` in this flavour, with arguments fitted to the message."""
    if key in registry.BASE or key in _LOCAL_BASE:
        return f"{flavor.base_registry}.{key}", args
    if flavor.oem_registry and key in registry.ILO:
        return f"{flavor.oem_registry}.{key}", args
    base_key = _BASE_SUBSTITUTES.get(key, "GeneralError")
    need = registry.BASE[base_key].arg_count
    fitted = (list(args) + ["/redfish/v1/SessionService/Sessions", "Unauthorized"])[:need] if need else []
    return f"{flavor.base_registry}.{base_key}", fitted


def message(flavor: Flavor, key: str, *args: Any, related: list[str] | None = None) -> dict[str, Any]:
    """One ``@Message.ExtendedInfo`` item for registry key ``key`` (e.g. ``"NoValidSession"``)."""
    message_id, fitted = _resolve(flavor, key, [str(a) for a in args])
    if flavor.terse_errors:
        item: dict[str, Any] = {"MessageId": message_id}
        if fitted:
            item["MessageArgs"] = fitted
        if related:
            item["RelatedProperties"] = related
        return item
    entry = _definition(message_id)
    text = entry.message if entry else ""
    for i, arg in enumerate(fitted, start=1):
        text = text.replace(f"%{i}", str(arg))
    severity = entry.severity if entry else "Critical"
    item = {
        "@odata.type": "#Message.v1_1_0.Message",
        "MessageId": message_id,
        "Message": text,
        "MessageArgs": fitted,
        "Severity": severity,
        "MessageSeverity": severity,
        "Resolution": entry.resolution if entry else "None.",
    }
    if related:
        item["RelatedProperties"] = related
    return item


def error_body(flavor: Flavor, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``{"error": ...}`` envelope around one or more message items."""
    if flavor.terse_errors:
        return {
            "error": {
                "code": "iLO.0.10.ExtendedInfo",
                "message": "See @Message.ExtendedInfo for more information.",
                "@Message.ExtendedInfo": items,
            }
        }
    return {
        "error": {
            "code": f"{flavor.base_registry}.GeneralError",
            "message": registry.BASE["GeneralError"].message,
            "@Message.ExtendedInfo": items,
        }
    }


def success_body(flavor: Flavor, key: str = "Success", *args: Any) -> dict[str, Any]:
    """What a BMC answers to a successful DELETE, action or settings change."""
    item = message(flavor, key, *args)
    if flavor.terse_errors:
        return error_body(flavor, [item])
    return {"@Message.ExtendedInfo": [item]}
