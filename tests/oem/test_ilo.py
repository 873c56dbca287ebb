"""redfishnb.oem.ilo: each iLO helper against the embedded mock, plus the pure parsing rules it relies on."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

import redfishnb
from redfishnb import certs
from redfishnb.errors import (
    ClockSkew,
    InsufficientPrivilege,
    LicenseRequired,
    ResourceNotFound,
    ServiceError,
    TLSVerificationFailed,
)
from redfishnb.oem import ilo
from redfishnb.oem.ilo import _resources as ilo_resources
from redfishnb.oem.ilo import certificate_login as ilo_login
from redfishnb.transport import server_certificate

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def student(ca) -> certs.KeyPair:
    return ca.issue("student")


def _admin(bmc, auth: str = "session"):
    return redfishnb.connect(bmc.url, "admin", "password", auth=auth, verify=bmc.ca_file)


def _writes(client) -> list[str]:
    return [f"{e.method} {e.url}" for e in client.exchanges if e.method not in ("GET", "HEAD")]


# ---------------------------------------------------------------------------------------------------------------
# Pure rules


@pytest.mark.parametrize(
    ("name", "tier", "kind", "advanced"),
    [
        ("iLO Advanced", "ADV", "Perpetual", True),
        ("iLO Advanced Premium Security Edition", "APSE", "Perpetual", True),
        ("iLO Advanced limited-distribution test", None, "Evaluation", True),
        ("iLO Standard", "STD", "Perpetual", False),
        ("iLO Essentials", "ESS", "Subscription", False),
        ("iLO Advanced", "ADV", "Expired", False),
        ("", None, "Unlicensed", False),
    ],
)
def test_license_advanced_rule(name, tier, kind, advanced):
    assert ilo.License(name=name, tier=tier, type=kind, key=None, features={}).advanced is advanced


def test_action_target_is_read_from_actions():
    body = {"Actions": {"#HpeCertAuth.ImportCACertificate": {"target": "/somewhere/else/Import"}}}
    assert (
        ilo_resources._action_target(body, "HpeCertAuth.ImportCACertificate", "x") == "/somewhere/else/Import"
    )
    old = {
        "Actions": {
            "#HpHttpsCert.GenerateCSR": {
                "target": "/redfish/v1/Managers/1/SecurityService/HttpsCert/Actions/HpHttpsCert.GenerateCSR"
            }
        }
    }
    assert ilo_resources._action_target(old, "HpeHttpsCert.GenerateCSR", "x").endswith(
        "HpHttpsCert.GenerateCSR"
    )
    with pytest.raises(ServiceError, match="offers no HpeCertAuth.ImportCACertificate action"):
        ilo_resources._action_target(
            {"Actions": {}}, "HpeCertAuth.ImportCACertificate", "CertificateAuthentication"
        )


@pytest.mark.parametrize("shown", ["{h}", "{c}", "{d}", "{h_lower}"])
def test_serial_number_forms(student, shown):
    serial = student.cert.serial_number
    hexs = format(serial, "X")
    hexs = hexs if len(hexs) % 2 == 0 else "0" + hexs
    forms = {
        "{h}": hexs,
        "{c}": ":".join(hexs[i : i + 2] for i in range(0, len(hexs), 2)),
        "{d}": str(serial),
        "{h_lower}": hexs.lower(),
    }
    assert ilo_login._serial_matches(forms[shown], serial)
    assert not ilo_login._serial_matches(forms[shown], serial + 1)
    assert not ilo_login._serial_matches(None, serial)


@pytest.mark.parametrize(
    "subject",
    ["CN=Lab users CA,O=redfishnb lab", "/C=US/O=Lab/CN=Lab users CA", "O = Lab, CN = Lab users CA"],
)
def test_common_name_from_subject_strings(subject):
    assert ilo_login._cn_of(subject) == "Lab users CA"


def test_mapping_matches_pem_and_digest_forms(ca, student):
    other = ca.issue("other").cert
    c = student.cert
    forms = [
        {"Fingerprint": student.cert_pem.decode()},
        {"Fingerprint": student.cert_pem.decode().replace("\n", "\\n")},
        {
            "Fingerprint": certs.format_fingerprint(certs.fingerprint(c)),
            "FingerprintDigestAlgorithm": "SHA256",
        },
        {
            "Fingerprint": certs.fingerprint(c, "sha1").split(":")[1].upper(),
            "FingerprintDigestAlgorithm": "SHA1",
        },
        {"Fingerprint": certs.fingerprint(c)},
    ]
    for member in forms:
        assert ilo_login._mapping_matches(member, c), member
        assert not ilo_login._mapping_matches(member, other), member
    assert not ilo_login._mapping_matches({"Fingerprint": None}, c)


@pytest.mark.parametrize(
    ("skew", "expected"),
    [
        (90, "is 1 min 30 s ahead of the local clock"),
        (-5, "is 5 s behind the local clock"),
        (-45, "is 45 s behind the local clock"),
        (3 * 3600 + 12 * 60, "is 3 h 12 min ahead of the local clock"),
        (-28928328, "is 334 days 20 h behind the local clock"),
        (0.2, "agrees with the local clock to the second"),
    ],
)
def test_clock_report_text_in_human_units(skew, expected):
    local = dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    report = ilo.ClockReport(bmc=local + dt.timedelta(seconds=skew), local=local, source="Manager DateTime")
    assert report.skew == dt.timedelta(seconds=skew)
    shown = f"{report.bmc:%Y-%m-%d %H:%M:%S}"
    assert str(report) == f"BMC clock {shown} UTC {expected} (Manager DateTime)."


# ---------------------------------------------------------------------------------------------------------------
# Against the mock: license, clock, privileges


def test_license_is_read_with_only(mock_bmc):
    with _admin(mock_bmc) as admin:
        lic = ilo.require_advanced_license(admin)
        assert lic.advanced and "Advanced" in lic.name
        assert any("LicenseService/?only" in e.url for e in admin.exchanges)


def test_unlicensed_bmc_refuses_certificate_login_before_any_write():
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="ilo6", licensed=False) as bmc, _admin(bmc) as admin:
        with pytest.raises(LicenseRequired, match="needs an iLO Advanced license") as info:
            ilo.enable_certificate_login(admin)
        assert "LicenseService" in info.value.hint
        assert not [w for w in _writes(admin) if "CertificateAuthentication" in w]
        assert bmc.session_count == 1
    assert bmc.session_count == 0


def test_install_license_checks_shape_and_privilege_first():
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="ilo6", licensed=False) as bmc:
        with redfishnb.connect(bmc.url, "operator", "operator", verify=bmc.ca_file) as op:
            with pytest.raises(InsufficientPrivilege) as info:
                ilo.install_license(op, "ABCDE-12345-FGHIJ-67890-KLMNO")
            assert info.value.privilege == "iLOConfigPriv"
            assert not [w for w in _writes(op) if "LicenseService" in w]  # refused before sending
        with _admin(bmc) as admin:
            with pytest.raises(ValueError, match="five groups of five"):
                ilo.install_license(admin, "not-a-key")
            assert not ilo.read_license(admin).advanced
            assert ilo.install_license(admin, "ABCDE-12345-FGHIJ-67890-KLMNO").advanced
            ilo.require_advanced_license(admin)


def test_clock_skew_warns_and_judges_certificates_by_the_bmc_clock(mock_bmc, ca):
    with _admin(mock_bmc, auth="basic") as admin:  # Basic: a session would expire when the clock jumps
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            report = ilo.check_clock(admin)
        assert abs(report.skew.total_seconds()) < 5
        mock_bmc.advance_clock(2 * 86400)
        with pytest.warns(ilo.ClockSkewWarning, match="ahead of"):
            ilo.check_clock(admin)
        with pytest.raises(ClockSkew):
            ilo.check_clock(admin, fail_after=3600)
        short = ca.issue("student", days=1)
        with pytest.raises(ClockSkew, match="expired by the BMC's clock but valid by the local clock"):
            ilo.check_clock(admin, cert=short.cert, warn_after=1e9)


def test_missing_privilege_is_reported_before_the_bmc_refuses(mock_bmc, student):
    with redfishnb.connect(mock_bmc.url, "operator", "operator", verify=mock_bmc.ca_file) as op:
        privileges = ilo.caller_privileges(op)
        assert privileges is not None and privileges["UserConfigPriv"] is False
        with pytest.raises(InsufficientPrivilege) as info:
            ilo.map_user_certificate(op, "student", student.cert)
        assert info.value.privilege == "UserConfigPriv" and "UserConfigPriv" in info.value.hint
        with pytest.raises(InsufficientPrivilege) as info:
            ilo.import_ca_certificate(op, student.cert)
        assert info.value.privilege == "iLOConfigPriv"
        assert not [w for w in _writes(op) if "Session" not in w]  # nothing but the login was sent


def test_privileges_with_basic_auth_come_from_the_account(mock_bmc):
    with _admin(mock_bmc, auth="basic") as admin:
        privileges = ilo.caller_privileges(admin)
        me = ilo.whoami(admin)
    assert privileges is not None and privileges["UserConfigPriv"] and privileges["iLOConfigPriv"]
    assert me["user"] == "admin" and me["session"] is None
    assert me["privileges"] == sorted(k for k, v in privileges.items() if v)


def test_a_bmc_without_ilo_privileges_decides_alone():
    """The Superdome Flex RMC shows no Oem.Hpe.Privileges: no pre-check, the BMC's own answer stands."""
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="rmc") as bmc, _admin(bmc) as admin:
        assert ilo.caller_privileges(admin) is None
        assert ilo.require_privilege(admin, "UserConfigPriv", "do anything") is None


# ---------------------------------------------------------------------------------------------------------------
# Against the mock: the certificate-login resources


def test_enable_disable_is_idempotent(mock_bmc):
    with _admin(mock_bmc) as admin:
        assert ilo.enable_certificate_login(admin)["CertificateLoginEnabled"] is True
        patches = len([w for w in _writes(admin) if w.startswith("PATCH")])
        ilo.enable_certificate_login(admin)
        assert len([w for w in _writes(admin) if w.startswith("PATCH")]) == patches  # already on: no request
        assert ilo.disable_certificate_login(admin)["CertificateLoginEnabled"] is False
        assert ilo.certificate_login_settings(admin)["CertificateLoginEnabled"] is False


def test_import_list_remove_ca(mock_bmc, ca):
    with _admin(mock_bmc) as admin:
        uri = ilo.import_ca_certificate(admin, ca)
        listed = ilo.list_ca_certificates(admin)
        assert any(ilo_login._serial_matches(m.get("SerialNumber"), ca.cert.serial_number) for m in listed)
        assert uri
        posts = len([w for w in _writes(admin) if w.startswith("POST")])
        assert ilo.import_ca_certificate(admin, ca.cert_pem) == uri  # already there: nothing sent
        assert len([w for w in _writes(admin) if w.startswith("POST")]) == posts
        assert ilo.remove_ca_certificate(admin, ca) is True
        assert not any(
            ilo_login._serial_matches(m.get("SerialNumber"), ca.cert.serial_number)
            for m in ilo.list_ca_certificates(admin)
        )
        assert ilo.remove_ca_certificate(admin, ca) is False


def test_map_list_remove_user_certificate(mock_bmc, student, ca):
    with _admin(mock_bmc) as admin:
        uri = ilo.map_user_certificate(admin, "student", student)
        mapped = ilo.list_user_certificate_mappings(admin)
        assert [m["UserName"] for m in mapped if ilo_login._mapping_matches(m, student.cert)] == ["student"]
        assert ilo.map_user_certificate(admin, "student", student.cert_pem) == uri  # kept, not duplicated
        assert len(ilo.list_user_certificate_mappings(admin)) == len(mapped)
        with pytest.raises(ResourceNotFound, match="no iLO user 'nobody'"):
            ilo.map_user_certificate(admin, "nobody", ca.issue("nobody"))
        assert ilo.remove_user_certificate_mapping(admin, "student") == 1
        assert not any(m.get("UserName") == "student" for m in ilo.list_user_certificate_mappings(admin))
        ilo.map_user_certificate(admin, "student", student)
        assert ilo.remove_user_certificate_mapping(admin, student.cert) == 1


def test_ensure_user_creates_once(mock_bmc):
    with _admin(mock_bmc) as admin:
        with pytest.raises(ValueError, match="pass password="):
            ilo.ensure_user(admin, "lab-user")
        uri, created = ilo.ensure_user(admin, "lab-user", "Lab-Passw0rd!", role="ReadOnly")
        assert created and uri
        again, created_again = ilo.ensure_user(admin, "lab-user", "ignored")
        assert not created_again and again.rstrip("/").endswith(uri.rstrip("/").rsplit("/", 1)[-1])
        assert not any("Lab-Passw0rd!" in str(e.request_json) for e in admin.exchanges)
    with redfishnb.connect(mock_bmc.url, "lab-user", "Lab-Passw0rd!", verify=mock_bmc.ca_file) as user:
        assert ilo.whoami(user)["privileges"] == ["LoginPriv"]


def test_whoami_uses_my_session(mock_bmc):
    with _admin(mock_bmc) as admin:
        me = ilo.whoami(admin)
    assert me["user"] == "admin" and me["my_session"] is True and me["user_tag"] == "REST"
    assert {"UserConfigPriv", "iLOConfigPriv", "LoginPriv"} <= set(me["privileges"])


def test_replace_https_certificate_then_verify_against_the_lab_ca(mock_bmc, tmp_path):
    lab = certs.LabCA.create("Lab server CA")
    with pytest.raises(TLSVerificationFailed):  # the BMC serves the certificate of its own per-run CA
        server_certificate(mock_bmc.url, ca=lab)
    with _admin(
        mock_bmc, auth="basic"
    ) as admin:  # Basic: no session to log out over the switched certificate
        signed = ilo.replace_https_certificate(admin, lab, timeout=20, poll=0.05)
    assert certs.is_signed_by(signed, lab)
    served = server_certificate(mock_bmc.url, ca=lab)
    assert certs.fingerprint(served) == certs.fingerprint(signed)
    ca_file = lab.write_cert(tmp_path / "lab-ca.pem")
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=str(ca_file)) as admin:
        info = ilo.https_certificate(admin)
        assert "Lab server CA" in str(info.get("X509CertificateInformation", {}).get("Issuer", ""))
