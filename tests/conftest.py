"""Shared fixtures.

``mock_bmc``: a started iLO 6 flavoured :class:`redfishnb.mock.MockBMC` for one test. At teardown it asserts the
mock has **zero sessions left**, so every test that uses it also proves the code under test logged out. A test
that leaves a session on purpose must delete it (``bmc.clear_sessions()``) before it ends.

``lab_pki``: a lab CA and a loopback server certificate written to a temporary directory (``.ca_file``,
``.cert_file``, ``.key_file``, ``.server``: the KeyPair), shared by the whole run. ``tls_server_context``
builds a server-side ``ssl.SSLContext`` from it for the small servers in ``tests/_servers.py``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from redfishnb import certs


@pytest.fixture
def mock_bmc() -> Iterator:
    """A running MockBMC (flavor "ilo6", defaults otherwise); fails the test if any session is left open."""
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="ilo6") as bmc:
        yield bmc
        left = bmc.sessions()
        assert bmc.session_count == 0, f"sessions left on the mock BMC: {left}"


@dataclass
class LabPKI:
    ca: certs.LabCA
    server: certs.KeyPair
    ca_file: str
    cert_file: str
    key_file: str


@pytest.fixture(scope="session")
def lab_pki(tmp_path_factory: pytest.TempPathFactory) -> LabPKI:
    directory = tmp_path_factory.mktemp("pki")
    ca = certs.LabCA.create()
    server = ca.issue_server()
    crt, key = server.write(directory, "server")
    ca_file = Path(directory, "ca.pem")
    ca_file.write_bytes(ca.cert_pem)
    return LabPKI(ca, server, str(ca_file), str(crt), str(key))


@pytest.fixture(scope="session")
def tls_server_context(lab_pki: LabPKI) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(lab_pki.cert_file, lab_pki.key_file)
    return ctx
