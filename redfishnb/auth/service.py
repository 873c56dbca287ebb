"""Which kind of service the client talks to: an HPE iLO (its own OEM login flows) or a DMTF-standard one.

Two logins differ between them: iLO's certificate login is a page (``/html/login_cert.html``) and its two-factor
passcode is e-mailed; a DMTF-standard service (OpenBMC bmcweb, most others) takes a session ``POST`` over mutual
TLS and a time-based code in the POST's ``Token``. The service root decides, since it is the one resource every
client may read before logging in: iLO's root carries ``Oem.Hpe`` (with ``Manager[].ManagerType`` "iLO 6" ...).
The Superdome Flex RMC says ``Vendor: "HPE"`` too but has no ``Oem.Hpe`` and no iLO login page: it is standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._json import dig

__all__ = ["is_ilo", "is_standard"]


def is_ilo(root: Mapping[str, Any] | None) -> bool:
    """True for an iLO service root: an ``Oem.Hpe`` block, or a manager of an ``iLO`` type listed in it."""
    hpe = dig(root, "Oem", "Hpe")
    if not isinstance(hpe, Mapping):
        return False
    managers = hpe.get("Manager")
    if isinstance(managers, list) and managers:
        return any(str(dig(m, "ManagerType") or "").startswith("iLO") for m in managers)
    return True


def is_standard(root: Mapping[str, Any] | None) -> bool:
    """True when the root was read and is not an iLO's (None, an unread root, is neither)."""
    return root is not None and not is_ilo(root)
