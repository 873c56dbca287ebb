"""HTTPBasicAuth end to end: Enabled (challenge), Unadvertised (no challenge), Disabled (refused); admin only."""

from __future__ import annotations

import pytest

from .conftest import ACCOUNT_SERVICE, ADMIN, Caller


def test_default_is_enabled(call: Caller) -> None:
    body = call("GET", ACCOUNT_SERVICE, auth=ADMIN).json()
    assert body["HTTPBasicAuth"] == "Enabled"
    r = call("GET", "/redfish/v1/Systems")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    ("state", "accepted", "challenge"),
    [("Enabled", True, True), ("Unadvertised", True, False), ("Disabled", False, False)],
)
def test_states(call: Caller, state: str, accepted: bool, challenge: bool) -> None:
    token, _ = call.login()
    r = call("PATCH", ACCOUNT_SERVICE, token=token, json={"HTTPBasicAuth": state})
    assert r.status_code == 200 and r.json()["HTTPBasicAuth"] == state
    basic = call("GET", "/redfish/v1/Systems", auth=("student", "student"))
    assert (basic.status_code == 200) is accepted
    anonymous = call("GET", "/redfish/v1/Systems")
    assert anonymous.status_code == 401
    assert ("WWW-Authenticate" in anonymous.headers) is challenge
    if not accepted:
        assert "WWW-Authenticate" not in basic.headers
    assert call("GET", "/redfish/v1/Systems", token=token).status_code == 200  # sessions unaffected


def test_only_configure_users_may_change_it(call: Caller) -> None:
    r = call("PATCH", ACCOUNT_SERVICE, auth=("operator", "operator"), json={"HTTPBasicAuth": "Disabled"})
    assert r.status_code == 403
    r = call("PATCH", ACCOUNT_SERVICE, auth=ADMIN, json={"HTTPBasicAuth": "Sometimes"})
    assert r.status_code == 400


def test_no_challenge_for_xhr(call: Caller) -> None:
    r = call("GET", "/redfish/v1/Systems", headers={"X-Requested-With": "XMLHttpRequest"})
    assert r.status_code == 401 and "WWW-Authenticate" not in r.headers
