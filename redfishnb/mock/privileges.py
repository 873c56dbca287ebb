"""iLO privileges, the three Redfish roles, and how one maps to the other — as data.

iLO stores ten privileges per account (``Oem.Hpe.Privileges``) and synthesises the Redfish ``RoleId`` from them;
Redfish roles carry DMTF privileges (``Login``, ``ConfigureManager`` ...). Every route in the mock names the iLO
privilege an operation needs, so what a student learns here (Operator cannot manage accounts, ReadOnly cannot
PATCH) is what a real iLO enforces.
"""

from __future__ import annotations

from collections.abc import Iterable

ILO_PRIVILEGES: tuple[str, ...] = (
    "HostBIOSConfigPriv",
    "HostNICConfigPriv",
    "HostStorageConfigPriv",
    "LoginPriv",
    "RemoteConsolePriv",
    "SystemRecoveryConfigPriv",
    "UserConfigPriv",
    "VirtualMediaPriv",
    "VirtualPowerAndResetPriv",
    "iLOConfigPriv",
)

_OPERATOR = frozenset(
    {
        "HostBIOSConfigPriv",
        "HostNICConfigPriv",
        "HostStorageConfigPriv",
        "LoginPriv",
        "RemoteConsolePriv",
        "VirtualMediaPriv",
        "VirtualPowerAndResetPriv",
    }
)

# Privileges an account receives when created with a RoleId (HPE "Managing users"): Administrator lacks
# SystemRecoveryConfigPriv, which only a session holding it can grant.
ROLE_PRIVILEGES: dict[str, frozenset[str]] = {
    "Administrator": _OPERATOR | {"UserConfigPriv", "iLOConfigPriv"},
    "Operator": _OPERATOR,
    "ReadOnly": frozenset({"LoginPriv"}),
}

ROLES: tuple[str, ...] = ("Administrator", "Operator", "ReadOnly")

# DMTF privileges of the predefined roles, and the iLO OEM privileges HPE lists on its Role resources.
ROLE_REDFISH_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "Administrator": ("Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"),
    "Operator": ("Login", "ConfigureSelf", "ConfigureComponents"),
    "ReadOnly": ("Login", "ConfigureSelf"),
}
OEM_PRIVILEGES: tuple[str, ...] = (
    "RemoteConsolePriv",
    "VirtualMediaPriv",
    "VirtualPowerAndResetPriv",
    "HostBIOSConfigPriv",
    "HostNICConfigPriv",
    "HostStorageConfigPriv",
    "SystemRecoveryConfigPriv",
)


def role_for(privileges: Iterable[str]) -> str:
    """iLO's synthesised RoleId: any configuration privilege makes an Administrator, Login alone ReadOnly."""
    privs = set(privileges)
    if privs & {"iLOConfigPriv", "UserConfigPriv", "SystemRecoveryConfigPriv"}:
        return "Administrator"
    if privs - {"LoginPriv"}:
        return "Operator"
    return "ReadOnly"


def privilege_map(privileges: Iterable[str]) -> dict[str, bool]:
    """``Oem.Hpe.Privileges`` as iLO shows it: every privilege name with true/false."""
    privs = set(privileges)
    return {name: name in privs for name in ILO_PRIVILEGES}
