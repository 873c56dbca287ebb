"""redfishnb.certs.inspection: validity by either clock, certificate/key pairs, the certificates frame."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from redfishnb import certs
from redfishnb.errors import (
    CertificateExpired,
    KeyMismatch,
)

UTC = dt.timezone.utc


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


def test_a_key_of_another_certificate_is_named_as_such(ca, student):
    with pytest.raises(KeyMismatch) as info:
        certs.check_client_pair(student.cert_pem, ca.issue("operator").key_pem())
    assert info.value.hint.startswith("The private key does not belong to the certificate: pass the key made")
