"""Certificate login over real mutual TLS, each refusal step, and replacing the HTTPS certificate."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from pathlib import Path

import pytest
import requests

from redfishnb.certs import LabCA, fingerprint, load_certificate
from redfishnb.mock import MockBMC

from .conftest import Caller

CERT_AUTH = "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/"
IMPORT_CA = CERT_AUTH + "Actions/HpeCertAuth.ImportCACertificate/"
MAPPING = "/redfish/v1/AccountService/UserCertificateMapping/"
LOGIN = "/html/login_cert.html"
ADMIN = ("admin", "password")


@pytest.fixture(scope="module")
def user_ca() -> LabCA:
    return LabCA.create("lab user CA")


def _files(tmp_path: Path, ca: LabCA, name: str, **kwargs) -> tuple[str, str, object]:
    pair = ca.issue(name, **kwargs)
    crt, key = pair.write(tmp_path, name)
    return str(crt), str(key), pair


def _cert_get(bmc: MockBMC, cert: tuple[str, str] | None = None) -> requests.Response:
    with requests.Session() as s:  # a fresh connection: the trust store applies to new handshakes
        s.trust_env = False
        return s.get(bmc.url + LOGIN, verify=bmc.ca_file, cert=cert, timeout=10)


def _reason(r: requests.Response) -> tuple[str, list]:
    item = r.json()["error"]["@Message.ExtendedInfo"][0]
    return item["MessageId"].split(".")[-1], item.get("MessageArgs", [])


def _seeded_times(bmc: MockBMC) -> dict:
    start = dt.datetime.fromtimestamp(bmc.clock.now(), dt.timezone.utc) - dt.timedelta(minutes=5)
    return {"not_before": start, "not_after": start + dt.timedelta(days=30)}


def test_certificate_login_steps_in_order(tmp_path: Path, user_ca: LabCA) -> None:
    with MockBMC(licensed=False) as bmc:
        call = Caller(bmc)
        crt, key, pair = _files(tmp_path, user_ca, "student")
        assert _reason(_cert_get(bmc)) == ("CertificateLoginDisabled", [])
        r = call("PATCH", CERT_AUTH, auth=ADMIN, json={"CertificateLoginEnabled": True})
        assert r.status_code == 403 and "LicenseKeyRequired" in r.text
        bmc.set_license(True)
        assert call("PATCH", CERT_AUTH, auth=ADMIN, json={"CertificateLoginEnabled": True}).status_code == 200
        bmc.set_license(False)
        assert _reason(_cert_get(bmc)) == ("LicenseKeyRequired", [])
        bmc.set_license(True)
        assert _reason(_cert_get(bmc)) == (
            "InvalidClientCertificate",
            ["no client certificate was presented"],
        )
        r = call("POST", IMPORT_CA, auth=ADMIN, json={"Certificate": user_ca.cert_pem.decode()})
        assert r.status_code == 200
        assert _reason(_cert_get(bmc, (crt, key))) == (
            "InvalidClientCertificate",
            ["the certificate is not mapped to a user"],
        )
        r = call(
            "POST", MAPPING, auth=ADMIN, json={"UserName": "student", "Fingerprint": pair.cert_pem.decode()}
        )
        assert r.status_code == 201
        mapping = call("GET", r.headers["Location"], auth=ADMIN).json()
        assert mapping["UserName"] == "student" and mapping["FingerprintDigestAlgorithm"] == "SHA256"
        assert mapping["Fingerprint"].replace(":", "").lower() == fingerprint(pair.cert).split(":")[1]
        r = _cert_get(bmc, (crt, key))
        assert r.status_code == 200
        token, location = r.headers["X-Auth-Token"], r.headers["Location"]
        # the token works on a connection without a client certificate; the session is the mapped user's, "Web UI"
        me = call("GET", location, token=token).json()
        assert me["UserName"] == "student" and me["Oem"]["Hpe"]["UserTag"] == "Web UI"
        sessions = call("GET", "/redfish/v1/SessionService/Sessions/", token=token).json()
        assert location.endswith(sessions["Oem"]["Hpe"]["Links"]["MySession"]["@odata.id"])
        assert (
            call("PATCH", "/redfish/v1/SessionService/", token=token, json={"SessionTimeout": 60}).status_code
            == 403
        )
        assert call("DELETE", location, token=token).status_code == 200
        assert bmc.session_count == 0


def test_untrusted_expired_and_unknown_certificates(tmp_path: Path, user_ca: LabCA) -> None:
    with MockBMC() as bmc:
        call = Caller(bmc)
        call("PATCH", CERT_AUTH, auth=ADMIN, json={"CertificateLoginEnabled": True})
        call("POST", IMPORT_CA, auth=ADMIN, json={"Certificate": user_ca.cert_pem.decode()})
        rogue_crt, rogue_key, rogue = _files(tmp_path, LabCA.create("rogue CA"), "rogue")
        call(
            "POST", MAPPING, auth=ADMIN, json={"UserName": "operator", "Fingerprint": rogue.cert_pem.decode()}
        )
        assert _reason(_cert_get(bmc, (rogue_crt, rogue_key)))[1] == [
            "the certificate is not signed by a trusted CA"
        ]
        old_crt, old_key, old = _files(tmp_path, user_ca, "old")
        call("POST", MAPPING, auth=ADMIN, json={"UserName": "student", "Fingerprint": old.cert_pem.decode()})
        assert _cert_get(bmc, (old_crt, old_key)).status_code == 200
        bmc.clear_sessions()
        bmc.advance_clock(400 * 86400)  # validity is judged by the BMC's clock
        assert _reason(_cert_get(bmc, (old_crt, old_key)))[1] == ["the certificate has expired"]
        unknown_crt, unknown_key, _ = _files(tmp_path, LabCA.create("unknown CA"), "stranger")
        with pytest.raises(requests.exceptions.SSLError, match="(?i)unknown ca"):
            _cert_get(bmc, (unknown_crt, unknown_key))
        assert bmc.session_count == 0


def test_seeded_clock_judges_validity(tmp_path: Path, user_ca: LabCA) -> None:
    with MockBMC(seed=3) as bmc:
        call = Caller(bmc)
        call("PATCH", CERT_AUTH, auth=ADMIN, json={"CertificateLoginEnabled": True})
        call("POST", IMPORT_CA, auth=ADMIN, json={"Certificate": user_ca.cert_pem.decode()})
        now_crt, now_key, now_pair = _files(tmp_path, user_ca, "future")
        call(
            "POST",
            MAPPING,
            auth=ADMIN,
            json={"UserName": "student", "Fingerprint": now_pair.cert_pem.decode()},
        )
        assert _reason(_cert_get(bmc, (now_crt, now_key)))[1] == ["the certificate is not yet valid"]
        crt, key, pair = _files(tmp_path, user_ca, "seeded", **_seeded_times(bmc))
        call("POST", MAPPING, auth=ADMIN, json={"UserName": "student", "Fingerprint": pair.cert_pem.decode()})
        assert _cert_get(bmc, (crt, key)).status_code == 200
        bmc.clear_sessions()


def test_ca_management_and_privileges(user_ca: LabCA) -> None:
    with MockBMC() as bmc:
        call = Caller(bmc)
        op = ("operator", "operator")
        assert call("PATCH", CERT_AUTH, auth=op, json={"CertificateLoginEnabled": True}).status_code == 403
        assert (
            call("POST", IMPORT_CA, auth=op, json={"Certificate": user_ca.cert_pem.decode()}).status_code
            == 403
        )
        leaf = user_ca.issue("not-a-ca")
        r = call("POST", IMPORT_CA, auth=ADMIN, json={"Certificate": leaf.cert_pem.decode()})
        assert r.status_code == 400 and "ActionParameterValueFormatError" in r.text
        r = call(
            "POST", IMPORT_CA, auth=ADMIN, json={"Certificate": "-----BEGIN CERTIFICATE-----\ngarbage\n"}
        )
        assert r.status_code == 400
        assert (
            call("POST", IMPORT_CA, auth=ADMIN, json={"Certificate": user_ca.cert_pem.decode()}).status_code
            == 200
        )
        cas = call("GET", CERT_AUTH + "CACertificates/?$expand=.", auth=ADMIN).json()["Members"]
        assert cas[0]["Subject"] == user_ca.cert.subject.rfc4514_string()
        assert call("DELETE", cas[0]["@odata.id"], auth=op).status_code == 403
        assert call("DELETE", cas[0]["@odata.id"], auth=ADMIN).status_code == 200
        r = call("POST", MAPPING, auth=op, json={"UserName": "student", "Fingerprint": "ab" * 32})
        assert r.status_code == 403
        r = call("POST", MAPPING, auth=ADMIN, json={"UserName": "nobody", "Fingerprint": "ab" * 32})
        assert r.status_code == 400
        r = call(
            "POST", MAPPING, auth=ADMIN, json={"UserName": "student", "Fingerprint": "sha256:" + "ab" * 32}
        )
        assert r.status_code == 201
        assert call("DELETE", r.headers["Location"], auth=ADMIN).status_code == 200


def _presented_certificate(bmc: MockBMC) -> bytes:
    ctx = ssl.create_default_context(cafile=None)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", bmc.port), timeout=5) as raw, ctx.wrap_socket(raw) as tls:
        return tls.getpeercert(binary_form=True)


def test_https_certificate_replacement(tmp_path: Path) -> None:
    with MockBMC() as bmc:
        call = Caller(bmc)
        https = "/redfish/v1/Managers/1/SecurityService/HttpsCert/"
        info = call("GET", https, auth=ADMIN).json()
        assert info["CertificateSigningRequest"] is None
        assert fingerprint(_presented_certificate(bmc)) == bmc.server_fingerprint
        target = info["Actions"]["#HpeHttpsCert.GenerateCSR"]["target"]
        csr_body = {
            "City": "Grenoble",
            "CommonName": "127.0.0.1",
            "Country": "FR",
            "OrgName": "Lab",
            "OrgUnit": "Training",
            "State": "Isere",
            "IncludeIP": True,
        }
        assert call("POST", target, auth=("operator", "operator"), json=csr_body).status_code == 403
        assert call("POST", target, auth=ADMIN, json={"CommonName": "x"}).status_code == 400
        assert call("POST", target, auth=ADMIN, json=csr_body).status_code == 200
        pem = call("GET", https, auth=ADMIN).json()["CertificateSigningRequest"]
        from cryptography import x509

        csr = x509.load_pem_x509_csr(pem.encode())
        org_ca = LabCA.create("organisation CA")
        signed = org_ca.sign_csr(csr, usage="server")
        other = org_ca.issue("127.0.0.1", usage="server", sans=["127.0.0.1"])
        importer = info["Actions"]["#HpeHttpsCert.ImportCertificate"]["target"]
        r = call("POST", importer, auth=ADMIN, json={"Certificate": other.cert_pem.decode()})
        assert r.status_code == 400  # not the key of the pending CSR
        from cryptography.hazmat.primitives import serialization

        signed_pem = signed.public_bytes(serialization.Encoding.PEM).decode()
        r = call("POST", importer, auth=ADMIN, json={"Certificate": signed_pem})
        assert r.status_code == 200 and "ImportCertSuccessfuliLOResetinProgress" in r.text
        # new connections get the imported certificate, verified by the organisation's CA
        assert _presented_certificate(bmc) == signed.public_bytes(serialization.Encoding.DER)
        ca_file = tmp_path / "org-ca.pem"
        ca_file.write_bytes(org_ca.cert_pem)
        with requests.Session() as s:
            s.trust_env = False
            assert s.get(bmc.url + "/redfish/v1/", verify=str(ca_file), timeout=5).status_code == 200
            with pytest.raises(requests.exceptions.SSLError):
                s.get(bmc.url + "/redfish/v1/", verify=bmc.ca_file, timeout=5)
        assert bmc.server_fingerprint == fingerprint(load_certificate(signed_pem.encode()))


def test_dmtf_certificate_service_replaces_the_same_certificate() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    with MockBMC("rmc") as bmc:
        call = Caller(bmc)
        protocol = call("GET", "/redfish/v1/Managers/RMC", auth=ADMIN).json()["NetworkProtocol"]["@odata.id"]
        collection = call("GET", protocol, auth=ADMIN).json()["HTTPS"]["Certificates"]["@odata.id"]
        member = call("GET", collection, auth=ADMIN).json()["Members"][0]["@odata.id"]
        current = call("GET", member, auth=ADMIN).json()
        assert fingerprint(current["CertificateString"].encode()) == bmc.server_fingerprint
        actions = call("GET", "/redfish/v1/CertificateService", auth=ADMIN).json()["Actions"]
        generate = actions["#CertificateService.GenerateCSR"]["target"]
        replace = actions["#CertificateService.ReplaceCertificate"]["target"]
        body = {
            "CertificateCollection": {"@odata.id": collection},
            "CommonName": "127.0.0.1",
            "AlternativeNames": ["localhost"],
        }
        assert call("POST", generate, auth=("operator", "operator"), json=body).status_code == 403
        r = call("POST", generate, auth=ADMIN, json=body)
        assert r.status_code == 200
        csr = x509.load_pem_x509_csr(r.json()["CSRString"].encode())
        signed = (
            LabCA.create("org")
            .sign_csr(csr, usage="server")
            .public_bytes(serialization.Encoding.PEM)
            .decode()
        )
        bad = {
            "CertificateUri": {"@odata.id": "/redfish/v1/Nope"},
            "CertificateString": signed,
            "CertificateType": "PEM",
        }
        assert call("POST", replace, auth=ADMIN, json=bad).status_code == 400
        good = {**bad, "CertificateUri": {"@odata.id": member}}
        assert call("POST", replace, auth=ADMIN, json=good).status_code == 200
        assert bmc.server_fingerprint == fingerprint(signed.encode())


def test_instructor_api_sets_up_certificate_login(tmp_path: Path, user_ca: LabCA) -> None:
    with MockBMC() as bmc:
        crt, key, pair = _files(tmp_path, user_ca, "student")
        bmc.certificate_login_enabled = True
        bmc.import_ca(user_ca.cert_pem)
        bmc.map_certificate("student", pair.cert_pem)
        r = _cert_get(bmc, (crt, key))
        assert r.status_code == 200 and bmc.sessions()[0]["user_tag"] == "Web UI"
        with pytest.raises(ValueError):
            bmc.import_ca("not a certificate")
        with pytest.raises(KeyError):
            bmc.map_certificate("nobody", pair.cert_pem)
        bmc.clear_sessions()
