"""redfishnb.certs.pki: the lab CA, CSRs, signing, pairs written for other tools, load_cert_chain (real TLS)."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from redfishnb import certs
from redfishnb.errors import (
    CertificateError,
    KeyMismatch,
    KeyPassphraseError,
)

UTC = dt.timezone.utc

# ---------------------------------------------------------------------------------------------------------------
# CA, CSR, signing


def test_lab_ca_is_a_self_signed_ca(ca):
    bc = ca.cert.extensions.get_extension_for_class(x509.BasicConstraints)
    ku = ca.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert bc.critical and bc.value.ca
    assert ku.key_cert_sign and ku.crl_sign
    assert certs.is_signed_by(ca.cert, ca)


def test_issued_client_certificate_chains_to_the_ca_only(ca, student):
    cert = student.cert
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert aki.key_identifier == ski.digest
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "student"
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "FR"
    assert certs.is_signed_by(cert, ca)
    assert not certs.is_signed_by(cert, certs.LabCA.create("other CA"))


def test_sign_csr_keeps_csr_sans_and_adds_extra_names(ca):
    key = certs.generate_key("rsa")
    csr = certs.make_csr(key, "ilo-lab.example", organization="Lab", sans=["ilo-lab.example"])
    cert = ca.sign_csr(csr, usage="server", sans=["192.0.2.10", "ilo-lab.example"])
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["ilo-lab.example"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["192.0.2.10"]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.key_encipherment and not ku.key_cert_sign  # RSA server key
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_sign_csr_rejects_bad_usage_bad_window_and_altered_csr(ca):
    key = certs.generate_key()
    csr = certs.make_csr(key, "x")
    with pytest.raises(ValueError, match="usage"):
        ca.sign_csr(csr, usage="email")
    now = dt.datetime.now(UTC)
    with pytest.raises(ValueError, match="later"):
        ca.sign_csr(csr, not_before=now, not_after=now - dt.timedelta(days=1))
    der = bytearray(csr.public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0xFF  # inside the signature
    altered = x509.load_der_x509_csr(bytes(der))
    with pytest.raises(CertificateError, match="signature does not verify"):
        ca.sign_csr(altered)


def test_make_csr_checks_country_code():
    with pytest.raises(ValueError, match="two-letter"):
        certs.make_csr(certs.generate_key(), "x", country="France")


def test_load_csr_reads_crlf_pem_as_ilo_shows_it():
    csr = certs.make_csr(certs.generate_key(), "ilo")
    pem = certs.csr_to_pem(csr).replace(b"\n", b"\r\n").decode()
    assert certs.load_csr(pem).subject == csr.subject
    with pytest.raises(CertificateError, match="not a certificate signing request"):
        certs.load_csr(b"-----BEGIN CERTIFICATE REQUEST-----\nnope\n-----END CERTIFICATE REQUEST-----\n")


def test_write_pair_for_other_tools(student, tmp_path):
    crt, key = student.write(tmp_path, "student")
    assert (crt.name, key.name) == ("student.crt", "student.key")
    assert key.stat().st_mode & 0o777 == 0o600
    assert b"BEGIN PRIVATE KEY" in key.read_bytes()  # unencrypted, as ilorest --userkey expects
    assert certs.load_certificate(crt) == student.cert
    crt2, key2 = student.write(tmp_path / "enc", "student", passphrase="pw")
    with pytest.raises(KeyPassphraseError):
        certs.load_private_key(key2)
    assert certs.key_matches(student.cert, certs.load_private_key(key2, "pw"))


def test_repr_shows_no_key_material(student):
    text = repr(student)
    assert "student" in text and "EC P-256" in text
    assert "PRIVATE" not in text and student.key_pem().decode().splitlines()[1][:20] not in text


def test_lab_ca_load_round_trip_and_refuses_leaf(ca, student, tmp_path):
    crt, key = ca.write(tmp_path, "ca", passphrase="ca-pass")
    loaded = certs.LabCA.load(crt, key, "ca-pass")
    assert loaded.fingerprint == ca.fingerprint
    assert certs.is_signed_by(loaded.issue("x").cert, ca)
    with pytest.raises(CertificateError, match="not a CA certificate"):
        certs.LabCA.load(student.cert_pem, student.key_pem())


def _client_handshake(context: ssl.SSLContext, port: int) -> str:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as sock,
        context.wrap_socket(sock, server_hostname="127.0.0.1") as tls,
    ):
        return tls.recv(100).decode()


class _SpyContext(ssl.SSLContext):
    """Records what OpenSSL was given to read: the key file's path and bytes."""

    def load_cert_chain(self, certfile, keyfile=None, password=None):
        self.key_path = Path(keyfile)
        self.key_bytes = self.key_path.read_bytes()
        return super().load_cert_chain(certfile, keyfile, password)


def _client_context(ca: certs.LabCA) -> _SpyContext:
    context = _SpyContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=ca.cert_pem.decode())
    return context


def test_mutual_tls_with_a_passphrase_protected_key_leaves_no_key_on_disk(ca, student, tls_server, tmp_path):
    crt, key = student.write(tmp_path, "student", passphrase="PsswdStrong!")
    for source in ((crt, key, "PsswdStrong!"), (student.cert, student.key, None)):  # files, then in memory
        context = _client_context(ca)
        assert certs.load_cert_chain(context, *source) == student.cert
        assert b"ENCRYPTED PRIVATE KEY" in context.key_bytes  # what reached the disk was encrypted
        assert not context.key_path.exists() and not context.key_path.parent.exists()
        assert _client_handshake(context, tls_server.port) == "student"


def test_load_cert_chain_typed_errors_before_any_connection(ca, student, tmp_path):
    crt, key = student.write(tmp_path, "student", passphrase="right")
    context = ssl.create_default_context(cadata=ca.cert_pem.decode())
    with pytest.raises(KeyPassphraseError):
        certs.load_cert_chain(context, crt, key, "wrong")
    with pytest.raises(KeyMismatch):
        certs.load_cert_chain(context, crt, ca.issue("other").key_pem())


def test_load_cert_chain_from_one_combined_file(ca, student, tls_server, tmp_path):
    combined = tmp_path / "student.pem"
    combined.write_bytes(student.cert_pem + ca.cert_pem + student.key_pem("pw"))
    context = _client_context(ca)
    assert certs.load_cert_chain(context, combined, combined, "pw") == student.cert
    assert _client_handshake(context, tls_server.port) == "student"
