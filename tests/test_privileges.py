"""One privilege model: the mock enforces it, the tables and widgets explain it (no network)."""

from __future__ import annotations

import json

import pytest

from redfishnb import privileges, tables
from redfishnb.mock import privileges as mock_privileges


def test_mock_and_client_share_one_model() -> None:
    assert set(mock_privileges.ILO_PRIVILEGES) == set(privileges.ILO_PRIVILEGES)
    assert mock_privileges.ROLE_PRIVILEGES is privileges.ROLE_PRIVILEGES
    assert mock_privileges.role_for is privileges.role_for
    assert tables.ILO_PRIVILEGES is privileges.ILO_PRIVILEGES
    assert tables.REDFISH_PRIVILEGES is privileges.REDFISH_PRIVILEGES


def test_orders_where_each_caller_needs_them() -> None:
    assert (
        privileges.ILO_PRIVILEGES[0] == "LoginPriv"
        and privileges.ILO_PRIVILEGES[-1] == "SystemRecoveryConfigPriv"
    )
    # iLO (and so the mock) writes Oem.Hpe.Privileges in code-point order
    written = json.dumps(mock_privileges.privilege_map({"LoginPriv"}))
    assert written.startswith('{"HostBIOSConfigPriv": false') and written.endswith('"iLOConfigPriv": false}')
    assert list(mock_privileges.ILO_PRIVILEGES) == sorted(privileges.ILO_PRIVILEGES)


@pytest.mark.parametrize(
    ("granted", "role"),
    [
        ({"LoginPriv"}, "ReadOnly"),
        (set(), "ReadOnly"),
        ({"LoginPriv", "VirtualMediaPriv"}, "Operator"),
        ({"LoginPriv", "UserConfigPriv"}, "Administrator"),
        ({"SystemRecoveryConfigPriv"}, "Administrator"),
    ],
)
def test_role_synthesis(granted: set[str], role: str) -> None:
    assert privileges.role_for(granted) == role
    assert privileges.role_for(privileges.privilege_map(granted)) == role  # iLO's {name: bool} form too


def test_roles_grant_what_they_are_named_for() -> None:
    for role, granted in privileges.ROLE_PRIVILEGES.items():
        assert privileges.role_for(granted) == role
    assert "SystemRecoveryConfigPriv" not in privileges.ROLE_PRIVILEGES["Administrator"]
    assert set(privileges.ROLE_REDFISH_PRIVILEGES) == set(privileges.ROLES)
    assert all(
        p in privileges.REDFISH_PRIVILEGES for ps in privileges.ROLE_REDFISH_PRIVILEGES.values() for p in ps
    )


def test_every_privilege_has_a_human_name() -> None:
    named = set(privileges.PRIVILEGE_NAMES)
    assert set(privileges.ILO_PRIVILEGES) <= named and set(privileges.REDFISH_PRIVILEGES) - {"Login"} <= named
