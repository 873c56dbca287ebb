"""Client-certificate authentication end to end: each mapping attribute, untrusted or unmapped, Enabled=false."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization

from redfishnb.certs import LabCA

from .conftest import ACCOUNT_SERVICE, ACCOUNTS, ADMIN, SESSIONS, TRUSTSTORE, Caller, client_cert

CC = "MultiFactorAuth"


@pytest.fixture(scope="module")
def client_ca() -> LabCA:
    return LabCA.create("lab client CA")


@pytest.fixture
def trusted(call: Caller, client_ca: LabCA) -> None:
    pem = client_ca.cert_pem.decode()
    r = call("POST", TRUSTSTORE, auth=ADMIN, json={"CertificateString": pem, "CertificateType": "PEM"})
    assert r.status_code == 201, r.text
    listed = call(
        "GET", f"{ACCOUNT_SERVICE}/MultiFactorAuth/ClientCertificate/Certificates", auth=ADMIN
    ).json()
    assert listed["Members@odata.count"] == 1


def _mapping(call: Caller, attribute: str) -> None:
    call.patch_service({CC: {"ClientCertificate": {"CertificateMappingAttribute": attribute}}})


def test_defaults(call: Caller) -> None:
    cc = call("GET", ACCOUNT_SERVICE, auth=ADMIN).json()["MultiFactorAuth"]["ClientCertificate"]
    assert cc["Enabled"] is True and cc["RespondToUnauthenticatedClients"] is True
    assert cc["CertificateMappingAttribute"] == "CommonName"


def test_common_name(call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path) -> None:
    cert = client_cert(client_ca, tmp_path, "student")
    r = call("GET", "/redfish/v1/Systems", cert=cert)  # no header at all
    assert r.status_code == 200
    assert call("PATCH", ACCOUNT_SERVICE, cert=cert, json={"HTTPBasicAuth": "Disabled"}).status_code == 403
    login = call("POST", SESSIONS, cert=cert, json={})
    assert login.status_code == 201 and login.json()["UserName"] == "student"
    assert call("GET", SESSIONS, token=login.headers["X-Auth-Token"]).status_code == 200


def test_user_principal_name(call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path) -> None:
    _mapping(call, "UserPrincipalName")
    good = client_cert(client_ca, tmp_path, "somebody", upn="operator@lab.example")
    assert call("GET", f"{ACCOUNTS}/operator", cert=good).status_code == 200
    foreign = client_cert(client_ca, tmp_path, "operator", upn="operator@elsewhere.example")
    assert (
        call("GET", "/redfish/v1/Systems", cert=foreign).status_code == 401
    )  # domain does not match the BMC
    by_cn = client_cert(client_ca, tmp_path, "admin")
    assert call("GET", "/redfish/v1/Systems", cert=by_cn).status_code == 401  # CN is not looked at


def test_whole(call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path) -> None:
    _mapping(call, "Whole")
    crt, key = client_cert(client_ca, tmp_path, "nobody-in-particular")
    assert call("GET", "/redfish/v1/Systems", cert=(crt, key)).status_code == 401
    pem = Path(crt).read_text()
    r = call("POST", f"{ACCOUNTS}/operator/Certificates", auth=ADMIN, json={"CertificateString": pem})
    assert r.status_code == 201, r.text
    assert call("GET", f"{ACCOUNTS}/operator", cert=(crt, key)).status_code == 200
    other = client_cert(client_ca, tmp_path, "operator")  # same CN, different certificate
    assert call("GET", "/redfish/v1/Systems", cert=other).status_code == 401


def test_unmapped_user_is_anonymous(call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path) -> None:
    cert = client_cert(client_ca, tmp_path, "ghost")
    r = call("GET", "/redfish/v1/Systems", cert=cert)
    assert r.status_code == 401
    assert call("POST", SESSIONS, cert=cert, json={}).status_code == 400  # then credentials are needed


def test_unknown_ca_is_refused(call: Caller, trusted: None, tmp_path: Path) -> None:
    stranger = client_cert(LabCA.create("somebody else's CA"), tmp_path, "admin")
    with pytest.raises((requests.exceptions.SSLError, requests.exceptions.ConnectionError, ssl.SSLError)):
        call("GET", "/redfish/v1/Systems", cert=stranger)


def test_disabled(call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path) -> None:
    call.patch_service({CC: {"ClientCertificate": {"Enabled": False}}})
    cert = client_cert(client_ca, tmp_path, "admin")
    assert call("GET", "/redfish/v1/Systems", cert=cert).status_code == 401
    assert call("GET", "/redfish/v1/Systems", cert=cert, auth=ADMIN).status_code == 200


def test_strict_mode_refuses_clients_without_a_certificate(
    call: Caller, trusted: None, client_ca: LabCA, tmp_path: Path
) -> None:
    body = {CC: {"ClientCertificate": {"RespondToUnauthenticatedClients": False}}}
    assert call("PATCH", ACCOUNT_SERVICE, auth=ADMIN, json=body).status_code == 400  # only over mTLS (bmcweb)
    cert = client_cert(client_ca, tmp_path, "admin")
    r = call("PATCH", ACCOUNT_SERVICE, cert=cert, json=body)
    assert r.status_code == 200
    assert r.json()[CC]["ClientCertificate"]["RespondToUnauthenticatedClients"] is False
    call.http.close()  # new connections get the strict handshake
    with pytest.raises((requests.exceptions.SSLError, requests.exceptions.ConnectionError)):
        call("GET", "/redfish/v1", auth=ADMIN)
    assert call("GET", "/redfish/v1/Systems", cert=cert).status_code == 200
    relax = {CC: {"ClientCertificate": {"RespondToUnauthenticatedClients": True}}}
    assert call("PATCH", ACCOUNT_SERVICE, cert=cert, json=relax).status_code == 200
    call.http.close()
    assert call("GET", "/redfish/v1").status_code == 200


def test_truststore_entries(call: Caller, trusted: None, client_ca: LabCA) -> None:
    entry = call("GET", f"{TRUSTSTORE}/1", auth=ADMIN).json()
    expected = client_ca.cert.public_bytes(serialization.Encoding.PEM).decode()
    assert entry["CertificateString"] == expected and entry["Subject"]["CommonName"] == "lab client CA"
    assert call("GET", f"{TRUSTSTORE}/1", auth=("operator", "operator")).status_code == 403
    assert call("DELETE", f"{TRUSTSTORE}/1", auth=ADMIN).status_code == 200
    assert call("GET", f"{TRUSTSTORE}/1", auth=ADMIN).status_code == 404
