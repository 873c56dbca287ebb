"""The iLO license: certificate (CAC/Smartcard) login needs "iLO Advanced" or one of its editions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..._json import odata_id
from ...errors import LicenseRequired
from ._resources import _ADVANCED_TIERS, _ILO_CONFIG, _LICENSE, _body
from .accounts import require_privilege

__all__ = ["License", "read_license", "require_advanced_license", "install_license"]


@dataclass(frozen=True)
class License:
    """The installed iLO license (``HpeiLOLicense``). ``key`` is masked by iLO itself (``XXXXX-…-KL562``)."""

    name: str
    tier: str | None
    type: str | None
    key: str | None
    features: Mapping[str, Any]

    @property
    def advanced(self) -> bool:
        """True for the tiers that include certificate (CAC/Smartcard) login: Advanced and its editions."""
        if (self.type or "").lower() in {"expired", "unlicensed"}:
            return False
        return (self.tier or "").upper() in _ADVANCED_TIERS or "advanced" in self.name.lower()


def read_license(client: Any) -> License:
    """The license, read as HPE documents it: ``GET /redfish/v1/Managers/1/LicenseService/?only``.

    ``?only`` returns the collection's single member in place of the collection; a service that ignores it
    returns the collection, whose first member is read instead.
    """
    body = _body(client.get(f"{_LICENSE}?only"))
    if "Members" in body:
        members = body.get("Members") or []
        if not members:
            return License(name="", tier=None, type="Unlicensed", key=None, features={})
        body = _body(client.get(odata_id(members[0]) or ""))
    return License(
        name=str(body.get("License") or ""),
        tier=body.get("LicenseTier"),
        type=body.get("LicenseType"),
        key=body.get("LicenseKey"),
        features=body.get("LicenseFeatures") or {},
    )


def require_advanced_license(client: Any, feature: str = "Certificate (CAC/Smartcard) login") -> License:
    """The license, or :class:`~redfishnb.errors.LicenseRequired` unless it is iLO Advanced (or an edition of it)."""
    lic = read_license(client)
    if not lic.advanced:
        shown = lic.name or "no license"
        raise LicenseRequired(
            f"{feature} needs an iLO Advanced license; this iLO has {shown!r} (type {lic.type})."
        )
    return lic


_LICENSE_KEY = re.compile(r"^[0-9A-Za-z]{5}(?:-[0-9A-Za-z]{5}){4}$")


def install_license(client: Any, key: str) -> License:
    """Install a license key as the seed shows: ``POST /redfish/v1/Managers/1/LicenseService/ {"LicenseKey": ...}``.

    The key's shape (five groups of five characters) is checked first, and iLOConfigPriv. Returns the license
    the BMC reports afterwards.
    """
    if not isinstance(key, str) or not _LICENSE_KEY.match(key.strip()):
        raise ValueError(
            "an iLO license key is five groups of five letters or digits: XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
        )
    require_privilege(client, _ILO_CONFIG, "install a license")
    client.post(_LICENSE, json={"LicenseKey": key.strip()})
    return read_license(client)
