"""Certificate login end to end against the embedded mock, as the seed document walks through it.

Lab CA and a certificate for ``student`` (passphrase-protected key), license check, enable, map, import the CA,
then ``connect(auth="certificate")``: the session is student's, with student's privileges only. Then every way
it fails, each with its typed error and no session left behind (the ``mock_bmc`` fixture checks that).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import redfishnb
from redfishnb import certs
from redfishnb.errors import (
    CertificateExpired,
    CertificateLoginDisabled,
    CertificateNotMapped,
    CertificateNotTrusted,
    ClockSkew,
    InsufficientPrivilege,
    KeyMismatch,
    KeyPassphraseError,
    LicenseRequired,
)
from redfishnb.oem import ilo

PASSPHRASE = "PsswdStrong!"


@pytest.fixture(scope="module")
def student(ca) -> certs.KeyPair:
    return ca.issue("student", organization="Lab", key_kind="rsa")  # RSA 2048, as the seed's openssl command


@pytest.fixture
def student_files(student, tmp_path) -> tuple[Path, Path]:
    return student.write(tmp_path, "student", passphrase=PASSPHRASE)


def _admin(bmc):
    return redfishnb.connect(bmc.url, "admin", "password", verify=bmc.ca_file)


def _cert_login(bmc, cert, key, key_password=PASSPHRASE):
    return redfishnb.connect(
        bmc.url, auth="certificate", cert=cert, key=key, key_password=key_password, verify=bmc.ca_file
    )


def _refused(bmc, error, cert, key, key_password=PASSPHRASE, match=None):
    """The certificate login fails with ``error``, and leaves no session on the BMC."""
    with pytest.raises(error, match=match) as info:
        _cert_login(bmc, cert, key, key_password)
    assert bmc.session_count == 0
    return info.value


@pytest.fixture
def ready(mock_bmc, ca, student):
    """A mock on which student's certificate login is fully set up."""
    with _admin(mock_bmc) as admin:
        ilo.setup_certificate_login(admin, ca=ca, username="student", cert=student)
    return mock_bmc


def test_the_whole_chain(mock_bmc, ca, student, student_files):
    crt, key = student_files
    with _admin(mock_bmc) as admin:
        before = ilo.certificate_login_problems(admin, crt, "student")
        assert {type(p) for p in before} >= {
            CertificateLoginDisabled,
            CertificateNotTrusted,
            CertificateNotMapped,
        }
        steps = ilo.setup_certificate_login(admin, ca=ca, username="student", cert=crt)
        assert [s["step"] for s in steps] == ["license", "clock", "enable", "user", "mapping", "ca"]
        assert {s["step"]: s["result"] for s in steps}["mapping"] == "changed"
        assert ilo.certificate_login_problems(admin, crt, "student") == []
        again = ilo.setup_certificate_login(admin, ca=ca, username="student", cert=crt)
        assert {s["result"] for s in again if s["step"] in ("enable", "user", "mapping", "ca")} == {"already"}
    assert mock_bmc.session_count == 0

    with _cert_login(mock_bmc, crt, key) as client:
        assert client.auth_method == "certificate" and client.username == "student"
        me = ilo.whoami(client)
        assert me["user"] == "student" and me["my_session"] is True
        assert me["user_tag"] == "Web UI"
        assert me["privileges"] == ["LoginPriv"]
        assert mock_bmc.session_count == 1 and mock_bmc.sessions()[0]["username"] == "student"
        with pytest.raises(InsufficientPrivilege) as info:  # student's rights, not the admin's who set it up
            ilo.disable_certificate_login(client)
        assert info.value.privilege == "iLOConfigPriv"
    assert mock_bmc.session_count == 0


def test_in_memory_key_without_passphrase(ready, student):
    with _cert_login(ready, student.cert_pem, student.key_pem(), key_password=None) as client:
        assert ilo.whoami(client)["user"] == "student"


def test_login_disabled(ready, student_files):
    with _admin(ready) as admin:
        ilo.disable_certificate_login(admin)
    _refused(ready, CertificateLoginDisabled, *student_files)


def test_license_not_advanced(ready, student_files):
    ready.set_license(False)
    _refused(ready, LicenseRequired, *student_files)
    with _admin(ready) as admin:
        assert any(
            isinstance(p, LicenseRequired) for p in ilo.certificate_login_problems(admin, student_files[0])
        )


def test_ca_not_imported(ready, ca, student_files):
    with _admin(ready) as admin:
        assert ilo.remove_ca_certificate(admin, ca)
    _refused(ready, CertificateNotTrusted, *student_files)


def test_certificate_from_another_ca(ready, tmp_path):
    stranger = certs.LabCA.create("Somebody else's CA").issue("student")
    crt, key = stranger.write(tmp_path, "stranger")
    _refused(ready, CertificateNotTrusted, crt, key, key_password=None)


def test_certificate_not_mapped(ready, student_files):
    with _admin(ready) as admin:
        assert ilo.remove_user_certificate_mapping(admin, "student") == 1
        problems = ilo.certificate_login_problems(admin, student_files[0], "student")
        assert [type(p) for p in problems] == [CertificateNotMapped]
    _refused(ready, CertificateNotMapped, *student_files)


def test_expired_and_not_yet_valid_certificates(ready, ca, tmp_path):
    now = dt.datetime.now(dt.timezone.utc)
    windows = {
        "expired": (now - dt.timedelta(days=30), now - dt.timedelta(days=1)),
        "not yet valid": (now + dt.timedelta(days=1), now + dt.timedelta(days=30)),
    }
    files = {}
    with _admin(ready) as admin:  # mapped and from the imported CA: only the dates are wrong
        for name, (start, end) in windows.items():
            pair = ca.issue("student", not_before=start, not_after=end)
            ilo.map_user_certificate(admin, "student", pair)
            files[name] = pair.write(tmp_path, name.replace(" ", "-"), passphrase=PASSPHRASE)
    for name, (crt, key) in files.items():
        _refused(ready, CertificateExpired, crt, key, match=name)


def test_certificate_expired_by_the_bmc_clock(ready, ca, tmp_path):
    """Valid here, expired on the BMC: the BMC's refusal is typed too, and check_clock explains it."""
    pair = ca.issue("student", days=1)
    crt, key = pair.write(tmp_path, "short", passphrase=PASSPHRASE)
    with _admin(ready) as admin:
        ilo.map_user_certificate(admin, "student", pair)
    ready.advance_clock(2 * 86400)
    error = _refused(ready, CertificateExpired, crt, key)
    assert error.status == 403  # refused by the BMC, not by the local pre-check
    with _admin(ready) as admin:
        with pytest.raises(ClockSkew, match="expired by the BMC's clock but valid by the local clock"):
            ilo.check_clock(admin, cert=crt, warn_after=float("inf"))
        assert [type(p) for p in ilo.certificate_login_problems(admin, crt, "student")] == [ClockSkew]


def test_wrong_or_missing_passphrase(ready, student_files):
    error = _refused(
        ready, KeyPassphraseError, *student_files, key_password="not-the-passphrase", match="does not decrypt"
    )
    assert "not-the-passphrase" not in str(error) and PASSPHRASE not in str(error)
    _refused(ready, KeyPassphraseError, *student_files, key_password=None, match="no passphrase")


def test_key_not_matching_certificate(ready, ca, student_files, tmp_path):
    other_key = tmp_path / "other.key"
    other_key.write_bytes(ca.issue("operator").key_pem(PASSPHRASE))
    _refused(ready, KeyMismatch, student_files[0], other_key)
