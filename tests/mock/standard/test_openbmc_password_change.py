"""PasswordChangeRequired end to end: login succeeds with the message; only own account read and password PATCH."""

from __future__ import annotations

import pytest
import requests

from redfishnb.mock import MockBMC

from .conftest import ACCOUNTS, ADMIN, SESSIONS, Caller, message_ids

OWN = f"{ACCOUNTS}/newbie"


@pytest.fixture
def newbie(obmc: MockBMC, call: Caller) -> tuple[str, str]:
    r = call(
        "POST",
        ACCOUNTS,
        auth=ADMIN,
        json={
            "UserName": "newbie",
            "Password": "first-pass",
            "RoleId": "Operator",
            "PasswordChangeRequired": True,
        },
    )
    assert r.status_code == 201, r.text
    r = call("POST", SESSIONS, json={"UserName": "newbie", "Password": "first-pass"})
    assert r.status_code == 201
    assert message_ids(r) == ["PasswordChangeRequired"]
    assert r.json()["@Message.ExtendedInfo"][0]["MessageArgs"] == [OWN]
    return r.headers["X-Auth-Token"], r.headers["Location"]


def _refused(r: requests.Response) -> None:
    assert r.status_code == 403, r.text
    if r.request.method != "HEAD":
        assert message_ids(r) == ["PasswordChangeRequired"]


@pytest.mark.parametrize("use_basic", [False, True])
def test_restricted_on_every_method(call: Caller, newbie: tuple[str, str], use_basic: bool) -> None:
    token, location = newbie
    cred = {"auth": ("newbie", "first-pass")} if use_basic else {"token": token}
    assert call("GET", OWN, **cred).status_code == 200
    assert call("HEAD", OWN, **cred).status_code == 200
    _refused(call("GET", SESSIONS, **cred))
    _refused(call("GET", "/redfish/v1/Systems/system", **cred))
    _refused(call("HEAD", "/redfish/v1/Systems/system", **cred))
    _refused(call("GET", f"{ACCOUNTS}/admin", **cred))
    _refused(call("PATCH", OWN, json={"Enabled": True}, **cred))
    _refused(call("PATCH", OWN, json={"Password": "second-pass", "RoleId": "Operator"}, **cred))
    _refused(
        call(
            "POST",
            "/redfish/v1/Systems/system/Actions/ComputerSystem.Reset",
            json={"ResetType": "On"},
            **cred,
        )
    )
    _refused(
        call("POST", ACCOUNTS, json={"UserName": "x", "Password": "xxxxxxxx", "RoleId": "ReadOnly"}, **cred)
    )
    admin_token, admin_session = call.login()
    _refused(call("DELETE", admin_session, **cred))
    _refused(call("PATCH", "/redfish/v1/SessionService", json={"SessionTimeout": 60}, **cred))
    assert call("GET", "/redfish/v1", **cred).status_code == 200  # the service root stays open to all


def test_own_session_can_be_read_and_closed(call: Caller, newbie: tuple[str, str]) -> None:
    token, location = newbie
    assert call("GET", location, token=token).status_code == 200
    assert call("DELETE", location, token=token).status_code == 200


def test_password_patch_lifts_the_restriction(call: Caller, newbie: tuple[str, str]) -> None:
    token, _ = newbie
    etag = call("GET", OWN, token=token).headers["ETag"]
    r = call("PATCH", OWN, token=token, headers={"If-Match": etag}, json={"Password": "second-pass"})
    assert r.status_code == 200 and r.json()["PasswordChangeRequired"] is False
    assert call("GET", SESSIONS, token=token).status_code == 200
    assert call("GET", "/redfish/v1/Systems", auth=("newbie", "second-pass")).status_code == 200


def test_other_sessions_end_on_password_change(call: Caller, newbie: tuple[str, str]) -> None:
    token, _ = newbie
    other, _ = call.login("newbie", "first-pass")
    assert call("PATCH", OWN, token=token, json={"Password": "second-pass"}).status_code == 200
    assert call("GET", OWN, token=other).status_code == 401
    assert call("GET", OWN, token=token).status_code == 200
