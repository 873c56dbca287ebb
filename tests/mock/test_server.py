"""The HTTPS transport under bad clients: stalled handshakes, half-open sockets, oversized or odd requests."""

from __future__ import annotations

import logging
import socket
import ssl
import time

import pytest
import requests

from redfishnb.mock import MockBMC, server

from .conftest import SESSIONS, Caller


def _tls(bmc: MockBMC) -> ssl.SSLSocket:
    ctx = ssl.create_default_context(cafile=bmc.ca_file)
    raw = socket.create_connection(("127.0.0.1", bmc.port), timeout=5)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def _raw_exchange(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    chunks = b""
    while b"\r\n\r\n" not in chunks:
        part = sock.recv(65536)
        if not part:
            break
        chunks += part
    return chunks


def test_stalled_clients_do_not_block_others(call: Caller) -> None:
    idle = [socket.create_connection(("127.0.0.1", call.bmc.port)) for _ in range(5)]  # never say a word
    half = _tls(call.bmc)
    half.sendall(b"GET /redfish/v1/ HTTP/1.1\r\nHost: x\r\n")  # a request that never ends
    try:
        start = time.monotonic()
        assert call("GET", "/redfish/v1/").status_code == 200
        assert time.monotonic() - start < 1.0
    finally:
        for s in idle:
            s.close()
        half.close()


def test_keep_alive_serves_many_requests_on_one_connection(call: Caller) -> None:
    with _tls(call.bmc) as tls:
        for _ in range(3):
            head = _raw_exchange(tls, b"GET /redfish/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = int(
                next(
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
            )
            body = head.split(b"\r\n\r\n", 1)[1]
            while len(body) < length:
                body += tls.recv(65536)


def test_oversized_body_and_headers_get_redfish_errors(call: Caller) -> None:
    absurd = b"%d" % (server.MAX_DISCARD + 1)  # not worth reading: answered at once, from the headers
    with _tls(call.bmc) as tls:
        head = _raw_exchange(
            tls,
            b"POST " + SESSIONS.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: " + absurd + b"\r\n\r\n{",
        )
        assert head.startswith(b"HTTP/1.1 413") and b"@Message.ExtendedInfo" in head + tls.recv(4096)
    with _tls(call.bmc) as tls:
        headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * 100) for i in range(150))
        head = _raw_exchange(tls, b"GET /redfish/v1/ HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        assert head.startswith(b"HTTP/1.1 431")
    with _tls(call.bmc) as tls:
        head = _raw_exchange(tls, b"GARBAGE\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400")
    with _tls(call.bmc) as tls:
        head = _raw_exchange(
            tls, b"POST /redfish/v1/SessionService/Sessions HTTP/1.1\r\nContent-Length: ten\r\n\r\n"
        )
        assert head.startswith(b"HTTP/1.1 400")
    deep = call("POST", SESSIONS, data=b"[" * 100000, headers={"Content-Type": "application/json"})
    assert deep.status_code == 400 and "MalformedJSON" in deep.text
    assert call("GET", "/redfish/v1/").status_code == 200


def test_chunked_request_body(call: Caller, bmc: MockBMC) -> None:
    body = b'{"UserName": "admin", "Password": "password"}'
    with _tls(bmc) as tls:
        head = _raw_exchange(
            tls,
            b"POST /redfish/v1/SessionService/Sessions/ HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"%x\r\n" % len(body)
            + body
            + b"\r\n0\r\n\r\n",
        )
    assert head.startswith(b"HTTP/1.1 201")
    bmc.clear_sessions()


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_is_read_and_answered_413(call: Caller, chunked: bool) -> None:
    # requests sends the whole body before it reads the answer: had the mock closed unread, the client would
    # see its connection die mid-send instead of the 413.
    body = b"{" + b" " * (4 * server.MAX_BODY) + b"}"
    data = iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    r = call("PATCH", "/redfish/v1/SessionService/", data=data, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["@Message.ExtendedInfo"]
    assert call("GET", "/redfish/v1/").status_code == 200


def test_plain_http_is_redirected_and_never_authenticated(bmc: MockBMC) -> None:
    http_url = bmc.url.replace("https://", "http://")
    r = requests.post(
        http_url + SESSIONS,
        json={"UserName": "admin", "Password": "password"},
        verify=bmc.ca_file,
        allow_redirects=False,
        timeout=5,
    )
    assert r.status_code == 301 and r.headers["Location"] == bmc.url + SESSIONS
    assert bmc.session_count == 0
    r = requests.get(
        http_url + "/redfish/v1/Systems/", auth=("admin", "password"), verify=bmc.ca_file, timeout=5
    )
    assert r.status_code == 401 and r.url.startswith(
        "https://"
    )  # requests drops credentials on the scheme change


def test_request_count(call: Caller, bmc: MockBMC) -> None:
    before = bmc.request_count
    call("GET", "/redfish/v1/")
    call("GET", "/redfish/v1/Systems/")
    assert bmc.request_count == before + 2


def test_nothing_secret_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with MockBMC() as bmc:
        c = Caller(bmc)
        token, location = c.login("admin", "password")
        c("GET", "/redfish/v1/Systems/", auth=("operator", "operator"))
        c("POST", SESSIONS, json={"UserName": "admin", "Password": "Wrong-Secret-9"})
        c("PATCH", "/redfish/v1/SessionService/", token=token, data=b"{bad")
        c("DELETE", location, token=token)
    text = caplog.text
    for secret in ("password", "operator", "Wrong-Secret-9", token, token[:8]):
        assert secret not in text


def test_only_loopback_without_consent() -> None:
    with pytest.raises(ValueError, match="allow_remote"):
        MockBMC(host="0.0.0.0")


def test_port_443_location_has_no_port() -> None:
    try:
        bmc = MockBMC(port=443).start()
    except OSError:
        pytest.skip("port 443 is busy or needs root here")
    with bmc:
        assert bmc.url == "https://127.0.0.1"
        r = Caller(bmc)("POST", SESSIONS, json={"UserName": "admin", "Password": "password"})
        assert r.headers["Location"].startswith("https://127.0.0.1/redfish/v1/SessionService/Sessions/")
        bmc.clear_sessions()
