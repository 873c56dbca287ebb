"""iLO LicenseService: one member that says "iLO Advanced" or "iLO Standard", installable by POSTing a key.

Certificate login needs iLO Advanced, as on a real iLO; a lab can start unlicensed (``licensed=False``) to show the
``LicenseKeyRequired`` refusal and then install a key. Any key of the 5×5 form is accepted — there is no HPE
license server behind the mock. Installing or removing needs iLOConfigPriv.
"""

from __future__ import annotations

import re
from typing import Any

from ..flavors import Flavor
from ..routing import Route, collection_routes
from ..wire import Problem
from .common import collection, require_fields, success

LICENSES = "/redfish/v1/Managers/1/LicenseService"
_KEY = re.compile(r"^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$", re.IGNORECASE)
_FEATURES = (
    "AutoCertEnroll",
    "DirectoryAuth",
    "EmailAlert",
    "Federation",
    "KD",
    "KeyMgr",
    "RC",
    "RemoteSyslog",
    "SmartCard",
    "SuiteB",
    "TextCons",
    "VM",
    "VMScript",
)
_STANDARD_FEATURES = {"TextCons", "VM"}


def list_licenses(ctx: Any) -> dict[str, Any]:
    return collection(
        ctx, LICENSES, "HpeiLOLicenseCollection", "iLO Licenses", [f"{LICENSES}/1"], "iLO Licenses View"
    )


def get_license(ctx: Any) -> dict[str, Any]:
    state = ctx.state
    advanced = state.licensed
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeiLOLicense.HpeiLOLicense",
        "@odata.id": ctx.flavor.link(f"{LICENSES}/1"),
        "@odata.type": "#HpeiLOLicense.v2_5_0.HpeiLOLicense",
        "Id": "1",
        "Name": "iLO License",
        "Description": "iLO License View",
        "License": "iLO Advanced" if advanced else "iLO Standard",
        "LicenseKey": f"XXXXX-XXXXX-XXXXX-XXXXX-{state.license_key_tail}" if advanced else "",
        "LicenseTier": "ADV" if advanced else "STD",
        "LicenseType": "Perpetual" if advanced else "Unlicensed",
        "LicenseFeatures": {f: advanced or f in _STANDARD_FEATURES for f in _FEATURES},
    }


def install_license(ctx: Any) -> dict[str, Any]:
    key = require_fields(ctx, {"LicenseKey": str})["LicenseKey"].strip()
    if not _KEY.match(key):
        raise Problem(
            400,
            "PropertyValueFormatError",
            "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX",
            "LicenseKey",
            related=["#/LicenseKey"],
        )
    with ctx.state.lock:
        ctx.state.licensed = True
        ctx.state.license_key_tail = key[-5:].upper()
    return success(ctx)


def remove_license(ctx: Any) -> dict[str, Any]:
    if not ctx.state.licensed:
        raise Problem(400, "ActionNotSupported", "DELETE (no license is installed)")
    ctx.state.licensed = False
    return success(ctx)


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("license"):
        return []
    return collection_routes(
        LICENSES,
        f"{LICENSES}/1",
        ("LicenseService", "License"),
        read=(list_licenses, get_license),
        create=(install_license, "iLOConfigPriv"),
        delete=(remove_license, "iLOConfigPriv"),
    )
