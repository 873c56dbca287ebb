"""Privileges per operation for each role, end to end, as the DMTF registry and bmcweb's handlers decide."""

from __future__ import annotations

from typing import Any

import pytest

from redfishnb.mock import MockBMC

from .conftest import ACCOUNT_SERVICE, ACCOUNTS, SESSIONS, Caller

ROLES = {
    "Administrator": ("admin", "password"),
    "Operator": ("operator", "operator"),
    "ReadOnly": ("student", "student"),
}

# (method, path, body, expected status for Administrator, Operator, ReadOnly)
CASES: list[tuple[str, str, Any, tuple[int, int, int]]] = [
    ("GET", "/redfish/v1/Systems/system", None, (200, 200, 200)),
    ("GET", ACCOUNT_SERVICE, None, (200, 200, 200)),
    ("GET", "/redfish/v1/AccountService/Roles/Operator", None, (200, 200, 200)),
    ("GET", SESSIONS, None, (200, 200, 200)),
    ("PATCH", ACCOUNT_SERVICE, {"AccountLockoutThreshold": 0}, (200, 403, 403)),
    (
        "POST",
        ACCOUNTS,
        {"UserName": "extra", "Password": "extra-pass", "RoleId": "ReadOnly"},
        (201, 403, 403),
    ),
    ("PATCH", "/redfish/v1/SessionService", {"SessionTimeout": 1800}, (200, 403, 403)),
    ("POST", "/redfish/v1/Systems/system/Actions/ComputerSystem.Reset", {"ResetType": "On"}, (200, 200, 403)),
    ("GET", f"{ACCOUNTS}/spare", None, (200, 403, 403)),
    ("PATCH", f"{ACCOUNTS}/spare", {"Password": "other-pass"}, (200, 403, 403)),
    ("DELETE", f"{ACCOUNTS}/spare", None, (200, 403, 403)),
    ("GET", "/redfish/v1/Managers/bmc/Truststore/Certificates", None, (200, 403, 403)),
]


@pytest.fixture
def spare(obmc: MockBMC) -> None:
    obmc.add_account("spare", "spare-pass", "ReadOnly")


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("method", "path", "body", "expected"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_operation(
    call: Caller, spare: None, role: str, method: str, path: str, body: Any, expected: tuple[int, int, int]
) -> None:
    status = expected[list(ROLES).index(role)]
    kwargs = {"json": body} if body is not None else {}
    r = call(method, path, auth=ROLES[role], **kwargs)
    assert r.status_code == status, r.text


@pytest.mark.parametrize("role", list(ROLES))
def test_own_account(call: Caller, role: str) -> None:
    user, password = ROLES[role]
    own = f"{ACCOUNTS}/{user}"
    assert call("GET", own, auth=ROLES[role]).json()["RoleId"] == role
    assert call("PATCH", own, auth=ROLES[role], json={"Password": password + "-2"}).status_code == 200
    new = (user, password + "-2")
    escalate = call("PATCH", own, auth=new, json={"RoleId": "Administrator"})
    assert escalate.status_code == (200 if role == "Administrator" else 403)


@pytest.mark.parametrize("role", list(ROLES))
def test_collection_shows_only_self_without_configure_users(call: Caller, role: str) -> None:
    members = call("GET", ACCOUNTS, auth=ROLES[role]).json()["Members"]
    names = {m["@odata.id"].rsplit("/", 1)[-1] for m in members}
    if role == "Administrator":
        assert {"admin", "operator", "student"} <= names
    else:
        assert names == {ROLES[role][0]}


def test_sessions_of_others(call: Caller) -> None:
    admin_token, admin_session = call.login()
    student_token, student_session = call.login("student", "student")
    operator_token, _ = call.login("operator", "operator")
    assert call("GET", admin_session, token=student_token).status_code == 200  # bmcweb: no owner check on GET
    assert call("DELETE", admin_session, token=operator_token).status_code == 403
    assert call("DELETE", student_session, token=admin_token).status_code == 200
    assert call("GET", SESSIONS, token=student_token).status_code == 401


def test_roles_are_predefined_and_fixed(call: Caller) -> None:
    body = call("GET", "/redfish/v1/AccountService/Roles/ReadOnly", auth=ROLES["ReadOnly"]).json()
    assert body["IsPredefined"] is True and set(body["AssignedPrivileges"]) == {"Login", "ConfigureSelf"}
    members = call("GET", "/redfish/v1/AccountService/Roles", auth=ROLES["ReadOnly"]).json()["Members"]
    assert {m["@odata.id"].rsplit("/", 1)[-1] for m in members} == set(ROLES)  # no NoAccess
    r = call(
        "PATCH",
        "/redfish/v1/AccountService/Roles/ReadOnly",
        auth=ROLES["Administrator"],
        json={"AssignedPrivileges": ["Login", "ConfigureManager"]},
    )
    assert r.status_code == 405
