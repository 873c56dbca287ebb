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
    "ResetInProgress": "Success",
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


# iLO messages the mock needs that the shared registry does not list (texts from HPE's iLO 6 registry).
_LOCAL_ILO = {
    "PropertyValueIncompatible": registry.MessageDef(
        "The value %1 for the property %2 is incompatible with the value for property %3.",
        "Warning",
        "Correct the value for the property in the request body, and then retry the operation.",
    ),
    "ResetInProgress": registry.MessageDef(
        "A management processor reset is in progress.",
        "Warning",
        "Wait for management processor reset to complete, and then retry the operation.",
    ),
    "SNTPConfigurationManagedByDHCPAndIsReadOnly": registry.MessageDef(
        "%1 cannot be changed while DHCP is configured to provide SNTP settings.",
        "Warning",
        "Disable SNTP configuration options in both DHCPv4 and DHCPv6 (see /Managers/n/NICs), and then "
        "reconfigure SNTP as desired with static settings.",
    ),
}


def _definition(message_id: str) -> registry.MessageDef | None:
    key = registry.split_message_id(message_id)[2]
    return registry.lookup(message_id) or _LOCAL_BASE.get(key) or _LOCAL_ILO.get(key)


def _resolve(flavor: Flavor, key: str, args: list[Any]) -> tuple[str, list[Any]]:
    """The full MessageId for ``key`` in this flavour, with arguments fitted to the message."""
    if key in registry.BASE or key in _LOCAL_BASE:
        return f"{flavor.base_registry}.{key}", args
    if flavor.oem_registry and (key in registry.ILO or key in _LOCAL_ILO):
        return f"{flavor.oem_registry}.{key}", args
    base_key = _BASE_SUBSTITUTES.get(key, "GeneralError")
    need = registry.BASE[base_key].arg_count
    fitted = (list(args) + ["/redfish/v1/SessionService/Sessions", "Unauthorized"])[:need] if need else []
    return f"{flavor.base_registry}.{base_key}", fitted


def message(flavor: Flavor, key: str, *args: Any, related: list[str] | None = None) -> dict[str, Any]:
    """One ``@Message.ExtendedInfo`` item for registry key ``key`` (e.g. ``"NoValidSession"``)."""
    message_id, fitted = _resolve(flavor, key, [str(a) for a in args])
    if flavor.error_style == "terse":
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
    """The ``{"error": ...}`` envelope around one or more message items (the flavour's ``error_body`` hook)."""
    build = flavor.hook("error_body")
    return build(flavor, items)  # type: ignore[no-any-return]


def hpe_error_body(flavor: Flavor, items: list[dict[str, Any]]) -> dict[str, Any]:
    """iLO's terse envelope (``iLO.0.10.ExtendedInfo``), or DMTF's ``Base.x.GeneralError`` with full text."""
    if flavor.error_style == "terse":
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
    if flavor.error_style == "terse":
        return error_body(flavor, [item])
    return {"@Message.ExtendedInfo": [item]}


def _registry_entry(entry: registry.MessageDef) -> dict[str, Any]:
    count = entry.arg_count
    return {
        "Description": entry.message,
        "Message": entry.message,
        "Severity": entry.severity,
        "MessageSeverity": entry.severity,
        "NumberOfArgs": count,
        "ParamTypes": ["string"] * count,
        "Resolution": entry.resolution,
    }


def emitted_messages(flavor: Flavor) -> dict[str, tuple[str, dict[str, Any]]]:
    """Registry prefix -> (``Prefix.Major.Minor``, registry ``Messages``) for every MessageId this flavour sends.

    Why: iLO's errors are terse, so a client resolves each MessageId in the registries the BMC serves; these are
    exactly the keys :func:`message` can resolve to, with the texts of :mod:`redfishnb.registry`."""
    base = {**registry.BASE, **_LOCAL_BASE}
    out = {"Base": (flavor.base_registry, {k: _registry_entry(v) for k, v in sorted(base.items())})}
    if flavor.oem_registry:
        prefix = flavor.oem_registry.split(".")[0]
        ilo = {**registry.ILO, **_LOCAL_ILO}
        out[prefix] = (flavor.oem_registry, {k: _registry_entry(v) for k, v in sorted(ilo.items())})
    return out
