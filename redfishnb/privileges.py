"""iLO's privileges, the Redfish roles and how one becomes the other: one model for the mock and the client.

iLO stores ten privileges per account (``Oem.Hpe.Privileges``) and stores no role: it synthesises the Redfish
``RoleId`` from the privileges. Redfish roles carry DMTF privileges (``Login``, ``ConfigureManager`` ...). The
mock BMC enforces these rules and the tables and widgets explain them, so both read them from here: what a student
sees in a privilege matrix is what the mock (and a real iLO) will allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "ILO_PRIVILEGES",
    "ILO_PRIVILEGES_SORTED",
    "OEM_PRIVILEGES",
    "PRIVILEGE_NAMES",
    "REDFISH_PRIVILEGES",
    "ROLES",
    "ROLE_PRIVILEGES",
    "ROLE_REDFISH_PRIVILEGES",
    "granted",
    "privilege_map",
    "role_for",
    "role_of",
]

#: iLO's privileges in the order of its web interface (Login first, Recovery Set last).
ILO_PRIVILEGES: tuple[str, ...] = (
    "LoginPriv",
    "RemoteConsolePriv",
    "VirtualPowerAndResetPriv",
    "VirtualMediaPriv",
    "HostBIOSConfigPriv",
    "HostNICConfigPriv",
    "HostStorageConfigPriv",
    "iLOConfigPriv",
    "UserConfigPriv",
    "SystemRecoveryConfigPriv",
)
#: The same names in code-point order: the order iLO (and so the mock) writes ``Oem.Hpe.Privileges`` in.
ILO_PRIVILEGES_SORTED: tuple[str, ...] = tuple(sorted(ILO_PRIVILEGES))

#: The names iLO's web interface gives its privileges (shown as headers; the raw name is the tooltip).
PRIVILEGE_NAMES: dict[str, str] = {
    "LoginPriv": "Login",
    "RemoteConsolePriv": "Remote console",
    "VirtualMediaPriv": "Virtual media",
    "VirtualPowerAndResetPriv": "Power & reset",
    "iLOConfigPriv": "Configure iLO",
    "UserConfigPriv": "Administer users",
    "HostBIOSConfigPriv": "Host BIOS",
    "HostNICConfigPriv": "Host NIC",
    "HostStorageConfigPriv": "Host storage",
    "SystemRecoveryConfigPriv": "Recovery set",
    "ConfigureSelf": "Configure self",
    "ConfigureComponents": "Configure components",
    "ConfigureManager": "Configure manager",
    "ConfigureUsers": "Configure users",
}

#: The standard roles, most powerful first.
ROLES: tuple[str, ...] = ("Administrator", "Operator", "ReadOnly")

#: The DMTF standard privileges a Role's ``AssignedPrivileges`` draws from.
REDFISH_PRIVILEGES: tuple[str, ...] = (
    "Login",
    "ConfigureSelf",
    "ConfigureComponents",
    "ConfigureManager",
    "ConfigureUsers",
)

# The privileges that make iLO call an account Administrator.
_ADMINISTRATIVE = frozenset({"iLOConfigPriv", "UserConfigPriv", "SystemRecoveryConfigPriv"})

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

#: Privileges an account receives when created with a RoleId (HPE "Managing users"): Administrator lacks
#: SystemRecoveryConfigPriv, which only a session holding it can grant.
ROLE_PRIVILEGES: dict[str, frozenset[str]] = {
    "Administrator": _OPERATOR | {"UserConfigPriv", "iLOConfigPriv"},
    "Operator": _OPERATOR,
    "ReadOnly": frozenset({"LoginPriv"}),
}

#: DMTF privileges of the predefined roles.
ROLE_REDFISH_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "Administrator": ("Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"),
    "Operator": ("Login", "ConfigureSelf", "ConfigureComponents"),
    "ReadOnly": ("Login", "ConfigureSelf"),
}
#: The iLO OEM privileges HPE lists on its Role resources (``OemPrivileges``).
OEM_PRIVILEGES: tuple[str, ...] = (
    "RemoteConsolePriv",
    "VirtualMediaPriv",
    "VirtualPowerAndResetPriv",
    "HostBIOSConfigPriv",
    "HostNICConfigPriv",
    "HostStorageConfigPriv",
    "SystemRecoveryConfigPriv",
)


def granted(privileges: Iterable[str] | Mapping[str, object]) -> frozenset[str]:
    """The granted names of a privilege set: an iterable of names, or iLO's ``{name: true/false}``."""
    if isinstance(privileges, Mapping):
        return frozenset(str(k) for k, v in privileges.items() if v is True)
    return frozenset(privileges)


def role_for(privileges: Iterable[str] | Mapping[str, object]) -> str:
    """iLO's synthesised RoleId: any configuration privilege makes an Administrator, Login alone ReadOnly."""
    privs = granted(privileges)
    if privs & _ADMINISTRATIVE:
        return "Administrator"
    if privs - {"LoginPriv"}:
        return "Operator"
    return "ReadOnly"


def role_of(privileges: Mapping[str, object] | None) -> str | None:
    """The role iLO reports for ``Oem.Hpe.Privileges``; None when there are none to judge by."""
    return role_for(privileges) if isinstance(privileges, Mapping) and privileges else None


def privilege_map(
    privileges: Iterable[str], order: tuple[str, ...] = ILO_PRIVILEGES_SORTED
) -> dict[str, bool]:
    """``Oem.Hpe.Privileges`` as iLO writes it: every privilege name with true/false, in ``order``."""
    privs = set(privileges)
    return {name: name in privs for name in order}
