"""Authentication before everything: open URIs, 401 bodies in both flavours, tokens, Basic, delay, lockout."""

from __future__ import annotations

import base64

from _payloads import RMC_NO_VALID_SESSION, ilo_error

from redfishnb.mock import MockBMC

from .conftest import SESSIONS, Caller

ILO_401 = ilo_error({"MessageId": "Base.1.12.NoValidSession"})


def test_open_uris(call: Caller) -> None:
    assert call("GET", "/redfish").json() == {"v1": "/redfish/v1/"}
    for path in ("/redfish/v1", "/redfish/v1/"):
        r = call("GET", path)
        assert r.status_code == 200
        assert r.json()["Links"]["Sessions"]["@odata.id"] == "/redfish/v1/SessionService/Sessions/"
    assert call("GET", "/redfish/v1/odata").status_code == 200
    assert call("GET", "/redfish/v1/$metadata").headers["Content-Type"].startswith("application/xml")


def test_401_bodies_exact_in_both_flavours(call: Caller, rmc_call: Caller) -> None:
    r = call("GET", "/redfish/v1/Systems/")
    assert r.status_code == 401 and r.json() == ILO_401
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    r = rmc_call("GET", "/redfish/v1/Systems/")
    assert r.status_code == 401 and r.json() == RMC_NO_VALID_SESSION


def test_authentication_before_404_and_405(call: Caller) -> None:
    assert call("GET", "/redfish/v1/NoSuchThing").status_code == 401
    assert call("DELETE", "/redfish/v1/").status_code == 401  # the root is open to GET only; writes need auth
    assert call("PUT", "/redfish/v1/Systems/1").status_code == 401
    token, _ = call.login()
    r = call("GET", "/redfish/v1/NoSuchThing", token=token)
    assert r.status_code == 404 and "ResourceMissingAtURI" in r.text
    r = call("DELETE", "/redfish/v1/Systems/1/", token=token)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
    assert call("DELETE", "/redfish/v1/", token=token).status_code == 405
    call.bmc.clear_sessions()


def test_invalid_tokens_and_headers(call: Caller) -> None:
    for token in ("", "0" * 32, "not-a-token", "x" * 5000):
        assert call("GET", "/redfish/v1/Systems/", token=token).status_code == 401
    for header in (
        "Basic !!!notbase64",
        "Bearer abc",
        "Basic " + base64.b64encode(b"nocolon").decode(),
        "Basic",
    ):
        r = call("GET", "/redfish/v1/Systems/", headers={"Authorization": header})
        assert r.status_code == 401


def test_stale_token_wins_over_basic(call: Caller) -> None:
    r = call("GET", "/redfish/v1/Systems/", token="f" * 32, auth=("admin", "password"))
    assert r.status_code == 401


def test_login_failure_delay_uses_mock_clock() -> None:
    with MockBMC(login_failure_delay=10, seed=1) as bmc:
        c = Caller(bmc)
        first = c("POST", SESSIONS, json={"UserName": "admin", "Password": "bad"})
        assert first.status_code == 401 and "LoginAttemptDelayedSeconds" not in first.text
        second = c("POST", SESSIONS, json={"UserName": "admin", "Password": "bad"})
        ids = [i["MessageId"] for i in second.json()["error"]["@Message.ExtendedInfo"]]
        assert ids == ["iLO.2.34.UnauthorizedLoginAttempt", "iLO.2.34.LoginAttemptDelayedSeconds"]
        # even the right password is refused while the delay runs
        r = c("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
        assert r.status_code == 401 and r.json()["error"]["@Message.ExtendedInfo"][1]["MessageArgs"] == ["10"]
        assert c("GET", "/redfish/v1/").json()["Oem"]["Hpe"]["Sessions"]["LoginFailureDelay"] == 10
        bmc.advance_clock(10)
        c.login()
        bmc.clear_sessions()


def test_lockout_after_threshold() -> None:
    with MockBMC(lockout_threshold=3, lockout_duration=60, seed=1) as bmc:
        c = Caller(bmc)
        for _ in range(3):
            assert c("POST", SESSIONS, json={"UserName": "operator", "Password": "nope"}).status_code == 401
        r = c("POST", SESSIONS, json={"UserName": "operator", "Password": "operator"})
        assert (
            r.status_code == 401
        )  # locked: the right password does not help, and the body says nothing more
        assert c("GET", "/redfish/v1/Systems/", auth=("operator", "operator")).status_code == 401
        admin, _ = c.login()
        account = next(
            a for a in c("GET", "/redfish/v1/AccountService/Accounts/", token=admin).json()["Members"]
        )
        locked = [
            c("GET", m["@odata.id"], token=admin).json()
            for m in c("GET", "/redfish/v1/AccountService/Accounts/", token=admin).json()["Members"]
        ]
        assert any(a["UserName"] == "operator" and a["Locked"] for a in locked) and account
        bmc.advance_clock(60)
        c.login("operator", "operator")
        bmc.clear_sessions()
