"""Session login, use, listing, logout, limit and idle timeout, for both flavours."""

from __future__ import annotations

import re
import threading

import requests

from redfishnb.mock import MockBMC

from .conftest import SESSIONS, Caller


def test_login_answers_201_with_token_location_link_and_body(call: Caller, bmc: MockBMC) -> None:
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
    assert r.status_code == 201
    token = r.headers["X-Auth-Token"]
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    sid = r.json()["Id"]
    assert sid.startswith("admin")
    assert r.headers["Location"] == f"https://127.0.0.1:{bmc.port}/redfish/v1/SessionService/Sessions/{sid}/"
    assert r.headers["Link"] == f"</redfish/v1/SessionService/Sessions/{sid}/>; rel=self"
    body = r.json()
    assert body["@odata.type"] == "#Session.v1_0_0.Session"
    assert body["UserName"] == "admin"
    hpe = body["Oem"]["Hpe"]
    assert hpe["MySession"] is False and "Privileges" not in hpe  # as captured from a real iLO 6
    assert hpe["UserTag"] == "REST" and hpe["UserType"] == "Local"
    assert body["@odata.etag"].startswith('W/"')
    assert bmc.session_count == 1
    assert bmc.sessions()[0]["username"] == "admin" and "token" not in bmc.sessions()[0]


def test_token_reads_own_session_with_privileges_then_logout(call: Caller, bmc: MockBMC) -> None:
    token, location = call.login("operator", "operator")
    r = call("GET", location, token=token)
    assert r.status_code == 200
    hpe = r.json()["Oem"]["Hpe"]
    assert hpe["MySession"] is True
    assert hpe["Privileges"]["VirtualPowerAndResetPriv"] is True
    assert hpe["Privileges"]["UserConfigPriv"] is False
    assert hpe["UserExpires"] == "2026-01-01T00:30:00Z"
    r = call("DELETE", location, token=token)
    assert r.status_code == 200
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"] == "Base.1.12.Success"
    assert bmc.session_count == 0
    assert call("GET", "/redfish/v1/Systems/", token=token).status_code == 401


def test_own_session_has_exactly_the_seed_properties(call: Caller) -> None:
    """Exactly, not a superset: HPE's v1.70 pages also list ``Oem.Hpe.UserAccount`` and
    ``Oem.Hpe.UserDistinguishedName`` ("Added iLO6 1.05", the first iLO 6 firmware), yet every iLO 6 capture
    leaves them out — the seed's own sessions (admin, and student after a certificate login) and HPE's tfa.md
    session of a directory user on 1.50 or later. The captures are from firmware the pages cover, so the mock
    follows the captures; ``test_documented_surface`` lists both as documented but not served."""
    token, location = call.login()
    body = call("GET", location, token=token).json()
    assert set(body) == {
        "@odata.context",
        "@odata.etag",
        "@odata.id",
        "@odata.type",
        "Description",
        "Id",
        "Name",
        "Oem",
        "UserName",
    }
    assert set(body["Oem"]["Hpe"]) == {
        "@odata.context",
        "@odata.type",
        "AccessTime",
        "LoginTime",
        "MySession",
        "Privileges",
        "UserExpires",
        "UserIP",
        "UserTag",
        "UserType",
    }
    assert body["Oem"]["Hpe"]["@odata.type"] == "#HpeiLOSession.v2_1_0.HpeiLOSession"
    assert (body["Description"], body["Name"]) == ("Manager User Session", "User Session")
    call.bmc.clear_sessions()


def test_location_host_follows_the_certificate_names(call: Caller, bmc: MockBMC) -> None:
    creds = {"UserName": "admin", "Password": "password"}
    r = call("POST", SESSIONS, json=creds, headers={"Host": f"localhost:{bmc.port}"})
    assert r.headers["Location"].startswith(f"https://localhost:{bmc.port}/redfish/")
    r = call("POST", SESSIONS, json=creds, headers={"Host": "attacker.example"})
    assert r.headers["Location"].startswith(f"https://127.0.0.1:{bmc.port}/redfish/")
    bmc.clear_sessions()


def test_login_via_members_and_case_insensitive_paths(call: Caller, bmc: MockBMC) -> None:
    r = call(
        "POST",
        "/redfish/v1/SessionService/Sessions/Members/",
        json={"UserName": "student", "Password": "student"},
    )
    assert r.status_code == 201
    token = r.headers["X-Auth-Token"]
    assert call("GET", "/redfish/v1/systems/", token=token).status_code == 200
    bmc.clear_sessions()


def test_collection_lists_members_and_my_session(call: Caller, bmc: MockBMC) -> None:
    planted = bmc.create_session("student", user_tag="Web UI")
    token, location = call.login()
    body = call("GET", SESSIONS, token=token).json()
    assert body["Members@odata.count"] == 2
    assert {"@odata.id": planted.uri} in body["Members"]
    other = call("GET", planted.uri, token=token).json()["Oem"]["Hpe"]
    assert (
        other["MySession"] is False and "Privileges" not in other
    )  # privileges show on your own session only
    assert body["Oem"]["Hpe"]["Links"]["MySession"]["@odata.id"] == location.split(str(bmc.port))[1]
    assert "token" not in repr(planted) and planted.token not in repr(planted)
    bmc.clear_sessions()


def test_bad_credentials_401_without_echo(call: Caller, bmc: MockBMC) -> None:
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "s3cr3t-guess"})
    assert r.status_code == 401
    assert "X-Auth-Token" not in r.headers
    assert r.json()["error"]["@Message.ExtendedInfo"] == [{"MessageId": "iLO.2.34.UnauthorizedLoginAttempt"}]
    assert "admin" not in r.text and "s3cr3t" not in r.text
    unknown = call("POST", SESSIONS, json={"UserName": "nobody", "Password": "x"})
    assert unknown.status_code == 401 and unknown.json() == r.json()  # no hint that the user does not exist
    assert bmc.session_count == 0


def test_login_body_validation(call: Caller) -> None:
    r = call("POST", SESSIONS, json={"UserName": "admin"})
    assert r.status_code == 400
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"] == "Base.1.12.PropertyMissing"
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": 123})
    assert r.status_code == 400
    assert "PropertyValueTypeError" in r.text
    r = call("POST", SESSIONS, data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "MalformedJSON" in r.text
    r = call("POST", SESSIONS, json=["admin", "password"])
    assert r.status_code == 400


def test_idle_timeout_via_mock_clock(call: Caller, bmc: MockBMC) -> None:
    token, location = call.login()
    bmc.advance_clock(1799)
    assert call("GET", location, token=token).status_code == 200  # touching restarts the idle timer
    bmc.advance_clock(1799)
    assert call("GET", location, token=token).status_code == 200
    bmc.advance_clock(1800)
    assert bmc.session_count == 0
    r = call("GET", location, token=token)
    assert r.status_code == 401
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"] == "Base.1.12.NoValidSession"


def test_session_timeout_patch_range_and_effect(call: Caller, bmc: MockBMC) -> None:
    token, _ = call.login()
    r = call("PATCH", "/redfish/v1/SessionService/", token=token, json={"SessionTimeout": 20})
    assert r.status_code == 400 and "PropertyValueOutOfRange" in r.text
    r = call("PATCH", "/redfish/v1/SessionService/", token=token, json={"SessionTimeout": 60})
    assert r.status_code == 200 and r.json()["SessionTimeout"] == 60
    bmc.advance_clock(61)
    assert bmc.session_count == 0


def test_session_limit_holds_under_100_concurrent_logins() -> None:
    with MockBMC(session_limit=8) as bmc:
        results: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(100)

        def worker() -> None:
            barrier.wait()
            r = requests.post(
                bmc.url + SESSIONS,
                json={"UserName": "admin", "Password": "password"},
                verify=bmc.ca_file,
                timeout=30,
            )
            with lock:
                results.append(r.status_code)
            if r.status_code == 503:
                assert "SessionLimitExceeded" in r.text

        threads = [threading.Thread(target=worker) for _ in range(100)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count(201) == 8
        assert results.count(503) == 92
        assert bmc.session_count == 8
        bmc.clear_sessions()


def test_limit_status_400_variant() -> None:
    with MockBMC(session_limit=1, limit_status=400) as bmc:
        c = Caller(bmc)
        c.login()
        r = c("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
        assert r.status_code == 400
        assert "CreateLimitReachedForResource" in r.text
        bmc.clear_sessions()


def test_delete_other_users_session_needs_user_config_priv(call: Caller, bmc: MockBMC) -> None:
    victim = bmc.create_session("admin")
    student, _ = call.login("student", "student")
    r = call("DELETE", victim.uri, token=student)
    assert r.status_code == 403 and "InsufficientPrivilege" in r.text
    admin, _ = call.login()
    assert call("DELETE", victim.uri, token=admin).status_code == 200
    assert call("DELETE", victim.uri, token=admin).status_code == 404
    bmc.clear_sessions()


def test_basic_auth_leaves_no_session(call: Caller, bmc: MockBMC) -> None:
    r = call("GET", "/redfish/v1/Systems/1/", auth=("operator", "operator"))
    assert r.status_code == 200 and r.json()["Id"] == "1"
    assert bmc.session_count == 0
    r = call("GET", "/redfish/v1/Systems/1/", auth=("operator", "wrong"))
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")


def test_seeded_mode_is_reproducible() -> None:
    outputs = []
    for _ in range(2):
        with MockBMC(seed=42) as bmc:
            r = Caller(bmc)("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
            outputs.append((r.headers["X-Auth-Token"], r.json()["Id"], r.json()["@odata.etag"]))
            bmc.clear_sessions()
    assert outputs[0] == outputs[1]
    with MockBMC() as bmc:
        c = Caller(bmc)
        tokens = {c.login()[0] for _ in range(3)}
        assert len(tokens) == 3
        bmc.clear_sessions()


def test_rmc_session_shape(rmc_call: Caller, rmc: MockBMC) -> None:
    r = rmc_call("POST", SESSIONS, json={"UserName": "administrator", "Password": "administrator"})
    assert r.status_code == 201
    body = r.json()
    assert body["@odata.type"] == "#Session.v1_2_1.Session"
    assert re.fullmatch(r"administrator[0-9a-f]{32}", body["Id"])
    assert body["Name"] == f"User Session {body['Id']}"
    assert body["Oem"] == {
        "Hpe": {"@odata.type": "#HpeSession.v1_0_0.HpeSession", "InitialRole": "Administrator"}
    }
    assert re.fullmatch(r'"[0-9a-f]{32}"', body["@odata.etag"])
    assert r.headers["Location"].endswith(f"/redfish/v1/SessionService/Sessions/{body['Id']}")
    assert rmc_call("DELETE", r.headers["Location"], token=r.headers["X-Auth-Token"]).status_code == 200
    assert rmc.session_count == 0
