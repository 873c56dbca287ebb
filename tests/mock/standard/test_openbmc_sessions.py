"""openbmc sessions end to end: the Session v1_7_0 body, relative Location, errors, limit and idle timeout."""

from __future__ import annotations

import json

from redfishnb.mock import MockBMC

from .conftest import ACCOUNTS, ADMIN, SESSIONS, Caller, message_ids


def test_login_answers_as_bmcweb(call: Caller) -> None:
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "password", "Context": "nb-1"})
    assert r.status_code == 201
    location = r.headers["Location"]
    assert location.startswith(f"{SESSIONS}/") and not location.endswith("/")  # relative, no trailing slash
    token = r.headers["X-Auth-Token"]
    assert len(token) == 20 and token.isalnum()  # bmcweb: 20 alphanumerics, id 10 (include/sessions.hpp)
    body = r.json()
    assert len(body["Id"]) == 10 and body["Id"].isalnum()
    assert body["@odata.type"] == "#Session.v1_7_0.Session" and body["@odata.id"] == location
    assert body["UserName"] == "admin" and body["Roles"] == ["Administrator"]
    assert body["Context"] == "nb-1" and body["SessionType"] == "Redfish"
    assert body["ClientOriginIPAddress"] == "127.0.0.1" and body["CreatedTime"].startswith("2026-01-01")
    assert "Password" not in body and "Token" not in body
    got = call("GET", location, token=r.headers["X-Auth-Token"]).json()
    assert got["Context"] == "nb-1" and got["Id"] == body["Id"]


def test_instructor_view_shows_standard_roles(obmc: MockBMC, call: Caller) -> None:
    call.login("student", "student")
    assert [s["role"] for s in obmc.sessions()] == ["ReadOnly"]
    assert obmc.add_account("helper", "helper-pass", "Operator")["role"] == "Operator"


def test_login_body_rules(call: Caller) -> None:
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "password", "Oem": {}})
    assert r.status_code == 400 and message_ids(r) == ["PropertyUnknown"]
    r = call("POST", SESSIONS, json={"UserName": "admin"})
    assert r.status_code == 400 and message_ids(r) == ["PropertyMissing"]
    r = call("POST", f"{SESSIONS}/Members", json={"UserName": "admin", "Password": "password"})
    assert r.status_code == 201


def test_bad_login_is_one_answer(call: Caller) -> None:
    wrong = call("POST", SESSIONS, json={"UserName": "admin", "Password": "nope-nope"})
    unknown = call("POST", SESSIONS, json={"UserName": "ghost", "Password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert message_ids(wrong) == ["ResourceAtUriUnauthorized"]
    assert "nope-nope" not in wrong.text


def test_logout_and_other_sessions(call: Caller) -> None:
    token, location = call.login()
    r = call("DELETE", location, token=token)
    assert r.status_code == 200 and message_ids(r) == ["Success"]
    assert call("GET", SESSIONS, token=token).status_code == 401


def test_no_oem_anywhere(call: Caller) -> None:
    token, location = call.login()
    for path in (
        "/redfish/v1",
        "/redfish/v1/AccountService",
        f"{ACCOUNTS}/admin",
        location,
        SESSIONS,
        "/redfish/v1/SessionService",
        "/redfish/v1/Managers/bmc",
        "/redfish/v1/Systems/system",
        "/redfish/v1/Chassis/chassis",
        "/redfish/v1/AccountService/Roles/ReadOnly",
    ):
        r = call("GET", path, token=token)
        assert r.status_code == 200, path
        assert '"Oem"' not in json.dumps(r.json()), path


def test_idle_timeout_default_and_patch(obmc: MockBMC, call: Caller) -> None:
    service = call("GET", "/redfish/v1/SessionService", auth=ADMIN).json()
    assert service["SessionTimeout"] == 1800  # bmcweb's default
    token, _ = call.login()
    obmc.advance_clock(1799)
    assert call("GET", SESSIONS, token=token).status_code == 200  # use restarts the idle timer
    obmc.advance_clock(1800)
    assert call("GET", SESSIONS, token=token).status_code == 401
    assert (
        call("PATCH", "/redfish/v1/SessionService", auth=ADMIN, json={"SessionTimeout": 29}).status_code
        == 400
    )
    assert (
        call("PATCH", "/redfish/v1/SessionService", auth=ADMIN, json={"SessionTimeout": 60}).status_code
        == 200
    )
    token, _ = call.login()
    obmc.advance_clock(61)
    assert call("GET", SESSIONS, token=token).status_code == 401


def test_no_session_limit_by_default_but_settable(obmc: MockBMC, call: Caller) -> None:
    assert obmc.session_limit == 0  # bmcweb has none
    for _ in range(20):
        call.login()
    obmc.session_limit = 21
    call.login()
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
    assert r.status_code == 503 and message_ids(r) == ["SessionLimitExceeded"]


def test_unauthenticated_401_is_json(call: Caller) -> None:
    r = call("GET", "/redfish/v1/Systems")
    assert r.status_code == 401 and message_ids(r) == ["NoValidSession"]
    assert r.json()["error"]["code"] == "Base.1.19.GeneralError"
