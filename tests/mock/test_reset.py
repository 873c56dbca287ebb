"""The iLO reset: Manager.Reset (privilege, ResetType), MockBMC.reset(), and the CLI's SIGUSR1.

A reset must end every session, drop open connections, refuse new ones for the down time, then serve again with
the same accounts, CA, certificate mappings, license and settings.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from redfishnb.certs import LabCA
from redfishnb.mock import MockBMC

from .conftest import SESSIONS

RESET = "/redfish/v1/Managers/1/Actions/Manager.Reset/"
DOWN = 0.5


def _refused(bmc: MockBMC, port: int | None = None) -> bool:
    """True when a TCP connect to the BMC's port is refused (what a client meets while iLO restarts)."""
    try:
        socket.create_connection(("127.0.0.1", port or bmc.port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_manager_advertises_the_reset_action(call) -> None:
    manager = call("GET", "/redfish/v1/Managers/1/", auth=("student", "student")).json()
    action = manager["Actions"]["#Manager.Reset"]
    assert action["target"] == RESET
    assert action["ResetType@Redfish.AllowableValues"] == ["ForceRestart", "GracefulRestart"]


def test_reset_needs_the_ilo_config_privilege(bmc, call) -> None:
    r = call("POST", RESET, json={"ResetType": "ForceRestart"}, auth=("operator", "operator"))
    assert r.status_code == 403
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"].endswith("InsufficientPrivilege")
    assert not _refused(bmc)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"ResetType": "PowerCycle"}, "ActionParameterValueFormatError"),
        ({"ResetType": 1}, "ActionParameterValueFormatError"),
        ([], "MalformedJSON"),
    ],
)
def test_reset_type_is_checked(bmc, call, body, key) -> None:
    r = call("POST", RESET, json=body, auth=("admin", "password"))
    assert r.status_code == 400
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"].endswith(key)
    assert not _refused(bmc)


def test_reset_without_reset_type_is_a_graceful_restart(bmc, call) -> None:
    """What iLOrest's ``iloreset`` sends: only the action's name."""
    bmc.reset_seconds = 0.2
    bmc.create_session("operator")
    r = call("POST", RESET, json={"Action": "Manager.Reset"}, auth=("admin", "password"))
    assert r.status_code == 200
    time.sleep(0.3)  # past the reply grace: the reset has started
    assert bmc.wait_until_up(5)
    assert bmc.session_count == 0
    assert call("GET", "/redfish/v1/").status_code == 200


def test_manager_reset_ends_sessions_refuses_then_serves_with_the_same_state(bmc, call) -> None:
    bmc.reset_seconds = DOWN
    ca = LabCA.create("reset test CA")
    bmc.import_ca(ca.cert_pem)
    bmc.certificate_login_enabled = True
    bmc.add_account("lab", "labpassword", role="Operator")
    call("PATCH", "/redfish/v1/SessionService/", json={"SessionTimeout": 600}, auth=("admin", "password"))
    token, _ = call.login("operator", "operator")
    bmc.create_session("student")
    assert bmc.session_count == 2

    r = call("POST", RESET, json={"ResetType": "GracefulRestart"}, auth=("admin", "password"))
    assert r.status_code == 200
    assert r.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"] == "iLO.2.34.ResetInProgress"
    time.sleep(0.3)  # past the reply grace, inside the down time
    assert _refused(bmc)
    assert bmc.wait_until_up(5)

    assert bmc.session_count == 0
    assert call("GET", "/redfish/v1/Systems/", token=token).status_code == 401  # the old token is gone
    assert {a["username"] for a in bmc.accounts} >= {"admin", "operator", "student", "lab"}
    assert call("GET", "/redfish/v1/Systems/", auth=("lab", "labpassword")).status_code == 200
    assert bmc.certificate_login_enabled and bmc.licensed
    cas = call(
        "GET",
        "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/CACertificates/",
        auth=("admin", "password"),
    ).json()
    assert cas["Members@odata.count"] == 1
    service = call("GET", "/redfish/v1/SessionService/", auth=("admin", "password")).json()
    assert service["SessionTimeout"] == 600


def test_instructor_reset_drops_open_connections_and_waits(bmc, call) -> None:
    call.login()
    assert call("GET", SESSIONS, auth=("admin", "password")).status_code == 200  # keep-alive connection open
    before = bmc.request_count
    start = time.monotonic()
    bmc.reset(down_seconds=DOWN)
    assert time.monotonic() - start >= DOWN
    assert bmc.session_count == 0
    # The pooled connection was closed by the reset; requests reconnects on the next call.
    assert call("GET", "/redfish/v1/").status_code == 200
    assert bmc.request_count == before + 1
    assert bmc.running


def test_reset_in_background_and_stop_during_the_down_time(bmc) -> None:
    port = bmc.port
    bmc.reset(down_seconds=1.0, wait=False)
    time.sleep(0.4)
    assert _refused(bmc, port)
    bmc.stop()
    assert bmc.wait_until_up(1)
    time.sleep(1.0)  # past the end of the down time
    assert _refused(bmc, port), "a BMC stopped while resetting must stay stopped"


def test_cli_sigusr1_resets(tmp_path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "redfishnb", "mock", "--port", "0", "--json", "--reset-seconds", str(DOWN)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        url, ca = info["urls"][0], info["ca_file"]
        login = {"UserName": "admin", "Password": "password"}
        r = requests.post(url + SESSIONS, json=login, verify=ca, timeout=5)
        token = r.headers["X-Auth-Token"]
        proc.send_signal(signal.SIGUSR1)
        time.sleep(0.35)
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "/redfish/v1/", verify=ca, timeout=2)
        deadline = time.monotonic() + 10
        while True:
            try:
                r = requests.get(
                    url + "/redfish/v1/Systems/", headers={"X-Auth-Token": token}, verify=ca, timeout=2
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the mock did not come back after the reset"
                time.sleep(0.1)
        assert r.status_code == 401, "the session must have ended with the reset"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert "iLO reset" in proc.stderr.read()
