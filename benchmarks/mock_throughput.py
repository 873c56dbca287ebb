"""Authenticated HTTPS GETs per second that the mock BMC serves to 8 keep-alive client threads.

The mock runs as ``redfishnb mock`` in its own process (as in a lab), the client is this process: 8 threads,
each with one persistent TLS connection, all sending ``X-Auth-Token`` of one session and verifying the mock's CA.
Every GET goes through the whole pipeline: token lookup and idle-timer touch, privilege check, ETag.

For scale, the same run also measures a bare stdlib ``http.server`` answering a fixed JSON body over plain HTTP
with no authentication — the kind of server DMTF's Redfish-Mockup-Server is (its own code is not bundled here).
The issue's floor for the mock is 1,000 GETs/s on the 2-core CI machine; DMTF's mockup server was measured at
about 550/s there.

    python benchmarks/mock_throughput.py [--seconds 5] [--threads 8] [--flavor ilo6]

``--flavor`` picks the mock flavour (``redfishnb.mock.flavors.FLAVORS``); the GET goes to that flavour's own
``Systems/<id>`` link, spelled as it writes links (iLO with a trailing slash).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from redfishnb.mock.flavors import flavor_names, get_flavor

FLOOR = 1000.0
DMTF_MOCKUP_QUOTED = 550.0
DEFAULT_FLAVOR = "ilo6"


def system_path(flavor: str) -> str:
    """The flavour's computer system, as its own links spell it (``/redfish/v1/Systems/1/`` on iLO)."""
    spec = get_flavor(flavor)
    return spec.link(f"/redfish/v1/Systems/{spec.system_id}")


class _KeepAliveClient:
    """One persistent connection and a minimal HTTP/1.1 reader.

    ``http.client`` parses every response's headers with the email package, which costs more CPU than the server
    spends answering; on a 2-core machine that would measure the client. This reader only finds Content-Length.
    """

    def __init__(self, host: str, port: int, context: ssl.SSLContext | None) -> None:
        sock = socket.create_connection((host, port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = context.wrap_socket(sock, server_hostname=host) if context else sock
        self.buffer = b""

    def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        fields = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
        length = int(fields.get("content-length", "0"))
        while len(self.buffer) < length:
            self.buffer += self._recv()
        payload, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(status_line.split()[1]), fields, payload

    def _recv(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("server closed the connection")
        return data

    def close(self) -> None:
        self.sock.close()


def _drive(
    make_conn: Callable[[], _KeepAliveClient],
    path: str,
    headers: dict[str, str],
    seconds: float,
    threads: int,
) -> float:
    """GETs per second over ``threads`` keep-alive connections for ``seconds``."""
    counts = [0] * threads
    errors: list[str] = []
    stop = threading.Event()
    barrier = threading.Barrier(threads + 1)

    def worker(i: int) -> None:
        conn = make_conn()
        barrier.wait()
        while not stop.is_set():
            status, _, _ = conn.request("GET", path, headers)
            if status != 200:
                errors.append(f"HTTP {status}")
                return
            counts[i] += 1
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - start
    for t in pool:
        t.join(timeout=10)
    if errors:
        raise SystemExit(f"benchmark failed: {errors[0]}")
    return sum(counts) / elapsed


def measure_mock(seconds: float, threads: int, flavor: str = DEFAULT_FLAVOR) -> float:
    proc = subprocess.Popen(
        [sys.executable, "-m", "redfishnb", "mock", "--port", "0", "--json", "--flavor", flavor],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        host, port = info["urls"][0].removeprefix("https://").rsplit(":", 1)
        ctx = ssl.create_default_context(cafile=info["ca_file"])

        def make_conn() -> _KeepAliveClient:
            return _KeepAliveClient(host, int(port), ctx)

        login = make_conn()
        body = json.dumps({"UserName": "admin", "Password": "password"}).encode()
        sessions = get_flavor(flavor).link("/redfish/v1/SessionService/Sessions")
        status, fields, _ = login.request("POST", sessions, {"Content-Type": "application/json"}, body)
        if status != 201:
            raise SystemExit(f"login failed: HTTP {status}")
        token, location = fields["x-auth-token"], fields["location"]
        try:
            return _drive(make_conn, system_path(flavor), {"X-Auth-Token": token}, seconds, threads)
        finally:
            login.request("DELETE", urlsplit(location).path, {"X-Auth-Token": token})
            login.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


class _StaticHandler(BaseHTTPRequestHandler):
    """The best case of a bare stdlib server: Nagle off, so headers and body do not wait on delayed ACKs."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    body = json.dumps({"@odata.id": "/redfish/v1/Systems/1/", "Id": "1", "Name": "Computer System"}).encode()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def _serve_static(port_pipe: int) -> None:  # runs in a child process
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StaticHandler)
    server.daemon_threads = True
    os.write(port_pipe, f"{server.server_address[1]}\n".encode())
    server.serve_forever()


def measure_static(seconds: float, threads: int) -> float:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: the bare server, in its own process like the mock
        os.close(read)
        try:
            _serve_static(write)
        finally:
            os._exit(0)
    os.close(write)
    try:
        port = int(os.read(read, 32).decode().strip())

        def client() -> _KeepAliveClient:
            return _KeepAliveClient("127.0.0.1", port, None)

        return _drive(client, "/redfish/v1/Systems/1/", {}, seconds, threads)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(read)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--flavor", choices=flavor_names(), default=DEFAULT_FLAVOR, help="mock flavour (ilo6)"
    )
    args = parser.parse_args()
    mock = measure_mock(args.seconds, args.threads, args.flavor)
    static = measure_static(args.seconds, args.threads)
    print(f"cores: {os.cpu_count()}  client threads: {args.threads}  seconds: {args.seconds:g}")
    print(
        f"redfishnb mock ({args.flavor}), HTTPS + X-Auth-Token, GET {system_path(args.flavor)}: "
        f"{mock:8.0f} GETs/s"
    )
    print(
        f"bare stdlib http.server, plain HTTP, no auth (same run): {static:8.0f} GETs/s "
        f"(mock/bare = {mock / static:.2f})"
    )
    print(
        f"floor from the issue: {FLOOR:.0f}/s -> {'MET' if mock >= FLOOR else 'NOT MET'} "
        f"({mock / FLOOR:.2f}x); DMTF mockup server quoted at ~{DMTF_MOCKUP_QUOTED:.0f}/s "
        f"(mock/quoted = {mock / DMTF_MOCKUP_QUOTED:.2f})"
    )
    return 0 if mock >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
