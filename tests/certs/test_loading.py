"""redfishnb.certs.loading: keys and certificates from files, text and bytes, with typed errors."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization

from redfishnb import certs
from redfishnb.errors import (
    CertificateError,
    KeyPassphraseError,
)


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
