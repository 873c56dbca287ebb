"""redfishnb.certs: the lab PKI, checked with cryptography and with real TLS handshakes on loopback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from redfishnb import certs
from redfishnb.errors import (
    BMCUnreachable,
    CertificateError,
    CertificateExpired,
    KeyMismatch,
    KeyPassphraseError,
    TLSVerificationFailed,
)

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def ca() -> certs.LabCA:
    return certs.LabCA.create()


@pytest.fixture(scope="module")
def student(ca) -> certs.KeyPair:
    return ca.issue("student", organization="Lab", country="FR")


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


# ---------------------------------------------------------------------------------------------------------------
# Keys, passphrases, files


def test_passphrase_round_trip_and_typed_errors(student):
    pem = student.key_pem("S3cret!")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    assert certs.key_matches(student.cert, certs.load_private_key(pem, "S3cret!"))
    with pytest.raises(KeyPassphraseError, match="no passphrase") as missing:
        certs.load_private_key(pem)
    with pytest.raises(KeyPassphraseError, match="does not decrypt") as wrong:
        certs.load_private_key(pem, "wrong-one")
    with pytest.raises(KeyPassphraseError, match="not encrypted"):
        certs.load_private_key(student.key_pem(), "S3cret!")
    for err in (missing.value, wrong.value):
        assert "S3cret" not in str(err) and "wrong-one" not in str(err) and "key_password" in err.hint


def test_traditional_openssl_encrypted_key(student):
    """The ``Proc-Type: 4,ENCRYPTED`` form older ``openssl genrsa -aes256`` writes."""
    pem = student.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"old-style"),
    )
    assert b"Proc-Type: 4,ENCRYPTED" in pem
    assert certs.key_matches(student.cert, certs.load_private_key(pem, "old-style"))
    with pytest.raises(KeyPassphraseError, match="does not decrypt"):
        certs.load_private_key(pem, "wrong")


def test_bad_key_and_missing_file_are_typed(tmp_path):
    with pytest.raises(CertificateError, match="not a PEM or DER private key"):
        certs.load_private_key(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(CertificateError, match="Cannot read the private key file"):
        certs.load_private_key(tmp_path / "absent.key")
    with pytest.raises(CertificateError, match="not a PEM or DER certificate"):
        certs.load_certificate(b"\x30\x03\x02\x01\x00")


def test_check_client_pair_catches_mismatch_and_dates(ca, student):
    other = ca.issue("operator")
    with pytest.raises(KeyMismatch, match="does not belong to the certificate for 'student'"):
        certs.check_client_pair(student.cert_pem, other.key_pem())
    old = ca.issue("student", not_before=dt.datetime(2020, 1, 1), not_after=dt.datetime(2021, 1, 1))
    with pytest.raises(CertificateExpired, match="is expired by the local clock"):
        certs.check_client_pair(old.cert, old.key)
    cert, _ = certs.check_client_pair(old.cert, old.key, check_dates=False)
    assert cert == old.cert


def test_validity_status_and_check_validity_at_another_clock(ca):
    now = dt.datetime.now(UTC)
    future = ca.issue("student", not_before=now + dt.timedelta(days=1), days=30)
    assert certs.validity_status(future.cert) == "not yet valid"
    assert certs.validity_status(future.cert, now + dt.timedelta(days=2)) == "valid"
    assert certs.validity_status(future.cert, now + dt.timedelta(days=40)) == "expired"
    with pytest.raises(CertificateExpired, match="not yet valid by the BMC's clock") as info:
        certs.check_validity(future.cert, now, clock="BMC")
    assert info.value.hint == (
        "Issue a certificate whose validity has started: it is not yet valid by the local clock either, so the "
        "BMC's clock is not the cause."
    )
    assert certs.check_validity(future.cert, now + dt.timedelta(days=2)) is None


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


# ---------------------------------------------------------------------------------------------------------------
# Fingerprints


def test_fingerprint_is_sha256_of_der(student):
    der = student.cert.public_bytes(serialization.Encoding.DER)
    assert certs.fingerprint(student.cert) == "sha256:" + hashlib.sha256(der).hexdigest()
    assert certs.fingerprint(der, "sha1") == "sha1:" + hashlib.sha1(der).hexdigest()
    assert certs.fingerprint(student.cert_pem.decode()) == certs.fingerprint(student)
    with pytest.raises(ValueError, match="algorithm"):
        certs.fingerprint(student.cert, "md5")


def test_fingerprint_forms_round_trip(student):
    fp = certs.fingerprint(student.cert)
    hexpart = fp.split(":", 1)[1]
    colon = certs.format_fingerprint(fp)
    assert colon == ":".join(hexpart[i : i + 2] for i in range(0, 64, 2)).upper()
    assert certs.format_fingerprint(fp, "space") == colon.replace(":", " ")
    assert certs.format_fingerprint(fp, "openssl") == f"SHA256 Fingerprint={colon}"
    assert certs.format_fingerprint(fp, "hex") == hexpart
    for form in (
        colon,
        colon.replace(":", " "),
        f"SHA256 Fingerprint={colon}",
        hexpart.upper(),
        "sha-256:" + hexpart,
    ):
        assert certs.parse_fingerprint(form) == fp
        assert certs.fingerprints_match(form, fp)
    with pytest.raises(ValueError, match="style"):
        certs.format_fingerprint(fp, "emoji")


def test_parse_fingerprint_rejects_junk_and_wrong_lengths(student):
    sha1 = certs.fingerprint(student.cert, "sha1")
    assert certs.parse_fingerprint(certs.format_fingerprint(sha1)) == sha1  # 40 digits -> sha1
    for junk in ("", "hello", "sha256:abcd", "SHA256 Fingerprint=" + sha1.split(":")[1]):
        with pytest.raises(ValueError):
            certs.parse_fingerprint(junk)
    assert not certs.fingerprints_match("junk", sha1)
    assert not certs.fingerprints_match(sha1, certs.fingerprint(student.cert))


# ---------------------------------------------------------------------------------------------------------------
# PEM in JSON


def test_pem_to_json_string_normalises_line_endings(student):
    pem = student.cert_pem.decode()
    literal = certs.pem_to_json_string(pem.replace("\n", "\r\n") + "\r\n\r\n")
    assert literal.startswith('"-----BEGIN CERTIFICATE-----\\n') and "\\r" not in literal
    assert json.loads(literal) == pem
    assert json.loads(json.dumps({"Fingerprint": json.loads(literal)}))["Fingerprint"] == pem
    assert certs.pem_to_json_string(student) == certs.pem_to_json_string(student.cert_pem)


def test_json_string_to_pem_reads_every_form(student):
    pem = student.cert_pem.decode()
    sed_output = pem.replace("\n", "\\n")  # what the seed's sed command writes, no quotes
    for form in (certs.pem_to_json_string(pem), sed_output, pem.replace("\n", "\r\n")):
        assert certs.json_string_to_pem(form) == pem
    assert certs.load_certificate(certs.json_string_to_pem(sed_output)) == student.cert


# ---------------------------------------------------------------------------------------------------------------
# Inspection


def test_certificates_frame_one_row_per_certificate(ca, student, tmp_path):
    expired = ca.issue("old", not_before=dt.datetime(2020, 1, 1), not_after=dt.datetime(2021, 1, 1))
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(student.cert_pem + ca.cert_pem)
    frame = certs.certificates_frame(bundle, expired)
    assert list(frame["subject"]) == ["student", "redfishnb lab CA", "old"]
    assert list(frame["status"]) == ["valid", "valid", "expired"]
    assert list(frame["ca"]) == [False, True, False]
    assert frame.loc[0, "sha256"] == certs.format_fingerprint(student.fingerprint)
    assert frame.loc[0, "usage"] == "clientAuth" and frame.loc[0, "key"] == "EC P-256"
    assert frame.loc[2, "days_left"] < 0
    assert str(frame["not_after"].dtype).startswith("datetime64") and frame["not_after"].dt.tz is not None
    assert certs.certificates_frame().columns.tolist() == frame.columns.tolist()


def test_pandas_loads_only_when_a_frame_is_made():
    code = "import sys, redfishnb.certs; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "False", out.stderr


# ---------------------------------------------------------------------------------------------------------------
# Real TLS handshakes on loopback


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


def test_server_certificate_verifies_against_the_lab_ca(ca, tls_server):
    cert = certs.server_certificate(f"https://127.0.0.1:{tls_server.port}/redfish/v1/", ca=ca)
    assert certs.is_signed_by(cert, ca)
    unverified = certs.server_certificate(f"127.0.0.1:{tls_server.port}")
    assert certs.fingerprint(unverified) == certs.fingerprint(cert)


def test_server_certificate_wrong_ca_reports_the_fingerprint_seen(tls_server):
    seen = certs.fingerprint(certs.server_certificate(f"127.0.0.1:{tls_server.port}"))
    with pytest.raises(TLSVerificationFailed) as info:
        certs.server_certificate(f"127.0.0.1:{tls_server.port}", ca=certs.LabCA.create("someone else"))
    assert info.value.fingerprint == seen and seen in info.value.hint


def test_server_certificate_closed_port_is_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BMCUnreachable) as info:
        certs.server_certificate(f"127.0.0.1:{port}", timeout=2)
    assert info.value.host == "127.0.0.1"


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


def test_each_expiry_message_names_the_clock_it_compared_against(ca):
    old = ca.issue("student", not_before=dt.datetime(2020, 1, 1), not_after=dt.datetime(2021, 1, 1))
    with pytest.raises(CertificateExpired) as local:
        certs.check_validity(old.cert)
    assert local.value.message == (
        "The certificate for 'student' is expired by the local clock (valid 2020-01-01 00:00 to 2021-01-01 00:00 UTC)."
    )
    assert local.value.hint == (
        "Issue a new certificate. This check used the local clock; iLO judges certificates by its own clock, which "
        "redfishnb.oem.ilo.check_clock(admin, cert=...) compares with the local one."
    )
    with pytest.raises(CertificateExpired) as bmc:
        certs.check_validity(old.cert, dt.datetime(2022, 1, 1, tzinfo=UTC), clock="BMC")
    assert "is expired by the BMC's clock (valid" in bmc.value.message
    assert bmc.value.hint.startswith("Issue a new certificate: it is expired by the local clock too")


def test_a_missing_key_file_says_so_and_that_a_temporary_folder_may_be_gone(tmp_path):
    with pytest.raises(CertificateError) as info:
        certs.load_private_key(tmp_path / "absent.key")
    assert (
        info.value.message
        == f"Cannot read the private key file {str(tmp_path / 'absent.key')!r}: it does not exist."
    )
    assert "temporary directory" in info.value.hint and info.value.hint.endswith(
        "The PEM text itself works too."
    )


def test_a_key_of_another_certificate_is_named_as_such(ca, student):
    with pytest.raises(KeyMismatch) as info:
        certs.check_client_pair(student.cert_pem, ca.issue("operator").key_pem())
    assert info.value.hint.startswith("The private key does not belong to the certificate: pass the key made")
