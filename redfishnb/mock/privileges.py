"""iLO privileges, the three Redfish roles, and how one maps to the other, for the mock's routes.

Every route in the mock names the iLO privilege an operation needs, so what a student learns here (Operator cannot
manage accounts, ReadOnly cannot PATCH) is what a real iLO enforces. The model itself lives in
:mod:`redfishnb.privileges`, shared with the client's tables and widgets; this module keeps the mock's names.
``ILO_PRIVILEGES`` here is in the order iLO writes ``Oem.Hpe.Privileges`` (code-point order), not the web
interface's.
"""

from __future__ import annotations

from ..privileges import ILO_PRIVILEGES_SORTED as ILO_PRIVILEGES
from ..privileges import (
    OEM_PRIVILEGES,
    ROLE_PRIVILEGES,
    ROLE_REDFISH_PRIVILEGES,
    ROLES,
    privilege_map,
    role_for,
)

__all__ = [
    "ILO_PRIVILEGES",
    "OEM_PRIVILEGES",
    "ROLES",
    "ROLE_PRIVILEGES",
    "ROLE_REDFISH_PRIVILEGES",
    "privilege_map",
    "role_for",
]
