"""The mock's fault switches (redfishnb.mock.faults), driven with plain requests: each does what it says, only
while it is set, and none of them can hang the mock."""

from __future__ import annotations

import socket
import ssl
import time

import pytest
import requests

from redfishnb.mock import MockBMC
from redfishnb.mock.faults import Faults

from .conftest import SESSIONS


def test_no_fault_is_set_until_one_is_and_clear_turns_them_all_off():
    faults = Faults()
    assert not faults.armed and repr(faults) == "<Faults none>"
    faults.reset_next_answers = 2
    faults.stall = True
    assert faults.armed and repr(faults) == "<Faults reset_next_answers=2 stall=True>"
    faults.stall = False
    assert faults.armed  # one switch is still on
    faults.clear()
    assert not faults.armed


def test_a_login_without_location_still_names_the_session_in_its_body(bmc, call):
    bmc.faults.omit_location = True
    r = call("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
    assert r.status_code == 201 and "Location" not in r.headers and "Link" not in r.headers
    uri = r.json()["@odata.id"]
    assert call("GET", uri, token=r.headers["X-Auth-Token"]).status_code == 200
    bmc.faults.omit_location = False
    assert "Location" in call("POST", SESSIONS, json={"UserName": "admin", "Password": "password"}).headers


def test_the_logout_of_a_gone_session_can_be_answered_404(bmc, call):
    token, location = call.login()
    live_token, live_location = call.login()
    bmc.faults.gone_logout_status = 404
    call("DELETE", location, token=token)  # logged out: the session is gone
    gone = call("DELETE", location, token=token)
    assert gone.status_code == 404 and "ResourceMissingAtURI" in gone.text
    assert call("GET", "/redfish/v1/Systems/", token=token).status_code == 401  # other requests: still 401
    assert call("DELETE", live_location, token=live_token).status_code == 200  # a live session logs out


def test_reset_next_answers_cuts_that_many_answers_then_serves(bmc, call):
    bmc.faults.reset_next_answers = 2
    before = bmc.request_count
    for _ in range(2):
        with pytest.raises(requests.RequestException):  # ChunkedEncodingError: the body was cut short
            call("GET", "/redfish/v1/")
    assert bmc.faults.reset_next_answers == 0 and not bmc.faults.armed
    assert call("GET", "/redfish/v1/").status_code == 200
    assert bmc.request_count - before == 3  # the cut requests were read and handled


def test_a_cut_answer_is_reset_mid_body_not_closed_cleanly(bmc):
    bmc.faults.reset_next_answers = 1
    ctx = ssl.create_default_context(cafile=bmc.ca_file)
    with ctx.wrap_socket(
        socket.create_connection(("127.0.0.1", bmc.port)), server_hostname="127.0.0.1"
    ) as tls:
        tls.sendall(b"GET /redfish/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while chunk := tls.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1]
    )
    assert head.startswith(b"HTTP/1.1 200") and 0 < len(body) < length


def test_a_stalled_bmc_reads_the_request_and_never_answers(bmc, call):
    bmc.faults.stall = True
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        call.http.get(bmc.url + "/redfish/v1/", verify=bmc.ca_file, timeout=(5, 0.5))
    assert time.monotonic() - started < 3
    bmc.faults.stall = False
    assert call("GET", "/redfish/v1/").status_code == 200


def test_stopping_a_stalled_bmc_does_not_wait_for_its_silent_connections():
    bmc = MockBMC(seed=3).start()
    bmc.faults.stall = True
    ctx = ssl.create_default_context(cafile=bmc.ca_file)
    tls = ctx.wrap_socket(socket.create_connection(("127.0.0.1", bmc.port)), server_hostname="127.0.0.1")
    tls.sendall(b"GET /redfish/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    time.sleep(0.2)  # the request is being held
    started = time.monotonic()
    try:
        bmc.stop()
        assert time.monotonic() - started < 3
    finally:
        tls.close()
