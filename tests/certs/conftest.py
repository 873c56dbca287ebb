"""Fixtures for the lab PKI tests: a CA and a student certificate per module, and a loopback TLS server."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest

from redfishnb import certs


@pytest.fixture(scope="module")
def ca() -> certs.LabCA:
    return certs.LabCA.create()


@pytest.fixture(scope="module")
def student(ca) -> certs.KeyPair:
    return ca.issue("student", organization="Lab", country="FR")


class _TLSServer:
    """One-connection-at-a-time TLS server: replies with the client certificate's CN (or '-')."""

    def __init__(self, ca: certs.LabCA, server: certs.KeyPair, tmp: Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        crt, key = server.write(tmp, "server")
        self.context.load_cert_chain(crt, key)
        self.context.load_verify_locations(cadata=ca.cert_pem.decode())
        self.context.verify_mode = ssl.CERT_OPTIONAL
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    peer = tls.getpeercert()
                    cn = dict(x[0] for x in peer["subject"])["commonName"] if peer else "-"
                    tls.sendall(cn.encode())
            except (OSError, ssl.SSLError):
                conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def tls_server(ca, tmp_path_factory):
    server = _TLSServer(ca, ca.issue_server(), tmp_path_factory.mktemp("tls"))
    yield server
    server.close()
