"""redfishnb.certs.fingerprints: every pasted form of a fingerprint, and PEM inside a JSON string."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization

from redfishnb import certs

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
