"""The openbmc flavour's operation map: DMTF's registry with bmcweb's ownership rules, role by role."""

from __future__ import annotations

import pytest

from redfishnb.mock.standard.privilege_registry import load

REG = load()
ADMIN = REG.role_privileges("Administrator")
OPERATOR = REG.role_privileges("Operator")
READONLY = REG.role_privileges("ReadOnly")


def test_roles_are_the_dmtf_sets() -> None:
    assert {"Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"} == ADMIN
    assert {"Login", "ConfigureSelf", "ConfigureComponents"} == OPERATOR
    assert {"Login", "ConfigureSelf"} == READONLY
    assert "NoAccess" not in REG.roles  # removed from bmcweb in 2022 (commit 239adf852b)


@pytest.mark.parametrize("entity", ["ComputerSystem", "Manager", "AccountService", "SessionService", "Role"])
def test_get_needs_login(entity: str) -> None:
    assert REG.allowed(entity, "GET", READONLY)
    assert not REG.allowed(entity, "GET", set())


@pytest.mark.parametrize(
    ("entity", "method", "admin", "operator", "readonly"),
    [
        ("AccountService", "PATCH", True, False, False),
        ("ManagerAccountCollection", "POST", True, False, False),
        ("ComputerSystem", "POST", True, True, False),
        ("Manager", "PATCH", True, False, False),
        ("SessionService", "PATCH", True, False, False),
        ("CertificateCollection", "GET", True, False, False),
    ],
)
def test_route_privileges_per_role(
    entity: str, method: str, admin: bool, operator: bool, readonly: bool
) -> None:
    assert [REG.allowed(entity, method, r) for r in (ADMIN, OPERATOR, READONLY)] == [
        admin,
        operator,
        readonly,
    ]


def test_login_post_needs_nothing() -> None:
    assert REG.is_public("SessionCollection", "POST")
    assert REG.is_public("ServiceRoot", "GET")
    assert not REG.is_public("SessionCollection", "GET")


def test_own_password_patch_needs_configure_self_only() -> None:
    assert REG.allowed("ManagerAccount", "PATCH", READONLY, own=True, properties=["Password"])
    assert not REG.allowed("ManagerAccount", "PATCH", READONLY, own=True, properties=["Password", "RoleId"])
    assert not REG.allowed("ManagerAccount", "PATCH", READONLY, own=False, properties=["Password"])
    assert REG.allowed("ManagerAccount", "PATCH", ADMIN, own=False, properties=["Password", "RoleId"])


def test_reading_accounts_of_others_needs_users_and_manager() -> None:
    assert REG.allowed("ManagerAccount", "GET", READONLY, own=True)
    assert not REG.allowed("ManagerAccount", "GET", OPERATOR, own=False)
    assert REG.allowed("ManagerAccount", "GET", ADMIN, own=False)
    assert not REG.allowed("ManagerAccount", "GET", {"Login", "ConfigureUsers"}, own=False)


def test_sessions_of_others() -> None:
    assert REG.allowed("Session", "DELETE", READONLY, own=True)
    assert not REG.allowed("Session", "DELETE", OPERATOR, own=False)
    assert REG.allowed("Session", "DELETE", ADMIN, own=False)
    assert not REG.allowed("Session", "DELETE", {"Login", "ConfigureManager"}, own=False)  # bmcweb: +Users
    assert REG.allowed("Session", "GET", READONLY, own=False)  # bmcweb checks no ownership on GET


def test_unlisted_method_falls_back_to_the_default() -> None:
    assert REG.required("Chassis", "GET") == (frozenset({"Login"}),)
    assert REG.required("Manager", "DELETE") == (frozenset({"ConfigureManager"}),)
