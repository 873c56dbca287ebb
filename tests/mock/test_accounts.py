"""Accounts, roles and privileges: who may create, change and delete what; ETags; PasswordChangeRequired."""

from __future__ import annotations

from redfishnb.mock import MockBMC

from .conftest import SESSIONS, Caller

ACCOUNTS = "/redfish/v1/AccountService/Accounts/"


def _account_uri(call: Caller, token: str, username: str) -> str:
    body = call("GET", ACCOUNTS + "?$expand=.", token=token).json()
    return next(m["@odata.id"] for m in body["Members"] if m["UserName"] == username)


def test_accounts_are_listed_with_roles_and_privileges(call: Caller, bmc: MockBMC) -> None:
    token, _ = call.login("student", "student")
    body = call("GET", ACCOUNTS + "?$expand=.", token=token).json()
    by_name = {m["UserName"]: m for m in body["Members"]}
    assert {n: m["RoleId"] for n, m in by_name.items()} == {
        "admin": "Administrator",
        "operator": "Operator",
        "student": "ReadOnly",
    }
    assert by_name["admin"]["Password"] is None
    assert by_name["operator"]["Oem"]["Hpe"]["Privileges"]["UserConfigPriv"] is False
    assert "password" not in str(body).replace('"Password": None', "")
    roles = call("GET", "/redfish/v1/AccountService/Roles/ReadOnly/", token=token).json()
    assert roles["AssignedPrivileges"] == ["Login", "ConfigureSelf"] and roles["IsPredefined"] is True
    bmc.clear_sessions()


def test_create_patch_delete_account_as_admin(call: Caller, bmc: MockBMC) -> None:
    admin, _ = call.login()
    r = call(
        "POST",
        ACCOUNTS,
        token=admin,
        json={"UserName": "lab01", "Password": "Lab01-pass", "RoleId": "Operator"},
    )
    assert r.status_code == 201
    uri = r.headers["Location"]
    assert r.json()["RoleId"] == "Operator"
    call.login("lab01", "Lab01-pass")
    etag = call("GET", uri, token=admin).headers["ETag"]
    r = call("PATCH", uri, token=admin, json={"RoleId": "ReadOnly"}, headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["RoleId"] == "ReadOnly"
    # the old ETag is stale now: the update is refused and nothing changes
    r = call("PATCH", uri, token=admin, json={"RoleId": "Administrator"}, headers={"If-Match": etag})
    assert r.status_code == 412 and "PreconditionFailed" in r.text
    assert call("GET", uri, token=admin).json()["RoleId"] == "ReadOnly"
    dup = call("POST", ACCOUNTS, token=admin, json={"UserName": "lab01", "Password": "Another-pass"})
    assert dup.status_code == 400 and "UserAlreadyExist" in dup.text
    assert bmc.session_count == 2
    assert call("DELETE", uri, token=admin).status_code == 200
    assert bmc.session_count == 1  # deleting an account ends its sessions
    assert call("GET", uri, token=admin).status_code == 404
    bmc.clear_sessions()


def test_operator_and_readonly_cannot_manage_accounts(call: Caller, bmc: MockBMC) -> None:
    operator, _ = call.login("operator", "operator")
    student, _ = call.login("student", "student")
    admin_uri = _account_uri(call, operator, "admin")
    for token in (operator, student):
        r = call("POST", ACCOUNTS, token=token, json={"UserName": "x", "Password": "Xxxxxxxx1"})
        assert r.status_code == 403 and "InsufficientPrivilege" in r.text
        assert call("PATCH", admin_uri, token=token, json={"Password": "Hijack-123"}).status_code == 403
        assert call("DELETE", admin_uri, token=token).status_code == 403
    r = call("PATCH", "/redfish/v1/SessionService/", token=student, json={"SessionTimeout": 600})
    assert r.status_code == 403
    # ReadOnly cannot reset the server; Operator can
    reset = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset/"
    assert call("POST", reset, token=student, json={"ResetType": "ForceOff"}).status_code == 403
    assert call("POST", reset, token=operator, json={"ResetType": "ForceOff"}).status_code == 200
    assert call("GET", "/redfish/v1/Systems/1/", token=student).json()["PowerState"] == "Off"
    bmc.clear_sessions()


def test_user_changes_own_password_only(call: Caller, bmc: MockBMC) -> None:
    student, _ = call.login("student", "student")
    me = _account_uri(call, student, "student")
    assert call("PATCH", me, token=student, json={"RoleId": "Administrator"}).status_code == 403
    assert call("PATCH", me, token=student, json={"Password": "Student-2026"}).status_code == 200
    assert call("POST", SESSIONS, json={"UserName": "student", "Password": "student"}).status_code == 401
    call.login("student", "Student-2026")
    bmc.clear_sessions()


def test_patch_validation_messages(call: Caller, bmc: MockBMC) -> None:
    admin, _ = call.login()
    uri = _account_uri(call, admin, "operator")
    r = call("PATCH", uri, token=admin, json={"Bogus": 1, "Id": "9", "Enabled": "yes"})
    assert r.status_code == 400
    ids = [m["MessageId"].split(".")[-1] for m in r.json()["error"]["@Message.ExtendedInfo"]]
    assert ids == ["PropertyUnknown", "PropertyNotWritable", "PropertyValueTypeError"]
    r = call("PATCH", uri, token=admin, json={"Enabled": False, "Bogus": 1})
    assert (
        r.status_code == 200 and r.json()["Enabled"] is False
    )  # mixed: applied, with a message for the rest
    assert r.json()["@Message.ExtendedInfo"][0]["MessageId"].endswith("PropertyUnknown")
    assert call("POST", SESSIONS, json={"UserName": "operator", "Password": "operator"}).status_code == 401
    r = call("PATCH", uri, token=admin, json={"@odata.etag": "x"})
    assert r.status_code == 400 and "NoOperation" in r.text
    r = call("PATCH", uri, token=admin, json={"Password": "short"})
    assert r.status_code == 400 and "short" not in r.text
    r = call(
        "PATCH", "/redfish/v1/AccountService/Roles/Operator/", token=admin, json={"AssignedPrivileges": []}
    )
    assert r.status_code == 400 and "PropertyNotWritable" in r.text
    bmc.clear_sessions()


def test_password_change_required_gate(call: Caller, bmc: MockBMC) -> None:
    bmc.add_account("newhire", "Welcome-1", "Operator", password_change_required=True)
    r = call("POST", SESSIONS, json={"UserName": "newhire", "Password": "Welcome-1"})
    assert r.status_code == 201
    info = r.json()["@Message.ExtendedInfo"][0]
    assert info["MessageId"] == "Base.1.12.PasswordChangeRequired"
    me = info["MessageArgs"][0]
    token = r.headers["X-Auth-Token"]
    r = call("GET", "/redfish/v1/Systems/", token=token)
    assert r.status_code == 403 and "PasswordChangeRequired" in r.text
    assert call("GET", me, token=token).status_code == 200
    assert call("PATCH", me, token=token, json={"Password": "Changed-22"}).status_code == 200
    assert call("GET", "/redfish/v1/Systems/", token=token).status_code == 200
    bmc.clear_sessions()


def test_account_service_lockout_settings_patch(call: Caller, bmc: MockBMC) -> None:
    admin, _ = call.login()
    r = call(
        "PATCH",
        "/redfish/v1/AccountService/",
        token=admin,
        json={"AccountLockoutThreshold": 2, "Oem": {"Hpe": {"AuthFailureDelayTimeSeconds": 7}}},
    )
    assert r.status_code == 200  # 2 applies; 7 is not one of iLO's delays
    assert r.json()["AccountLockoutThreshold"] == 2
    assert "PropertyValueNotInList" in r.text
    assert bmc.policy.lockout_threshold == 2
    bmc.clear_sessions()


def test_accounts_file_and_api(tmp_path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(
        "- {username: teacher, password: Teach-2026, role: Administrator}\n"
        "- {username: pupil, password: Pupil-2026}\n"
    )
    with MockBMC(accounts=path) as bmc:
        assert [(a["username"], a["role"]) for a in bmc.accounts] == [
            ("teacher", "Administrator"),
            ("pupil", "ReadOnly"),
        ]
        c = Caller(bmc)
        assert c("POST", SESSIONS, json={"UserName": "admin", "Password": "password"}).status_code == 401
        c.login("teacher", "Teach-2026")
        bmc.remove_account("teacher")
        assert bmc.session_count == 0
        assert all("password" not in a for a in bmc.accounts)


def test_rmc_has_administrator_account(rmc_call: Caller, rmc: MockBMC) -> None:
    assert {a["username"] for a in rmc.accounts} == {"admin", "operator", "student", "administrator"}
    token, _ = rmc_call.login("administrator", "administrator")
    body = rmc_call("GET", "/redfish/v1/AccountService/Accounts/4", token=token).json()
    assert body["UserName"] == "administrator" and "Oem" not in body
    assert rmc_call("GET", "/redfish/v1/Managers/RMC", token=token).json()["Id"] == "RMC"
    assert rmc_call("GET", "/redfish/v1/Systems/Partition0", token=token).json()["Id"] == "Partition0"
    rmc.clear_sessions()


def test_user_names_must_fit_in_a_uri_and_unicode_works(call: Caller, bmc: MockBMC) -> None:
    admin, _ = call.login()
    r = call("POST", ACCOUNTS, token=admin, json={"UserName": "a/b", "Password": "Passw0rd-1"})
    assert r.status_code == 400 and "PropertyValueFormatError" in r.text
    assert (
        call("POST", ACCOUNTS, token=admin, json={"UserName": "用户", "Password": "Passw0rd-1"}).status_code
        == 201
    )
    r = call("POST", SESSIONS, json={"UserName": "用户", "Password": "Passw0rd-1"})
    assert r.status_code == 201 and "%E7%94%A8" in r.headers["Location"]  # percent-encoded, as HTTP requires
    assert call("GET", r.headers["Location"], token=r.headers["X-Auth-Token"]).json()["UserName"] == "用户"
    bmc.clear_sessions()
