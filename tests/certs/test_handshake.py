"""redfishnb.transport.server_certificate: what a TLS server presents, verified against a CA when one is given."""

from __future__ import annotations

import socket

import pytest

from redfishnb import certs
from redfishnb.errors import (
    BMCUnreachable,
    TLSVerificationFailed,
)
from redfishnb.transport import server_certificate


def test_server_certificate_verifies_against_the_lab_ca(ca, tls_server):
    cert = server_certificate(f"https://127.0.0.1:{tls_server.port}/redfish/v1/", ca=ca)
    assert certs.is_signed_by(cert, ca)
    unverified = server_certificate(f"127.0.0.1:{tls_server.port}")
    assert certs.fingerprint(unverified) == certs.fingerprint(cert)


def test_server_certificate_wrong_ca_reports_the_fingerprint_seen(tls_server):
    seen = certs.fingerprint(server_certificate(f"127.0.0.1:{tls_server.port}"))
    with pytest.raises(TLSVerificationFailed) as info:
        server_certificate(f"127.0.0.1:{tls_server.port}", ca=certs.LabCA.create("someone else"))
    assert info.value.fingerprint == seen and seen in info.value.hint


def test_server_certificate_closed_port_is_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BMCUnreachable) as info:
        server_certificate(f"127.0.0.1:{port}", timeout=2)
    assert info.value.host == "127.0.0.1"


def test_certs_still_offers_the_handshake():
    """The handshake moved to redfishnb.transport; ``certs.server_certificate`` names the same function."""
    assert certs.server_certificate is server_certificate
    from redfishnb.certs import server_certificate as imported

    assert imported is server_certificate
    with pytest.raises(AttributeError):
        certs.no_such_name  # noqa: B018
