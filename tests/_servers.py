"""Small loopback servers that misbehave on purpose, for the transport failure tests.

The mock BMC behaves like a BMC; these behave like the things people point a client at by mistake: a plain HTTP
web server, a service that sends broken JSON, a port where nothing listens, a host that accepts the TCP
connection and never answers, and a second host a redirect leads to.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# handler(method, path, headers) -> (status, headers, body)
Route = Callable[[str, str, dict], tuple[int, dict, bytes]]


# Ports handed out by closed_port(), held bound (never listened on) until the test process ends.
_HELD: list[socket.socket] = []


def closed_port() -> int:
    """A loopback port that refuses connections. It stays bound for the rest of the test run, so another process
    (a second run of the suite) cannot start a server on it between this call and the connection attempt."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    _HELD.append(held)
    return int(held.getsockname()[1])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        headers = {k: v for k, v in self.headers.items()}
        peer = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if peer:  # the client certificate's common name, for the mutual-TLS routes
            headers["_peer_cn"] = dict(x[0] for x in peer["subject"]).get("commonName")
        self.server.seen.append((self.command, self.path, headers))  # type: ignore[attr-defined]
        status, extra, body = self.server.route(self.command, self.path, headers)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


class LocalServer(ThreadingHTTPServer):
    """A threaded HTTP(S) server on 127.0.0.1 answering with ``route``; records every request in ``seen``.

    With a TLS context, the handshake runs in the worker thread (not in ``accept``), so a silent client cannot
    block the others.
    """

    daemon_threads = True

    def __init__(self, route: Route, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.route = route
        self.tls = tls
        self.seen: list[tuple[str, str, dict]] = []
        super().__init__((host, 0), _Handler)

    def get_request(self):  # type: ignore[no-untyped-def]
        sock, addr = super().get_request()
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):  # type: ignore[no-untyped-def]
        if self.tls is not None:
            request.settimeout(5)
            try:
                request.do_handshake()
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.server_address[0]}:{self.server_address[1]}"

    def __enter__(self) -> LocalServer:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class SilentServer:
    """Accepts TCP connections (the kernel completes the handshake) and never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.sock.getsockname()[1]}"

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def html_route(method: str, path: str, headers: dict) -> tuple[int, dict, bytes]:
    """A web server that is not a Redfish service."""
    return 200, {"Content-Type": "text/html"}, b"<html><body><h1>It works!</h1></body></html>"


def redfish_root_route(extra: Route | None = None) -> Route:
    """A minimal service root (enough for connect(auth="none")), delegating other paths to ``extra``."""

    def route(method: str, path: str, headers: dict) -> tuple[int, dict, bytes]:
        if path.rstrip("/") == "/redfish/v1":
            body = (
                b'{"@odata.id": "/redfish/v1/", "RedfishVersion": "1.6.0", "Links": {"Sessions": '
                b'{"@odata.id": "/redfish/v1/SessionService/Sessions/"}}}'
            )
            return 200, {"Content-Type": "application/json"}, body
        if extra is not None:
            return extra(method, path, headers)
        return 404, {"Content-Type": "application/json"}, b'{"error": {"code": "Base.1.8.GeneralError"}}'

    return route
