"""HPE's python-ilorest-library, unchanged, against the mock BMC served as a real iLO is: on 127.0.0.1:443.

The library's logout only works with a port-less base URL (its Location handling re-inserts the port), so this
module needs port 443, which the tests get as root (here and in CI). Certificate login goes the way the library
does it (mutual TLS ``GET /html/login_cert.html``) with a certificate for ``student`` made by redfishnb.certs,
after the iLO setup steps are done through the mock's Redfish API: enable certificate login, import the CA, map
the certificate.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from redfishnb.certs import LabCA

pytestmark = pytest.mark.peers

ADMIN = ("admin", "password")
CERT_AUTH = "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/"


@pytest.fixture(scope="module")
def bmc(ilo6_on_443):
    return ilo6_on_443


@pytest.fixture(scope="module")
def base_url(bmc) -> str:
    parts = urlsplit(bmc.url)
    assert parts.port in (None, 443), bmc.url
    return f"https://{parts.hostname}"


def _admin(method: str, bmc, path: str, **kwargs) -> requests.Response:
    # verify= per request: REQUESTS_CA_BUNDLE in the environment would override a session-wide setting.
    r = requests.request(method, bmc.url + path, auth=ADMIN, verify=str(bmc.ca_file), timeout=10, **kwargs)
    assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text[:500]}"
    return r


@pytest.fixture(scope="module")
def student_cert(bmc, tmp_path_factory) -> dict:
    """A lab CA trusted by the mock, a client certificate mapped to ``student`` and one mapped to nobody."""
    directory = tmp_path_factory.mktemp("hpe-certs")
    ca = LabCA.create()
    cert_file, key_file = ca.issue("student", usage="client").write(directory, "student")
    stray_cert, stray_key = ca.issue("nobody", usage="client").write(directory, "nobody")

    cert_auth = _admin("GET", bmc, CERT_AUTH).json()
    _admin("PATCH", bmc, CERT_AUTH, json={"CertificateLoginEnabled": True})
    target = cert_auth["Actions"]["#HpeCertAuth.ImportCACertificate"]["target"]
    _admin("POST", bmc, target, json={"Certificate": ca.cert_pem.decode()})
    mapping = _admin("GET", bmc, "/redfish/v1/AccountService/").json()
    mapping_uri = (
        mapping.get("Oem", {})
        .get("Hpe", {})
        .get("Links", {})
        .get("UserCertificateMapping", {})
        .get("@odata.id", "/redfish/v1/AccountService/UserCertificateMapping/")
    )
    _admin("POST", bmc, mapping_uri, json={"UserName": "student", "Fingerprint": cert_file.read_text()})
    return {
        "cert_file": str(cert_file),
        "key_file": str(key_file),
        "unmapped_cert_file": str(stray_cert),
        "unmapped_key_file": str(stray_key),
    }


def _drive(bmc, base_url, hpe_python, peer_json, scenarios: list[str], **extra: str) -> dict:
    payload = {
        "url": base_url,
        "ca_file": str(bmc.ca_file),
        "username": "admin",
        "password": "password",
        "scenarios": scenarios,
        **extra,
    }
    observed = peer_json(hpe_python, "hpe_ilorest.py", payload)
    observed["sessions_left"] = bmc.sessions()  # the driver has exited: whatever is left, the library leaked
    return observed


@pytest.fixture(scope="module")
def observed(bmc, base_url, hpe_python, peer_json) -> dict:
    return _drive(bmc, base_url, hpe_python, peer_json, ["basic", "session", "bad_password"])


@pytest.fixture(scope="module")
def observed_cert(bmc, base_url, student_cert, hpe_python, peer_json) -> dict:
    return _drive(
        bmc, base_url, hpe_python, peer_json, ["certificate", "certificate_unmapped"], **student_cert
    )


def test_basic_login_reads_and_leaves_no_session(observed):
    basic = observed["basic"]
    assert basic["systems_status"] == 200
    assert basic["sessions_status"] == 200
    assert basic["sessions_members"] == 0
    assert basic["session_key"] is None


def _assert_session_lifecycle(s: dict, username: str) -> None:
    assert s["token"] == {"present": True, "length": 32, "hex": True}
    assert s["systems_status"] == 200
    assert s["sessions_status"] == 200
    assert s["own_session_listed"]
    assert s["my_session_matches"], "Oem.Hpe.Links.MySession must point at the caller's own session"
    assert s["own_session_status"] == 200
    assert s["own_session_username"] == username
    assert s["key_after_logout"] is None
    assert s["stale_token_status"] == 401, "logout() must really have deleted the session"


def test_session_login_and_logout(observed):
    s = observed["session"]
    _assert_session_lifecycle(s, "admin")
    assert s["location"].startswith("/redfish/v1/SessionService/Sessions/"), s["location"]
    assert s["own_session_user_tag"] == "REST"


def test_wrong_password_raises_invalid_credentials(observed):
    assert observed["bad_password"] == {
        "raised": "InvalidCredentialsError",
        "message_mentions_password": False,
    }


def test_certificate_login_is_students_readonly_session(observed_cert):
    s = observed_cert["certificate"]
    _assert_session_lifecycle(s, "student")
    assert s["own_session_user_tag"] == "Web UI"
    assert s["write_status"] == 403, "student is ReadOnly: a PATCH must be refused"


def test_unmapped_certificate_is_refused(observed_cert):
    assert observed_cert["certificate_unmapped"] == {"raised": "InvalidCertificateError"}


def test_password_logins_leave_no_session(observed):
    assert observed["sessions_left"] == []


def test_certificate_logins_leave_no_session(observed_cert):
    assert observed_cert["sessions_left"] == []
