"""Account lockout on the mock's clock: threshold, duration, counter reset, Locked, administrator unlock."""

from __future__ import annotations

from redfishnb.mock import MockBMC

from .conftest import ACCOUNT_SERVICE, ACCOUNTS, ADMIN, SESSIONS, Caller, make_bmc, message_ids

POLICY = {"AccountLockoutThreshold": 3, "AccountLockoutDuration": 60, "AccountLockoutCounterResetAfter": 30}


def _fail(call: Caller, times: int) -> None:
    for _ in range(times):
        r = call("POST", SESSIONS, json={"UserName": "student", "Password": "wrong-one"})
        assert r.status_code == 401


def _login(call: Caller) -> int:
    return call("POST", SESSIONS, json={"UserName": "student", "Password": "student"}).status_code


def _locked(call: Caller) -> bool:
    return bool(call("GET", f"{ACCOUNTS}/student", auth=ADMIN).json()["Locked"])


def test_defaults_are_bmcweb_s(call: Caller) -> None:
    body = call("GET", ACCOUNT_SERVICE, auth=ADMIN).json()
    assert (body["AccountLockoutThreshold"], body["AccountLockoutDuration"]) == (
        0,
        0,
    )  # OpenBMC faillock.conf
    assert body["AccountLockoutCounterResetAfter"] == 900  # pam_faillock fail_interval
    _fail(call, 10)
    assert _login(call) == 201 and not _locked(call)


def test_lock_refusal_and_unlock_after_duration(obmc: MockBMC, call: Caller) -> None:
    call.patch_service(POLICY)
    _fail(call, 3)
    assert _locked(call)
    refused = call("POST", SESSIONS, json={"UserName": "student", "Password": "student"})
    wrong = call("POST", SESSIONS, json={"UserName": "student", "Password": "wrong-one"})
    assert refused.status_code == 401 and refused.json() == wrong.json()  # no lockout message leaks
    assert message_ids(refused) == ["ResourceAtUriUnauthorized"]
    assert call("GET", "/redfish/v1/Systems", auth=("student", "student")).status_code == 401
    obmc.advance_clock(59)
    assert _login(call) == 401
    obmc.advance_clock(1)
    assert not _locked(call) and _login(call) == 201


def test_counter_resets_after_the_window(obmc: MockBMC, call: Caller) -> None:
    call.patch_service(POLICY)
    _fail(call, 2)
    obmc.advance_clock(30)
    _fail(call, 2)
    assert not _locked(call)
    _fail(call, 1)
    assert _locked(call)


def test_success_resets_the_counter(call: Caller) -> None:
    call.patch_service(POLICY)
    _fail(call, 2)
    assert _login(call) == 201
    _fail(call, 2)
    assert not _locked(call)


def test_admin_unlocks_only_by_false(call: Caller) -> None:
    call.patch_service({**POLICY, "AccountLockoutDuration": 0})  # 0: until an administrator unlocks
    _fail(call, 3)
    assert _locked(call)
    assert call("PATCH", f"{ACCOUNTS}/student", auth=ADMIN, json={"Locked": True}).status_code == 400
    assert (
        call(
            "PATCH", f"{ACCOUNTS}/student", auth=("operator", "operator"), json={"Locked": False}
        ).status_code
        == 403
    )
    r = call("PATCH", f"{ACCOUNTS}/student", auth=ADMIN, json={"Locked": False})
    assert r.status_code == 200 and r.json()["Locked"] is False
    assert _login(call) == 201


def test_constructor_arguments_set_the_policy() -> None:
    with make_bmc(lockout_threshold=2, lockout_duration=10) as bmc:
        call = Caller(bmc)
        _fail(call, 2)
        assert _login(call) == 401
        bmc.advance_clock(10)
        assert _login(call) == 201
