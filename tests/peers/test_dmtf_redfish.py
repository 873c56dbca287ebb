"""DMTF's python-redfish-library, unchanged, against the mock BMC: basic and session login, GET, list sessions,
logout, and a wrong password surfacing as the library's own InvalidCredentialsError — on ilo6, ilo7 and rmc (DMTF's
library is what people point at a Superdome Flex RMC as much as at an iLO).

The driver passes the mock's CA as ``cafile``, so TLS is verified. The environment is left as users have it,
REQUESTS_CA_BUNDLE included: this library hands ``verify=`` to every request, which that variable cannot override.
"""

from __future__ import annotations

import pytest

from redfishnb.mock import MockBMC

pytestmark = pytest.mark.peers


@pytest.fixture(scope="module", params=["ilo6", "ilo7", "rmc", "openbmc"])
def bmc(request):
    with MockBMC(flavor=request.param) as bmc:
        yield bmc


@pytest.fixture(scope="module")
def observed(bmc, dmtf_python, peer_json) -> dict:
    payload = {"url": bmc.url, "ca_file": str(bmc.ca_file), "username": "admin", "password": "password"}
    observed = peer_json(dmtf_python, "dmtf_redfish.py", payload)
    observed["flavor"] = bmc.flavor.name
    observed["sessions_left"] = bmc.sessions()  # the driver has exited: whatever is left, the library leaked
    return observed


def test_basic_login_reads_and_leaves_no_session(observed):
    basic = observed["basic"]
    assert basic["systems_status"] == 200
    assert basic["systems_members"] >= 1
    assert basic["sessions_status"] == 200
    assert basic["sessions_members"] == 0, "Basic auth must not create a session"
    assert basic["session_key_after_login"] is False


# The token as each BMC issues it: 32 hex digits on the HPE flavours, 20 letters and digits as bmcweb makes them.
TOKEN_SHAPE = {"openbmc": {"present": True, "length": 20}}
HPE_TOKEN = {"present": True, "length": 32, "hex": True}


def test_session_login_get_list_logout(observed):
    s = observed["session"]
    expected = TOKEN_SHAPE.get(observed["flavor"], HPE_TOKEN)
    assert {key: s["token"][key] for key in expected} == expected
    assert s["location"].rstrip("/").split("/")[-2] == "Sessions"
    assert s["systems_status"] == 200
    assert s["sessions_status"] == 200
    assert s["own_session_listed"], "the new session must be a member of the Sessions collection"
    assert s["own_session_status"] == 200
    assert s["own_session_username"] == "admin"
    assert s["key_after_logout"] is None
    assert s["stale_token_status"] == 401, "the token must be dead once the library has logged out"


def test_context_manager_logs_in_and_out(observed):
    cm = observed["context_manager"]
    assert cm["managers_status"] == 200
    assert cm["sessions_while_open"] == 1


@pytest.mark.parametrize("auth", ["session", "basic"])
def test_wrong_password_raises_invalid_credentials(observed, auth):
    assert observed["bad_password"][auth] == {
        "raised": "InvalidCredentialsError",
        "message_mentions_password": False,
    }


def test_no_session_left_behind(observed):
    assert observed["sessions_left"] == []
