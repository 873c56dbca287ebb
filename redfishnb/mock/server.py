"""HTTPS transport for the mock: a threading HTTP/1.1 server whose TLS handshakes run in the worker threads.

Wrapping the listening socket (as DMTF's mockup server does) would run every handshake inside ``accept()``,
so one idle TCP client would block all others. Here ``get_request`` only wraps the accepted socket with
``do_handshake_on_connect=False``; the handshake happens in the connection's own thread with a timeout. Each
connection then serves keep-alive requests until it idles out. Latency emulation is a sleep in that thread, so
fifty slow mocks in one process do not starve each other. Nothing logged here carries a header value.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from .faults import cut_off, hold
from .messages import error_body, message
from .wire import Headers, Request, Response

log = logging.getLogger("redfishnb.mock")

MAX_BODY = 1 << 20  # 1 MiB: more than any certificate chain a BMC accepts
# A refused body up to this size is read and thrown away before the 413, so a client that sends its whole body
# before reading the answer (requests does) gets the 413 and its error body; a larger one is not worth the
# bandwidth: the connection is closed unread, and the client sees it closed mid-send.
MAX_DISCARD = 64 << 20
HANDSHAKE_TIMEOUT = 5.0
IDLE_TIMEOUT = 30.0

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    304: "Not Modified",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


class _BodyError(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


class RedfishRequestHandler(BaseHTTPRequestHandler):
    """Turns HTTP/1.1 requests into :class:`Request` objects for the app and writes its responses."""

    protocol_version = "HTTP/1.1"
    server: MockHTTPServer
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True

    def __getattr__(self, name: str) -> Any:
        # Every method, including unknown ones, goes to the app, which answers 405 with Allow.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def parse_request(self) -> bool:
        """Request line and headers, parsed directly (http.server's email-based parser costs more than the rest
        of a request put together). Same limits: 100 headers, 64 KiB lines; HTTP/1.1 keep-alive by default."""
        self.command = ""  # until the request line is read (http.server uses None; both are not HEAD)
        self.request_version = "HTTP/0.9"
        self.close_connection = True
        self.requestline = line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = line.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.send_error(400)
            return False
        self.command, self.path, self.request_version = words
        pairs: list[tuple[str, str]] = []
        while True:
            raw = self.rfile.readline(65537)
            if len(raw) > 65536 or len(pairs) >= 100:
                self.send_error(431)
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            text = raw.decode("iso-8859-1")
            if text[0] in " \t" and pairs:  # obsolete line folding
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + " " + text.strip())
                continue
            name, sep, value = text.partition(":")
            if not sep or not name.strip() or name != name.rstrip():
                self.send_error(400)
                return False
            pairs.append((name, value.strip()))
        self.headers = Headers.from_pairs(pairs)  # type: ignore[assignment]
        connection = (self.headers.get("connection") or "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if (
            self.headers.get("expect") or ""
        ).lower() == "100-continue" and self.request_version == "HTTP/1.1":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def version_string(self) -> str:
        return self.server.server_header

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass  # request lines may carry query strings; the mock logs nothing per request

    def send_error(self, code: int, message_text: str | None = None, explain: str | None = None) -> None:
        """Protocol errors found by http.server itself (bad request line, huge headers) as Redfish errors."""
        key = {414: "GeneralError", 431: "HeaderInvalid", 501: "OperationNotAllowed"}.get(
            code, "GeneralError"
        )
        args = ("header",) if key == "HeaderInvalid" else ()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._write(Response(code, self._error(key, *args)), head=False)

    def _error(self, key: str, *args: Any) -> dict[str, Any]:
        flavor = self.server.app.state.flavor
        return error_body(flavor, [message(flavor, key, *args)])

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
        except ValueError:
            raise _BodyError(400, "HeaderInvalid") from None
        if length < 0:
            raise _BodyError(400, "HeaderInvalid")
        if length > MAX_BODY:
            if length <= MAX_DISCARD:
                self._discard(length)
            raise _BodyError(413, "GeneralError")
        data = self.rfile.read(length)
        if len(data) < length:
            raise ConnectionError("client closed the connection mid-body")
        return data

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BodyError(400, "GeneralError") from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                if total > MAX_BODY:
                    raise _BodyError(413, "GeneralError")
                return b"".join(parts)
            total += size
            if total > MAX_DISCARD:
                raise _BodyError(413, "GeneralError")
            if total > MAX_BODY:
                parts.clear()
                self._discard(size)
            else:
                parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _discard(self, length: int) -> None:
        """Read and drop ``length`` body bytes (the socket timeout bounds a client that stops sending)."""
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)

    def _dispatch(self) -> None:
        server = self.server
        try:
            body = self._read_body()
        except _BodyError as exc:
            self.close_connection = True
            self._write(Response(exc.status, self._error(exc.key, "Content-Length")), head=False)
            return
        except (ConnectionError, OSError):
            self.close_connection = True
            return
        raw_path, _, raw_query = self.path.partition("?")
        if raw_path.startswith(("http://", "https://")):  # absolute-form request target
            raw_path = "/" + raw_path.split("://", 1)[1].partition("/")[2]
        request = Request(
            method=self.command,
            path=unquote(raw_path),
            query=_parse_query(raw_query),
            headers=self.headers,  # type: ignore[arg-type]
            body=body,
            client_ip=self.client_address[0],
            peer_cert_der=_peer_cert(self.connection),
            host=_host_of(self.headers.get("Host"), server.default_host),
        )
        server.count_request()
        latency = server.app.state.policy.latency_ms
        if latency:
            time.sleep(latency / 1000.0)
        if server.app.faults.armed and server.app.faults.stall:  # a hung BMC: read, never answer
            self.close_connection = True
            hold(self.connection, server.app.faults)
            return
        response = server.app.handle(request)
        if response.headers.pop("Connection", "").lower() == "close":
            self.close_connection = True
        self._write(response, head=self.command == "HEAD")

    def _write(self, response: Response, head: bool) -> None:
        payload = response.payload()
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Error')}"]
        lines.append(f"Server: {self.server.server_header}")
        lines.append(f"Date: {formatdate(self.server.app.state.clock.now(), usegmt=True)}")
        if response.status not in (204, 304):
            lines.append(f"Content-Type: {response.content_type}")
        lines.append(f"Content-Length: {len(payload)}")
        for name, value in response.headers.items():
            lines.append(f"{name}: {value}")
        if self.close_connection:
            lines.append("Connection: close")
        blob = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
        if self.server.app.faults.armed and self.server.app.faults.take_reset():
            self.close_connection = True
            cut_off(self.connection, blob if head else blob + payload)  # dies while the answer is on its way
            return
        self.wfile.write(blob if head else blob + payload)
        self.wfile.flush()


def _parse_query(raw: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for part in raw.split("&") if raw else []:
        if not part:
            continue
        name, sep, value = part.partition("=")
        out.append((unquote(name), unquote(value.replace("+", " ")) if sep else None))
    return out


def _host_of(header: str | None, default: str) -> str:
    """The host the client addressed, without port; falls back to the bind address for odd values."""
    if not header:
        return default
    header = header.strip()
    if header.startswith("["):
        host = header[1:].partition("]")[0]
    else:
        host = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
    if not host or any(c in host for c in " \t\r\n/\\@?#"):
        return default
    return host


def _linger(sock: socket.socket) -> None:
    """Half-close and drain briefly, so unread client bytes do not turn our close into a reset that eats the
    alert OpenSSL just sent."""
    try:
        sock.settimeout(0.5)
        socket.socket.shutdown(sock, socket.SHUT_WR)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and socket.socket.recv(sock, 4096):
            pass
    except OSError:
        pass


def _peer_cert(conn: Any) -> bytes | None:
    try:
        return conn.getpeercert(binary_form=True) or None
    except (ValueError, AttributeError, ssl.SSLError):
        return None


class MockHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with per-connection TLS handshakes and a registry of live connections."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        app: Any,
        context: Callable[[], ssl.SSLContext],
        server_header: str,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        self._context = context
        self.context_factory = context  # kept so a reset can listen again with the same TLS identity
        self.server_header = server_header
        self.default_host = address[0]
        self._connections: set[socket.socket] = set()
        self.request_count = 0
        self._count_lock = threading.Lock()
        self._conn_lock = threading.Lock()
        super().__init__(address, RedfishRequestHandler)

    def server_bind(self) -> None:
        # socketserver.TCPServer.server_bind without HTTPServer's getfqdn() (a DNS lookup).
        if self.allow_reuse_address:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()
        self.server_name = self.default_host
        self.server_port = self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        try:
            tls = self._context().wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        except (OSError, ssl.SSLError):
            sock.close()
            raise
        return tls, addr

    def finish_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        try:
            request.settimeout(HANDSHAKE_TIMEOUT)
            try:
                first = socket.socket.recv(request, 1, socket.MSG_PEEK)
            except OSError:
                return  # stalled (said nothing within the handshake timeout) or gone
            if not first:
                return
            if first[0] != 0x16:  # not a TLS handshake record: someone spoke plain HTTP to the HTTPS port
                self._redirect_plain_http(request)
                return
            try:
                request.do_handshake()
            except ssl.SSLError:
                _linger(request)  # let the TLS alert (e.g. "unknown ca") reach the client before closing
                return
            except (OSError, ValueError):
                return  # a port scan, a stalled peer: drop it quietly
            request.settimeout(IDLE_TIMEOUT)
            self.RequestHandlerClass(request, client_address, self)  # type: ignore[arg-type]
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            with self._conn_lock:
                self._connections.discard(request)

    def _redirect_plain_http(self, sock: socket.socket) -> None:
        """Plain HTTP sent to the TLS port: answer 301 to https, as iLO's port 80 does; never read a body."""
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 8192:
                chunk = socket.socket.recv(sock, 4096)
                if not chunk:
                    break
                head += chunk
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            target = parts[1] if len(parts) == 3 and parts[1].startswith("/") else "/redfish/v1/"
            asked = None
            for header in head.split(b"\r\n")[1:]:
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "host":
                    asked = _host_of(value, self.default_host)
            host = self.app.public_host(asked)
            port = "" if self.server_port == 443 else f":{self.server_port}"
            location = f"https://{host}{port}{target}".replace("\r", "").replace("\n", "")
            reply = (
                "HTTP/1.1 301 Moved Permanently\r\n"
                f"Location: {location}\r\n"
                "Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
            socket.socket.sendall(sock, reply.encode("latin-1"))
        except OSError:
            pass
        _linger(sock)

    def count_request(self) -> None:
        with self._count_lock:
            self.request_count += 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address[0] if client_address else "?")

    def close_connections(self) -> None:
        """Unblock every worker (keep-alive reads) so the server stops promptly."""
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
