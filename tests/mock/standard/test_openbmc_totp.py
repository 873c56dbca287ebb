"""TOTP two-factor end to end: provisioning, the Token member, the ±1 step window, replay, Basic refusal."""

from __future__ import annotations

import pyotp
import pytest

from redfishnb.mock import MockBMC

from .conftest import ACCOUNT_SERVICE, ACCOUNTS, ADMIN, SESSIONS, Caller, message_ids

OWN = f"{ACCOUNTS}/operator"
GENERATE = f"{OWN}/Actions/ManagerAccount.GenerateSecretKey"
CLEAR = f"{OWN}/Actions/ManagerAccount.ClearSecretKey"
CRED = {"UserName": "operator", "Password": "operator"}


@pytest.fixture
def secret(call: Caller) -> str:
    call.patch_service({"MultiFactorAuth": {"TimeBasedOneTimePassword": {"Enabled": True}}})
    r = call("POST", GENERATE, auth=("operator", "operator"), json={})
    assert r.status_code == 200, r.text
    key = str(r.json()["SecretKey"])
    assert len(key) == 32
    return key


def _code(bmc: MockBMC, key: str, offset: float = 0) -> str:
    return pyotp.TOTP(key).at(int(bmc.clock.now() + offset))


def _login(call: Caller, token: str | None = None) -> int:
    body = dict(CRED, **({"Token": token} if token is not None else {}))
    return call("POST", SESSIONS, json=body).status_code


def test_settings_shape(call: Caller) -> None:
    mfa = call("GET", ACCOUNT_SERVICE, auth=ADMIN).json()["MultiFactorAuth"]
    assert mfa["TimeBasedOneTimePassword"] == {"Enabled": False, "TimeStepSeconds": 30}


def test_secret_shown_once(call: Caller, secret: str) -> None:
    account = call("GET", OWN, auth=ADMIN)
    assert account.json()["SecretKeySet"] is True
    assert secret not in account.text
    assert "#ManagerAccount.GenerateSecretKey" in account.json()["Actions"]


def test_token_required_and_checked(obmc: MockBMC, call: Caller, secret: str) -> None:
    missing = call("POST", SESSIONS, json=CRED)
    assert missing.status_code == 401 and message_ids(missing) == ["AuthenticationTokenRequired"]
    wrong = call(
        "POST", SESSIONS, json=dict(CRED, Token="000000" if _code(obmc, secret) != "000000" else "111111")
    )
    assert wrong.status_code == 401 and message_ids(wrong) == ["ResourceAtUriUnauthorized"]
    assert _login(call, _code(obmc, secret)) == 201


def test_window_is_one_step(obmc: MockBMC, call: Caller, secret: str) -> None:
    obmc.advance_clock(300)
    assert _login(call, _code(obmc, secret, -60)) == 401
    assert _login(call, _code(obmc, secret, +60)) == 401
    assert _login(call, _code(obmc, secret, -30)) == 201
    assert (
        _login(call, _code(obmc, secret, +30)) == 201
    )  # a later step: allowed, and it spends the earlier ones


def test_code_not_reusable(obmc: MockBMC, call: Caller, secret: str) -> None:
    code = _code(obmc, secret)
    assert _login(call, code) == 201
    assert _login(call, code) == 401
    obmc.advance_clock(10)
    assert _login(call, code) == 401  # still the same window
    obmc.advance_clock(20)
    assert _login(call, _code(obmc, secret)) == 201


def test_basic_refused_for_totp_account(call: Caller, secret: str) -> None:
    assert call("GET", "/redfish/v1/Systems", auth=("operator", "operator")).status_code == 401
    assert call("GET", "/redfish/v1/Systems", auth=("student", "student")).status_code == 200  # no secret


def test_clear_and_disable(obmc: MockBMC, call: Caller, secret: str) -> None:
    token_session = call("POST", SESSIONS, json=dict(CRED, Token=_code(obmc, secret)))
    token = token_session.headers["X-Auth-Token"]
    assert call("POST", CLEAR, token=token, json={}).status_code == 200
    assert call("GET", OWN, token=token).json()["SecretKeySet"] is False
    assert _login(call) == 201
    call("POST", GENERATE, token=token, json={})
    assert _login(call) == 401
    call.patch_service({"MultiFactorAuth": {"TimeBasedOneTimePassword": {"Enabled": False}}})
    assert _login(call) == 201


def test_only_self_or_configure_users(call: Caller) -> None:
    assert call("POST", GENERATE, auth=("student", "student"), json={}).status_code == 403
    assert (
        call(
            "POST",
            f"{ACCOUNTS}/student/Actions/ManagerAccount.GenerateSecretKey",
            auth=("student", "student"),
            json={},
        ).status_code
        == 200
    )
    assert call("POST", CLEAR, auth=ADMIN, json={}).status_code == 200


def test_wrong_codes_count_toward_lockout(obmc: MockBMC, call: Caller, secret: str) -> None:
    call.patch_service({"AccountLockoutThreshold": 2, "AccountLockoutDuration": 60})
    bad = "000000" if _code(obmc, secret) != "000000" else "111111"
    assert _login(call, bad) == 401
    assert _login(call, bad) == 401
    assert _login(call, _code(obmc, secret)) == 401  # locked now
    assert call("GET", OWN, auth=ADMIN).json()["Locked"] is True


def test_verify_action_checks_without_spending(obmc: MockBMC, call: Caller, secret: str) -> None:
    verify = f"{OWN}/Actions/ManagerAccount.VerifyTimeBasedOneTimePassword"
    code = _code(obmc, secret)
    bad = "000000" if code != "000000" else "111111"
    r = call("POST", verify, auth=ADMIN, json={"TimeBasedOneTimePassword": bad})
    assert r.status_code == 400 and message_ids(r) == ["ActionParameterValueFormatError"]
    assert bad not in r.text
    assert call("POST", verify, auth=ADMIN, json={"TimeBasedOneTimePassword": code}).status_code == 200
    assert _login(call, code) == 201  # the check did not use the code up
