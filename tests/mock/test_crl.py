"""HpeCertAuth.ImportCRL / DeleteCRL: a revoked certificate stops logging in while its CA stays trusted."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from redfishnb.certs import LabCA
from redfishnb.mock import MockBMC

from .conftest import Caller

ADMIN = ("admin", "password")
CERT_AUTH = "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/"
LOGIN = "/html/login_cert.html"


def _crl(ca: LabCA, revoked_serial: int, number: int) -> bytes:
    now = dt.datetime.now(dt.timezone.utc)
    revoked = x509.RevokedCertificateBuilder().serial_number(revoked_serial).revocation_date(now).build()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - dt.timedelta(minutes=1))
        .next_update(now + dt.timedelta(days=7))
        .add_revoked_certificate(revoked)
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def crl_server() -> Iterator[tuple[str, dict]]:
    """An HTTP server on loopback that serves whatever ``files[path]`` holds (the lab's CRL distribution point)."""
    files: dict[str, bytes | str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            data = files.get(self.path)
            if isinstance(data, str):  # a redirect to that URL
                self.send_response(302)
                self.send_header("Location", data)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", files
    finally:
        server.shutdown()
        server.server_close()


def _login(bmc: MockBMC, cert: tuple[str, str]) -> requests.Response:
    with requests.Session() as s:
        s.trust_env = False
        return s.get(bmc.url + LOGIN, verify=bmc.ca_file, cert=cert, timeout=10)


def test_a_revoked_certificate_is_refused_until_the_crl_is_deleted(
    call: Caller, bmc: MockBMC, crl_server, tmp_path: Path
) -> None:
    base, files = crl_server
    ca = LabCA.create("lab CRL CA")
    start = dt.datetime.fromtimestamp(bmc.clock.now(), dt.timezone.utc) - dt.timedelta(minutes=5)
    pair = ca.issue("student", usage="client", not_before=start, not_after=start + dt.timedelta(days=30))
    crt, key = pair.write(tmp_path, "student")
    bmc.certificate_login_enabled = True
    bmc.import_ca(ca.cert_pem)
    bmc.map_certificate("student", pair.cert_pem)
    assert _login(bmc, (str(crt), str(key))).status_code == 200

    files["/lab.crl"] = _crl(ca, pair.cert.serial_number, number=0x2A)
    actions = call("GET", CERT_AUTH, auth=ADMIN).json()["Actions"]
    target = actions["#HpeCertAuth.ImportCRL"]["target"]
    assert (
        call("POST", target, json={"ImportUri": base + "/lab.crl"}, auth=("operator", "operator")).status_code
        == 403
    )
    r = call("POST", target, json={"ImportUri": base + "/lab.crl"}, auth=ADMIN)
    assert r.status_code == 200, r.text
    body = call("GET", CERT_AUTH, auth=ADMIN).json()
    assert body["CRLIssuer"] == ca.cert.subject.rfc4514_string() and body["CRLSerial"] == "2A"

    refused = _login(bmc, (str(crt), str(key)))
    assert refused.status_code == 403
    assert refused.json()["error"]["@Message.ExtendedInfo"][0]["MessageId"].endswith(
        "InvalidClientCertificate"
    )

    r = call("POST", actions["#HpeCertAuth.DeleteCRL"]["target"], json={}, auth=ADMIN)
    assert r.status_code == 200
    assert call("GET", CERT_AUTH, auth=ADMIN).json()["CRLIssuer"] is None
    assert _login(bmc, (str(crt), str(key))).status_code == 200
    bmc.clear_sessions()


@pytest.mark.parametrize(
    "uri",
    ["http://192.0.2.10/lab.crl", "ftp://127.0.0.1/lab.crl", "file:///etc/passwd", "not a uri"],
)
def test_import_crl_fetches_only_from_this_machine(call: Caller, uri: str) -> None:
    target = CERT_AUTH + "Actions/HpeCertAuth.ImportCRL/"
    r = call("POST", target, json={"ImportUri": uri}, auth=ADMIN)
    assert r.status_code == 400
    item = r.json()["error"]["@Message.ExtendedInfo"][0]
    assert (
        item["MessageId"].endswith("ActionParameterValueFormatError")
        and item["MessageArgs"][1] == "ImportUri"
    )


def test_import_crl_rejects_what_is_not_a_crl(call: Caller, crl_server) -> None:
    base, files = crl_server
    files["/junk"] = b"not a CRL"
    target = CERT_AUTH + "Actions/HpeCertAuth.ImportCRL/"
    assert call("POST", target, json={"ImportUri": base + "/junk"}, auth=ADMIN).status_code == 400
    assert call("POST", target, json={"ImportUri": base + "/missing"}, auth=ADMIN).status_code == 400
    assert call("POST", target, json={}, auth=ADMIN).status_code == 400
    assert call("GET", CERT_AUTH, auth=ADMIN).json()["CRLIssuer"] is None


def test_import_crl_follows_no_redirect(call: Caller, crl_server) -> None:
    # A 30x could point anywhere: the loopback check is only worth something if nothing else is fetched.
    base, files = crl_server
    ca = LabCA.create("lab CRL CA")
    files["/lab.crl"] = _crl(ca, 1, number=7)
    files["/moved"] = base + "/lab.crl"
    target = CERT_AUTH + "Actions/HpeCertAuth.ImportCRL/"
    assert call("POST", target, json={"ImportUri": base + "/moved"}, auth=ADMIN).status_code == 400
    assert call("GET", CERT_AUTH, auth=ADMIN).json()["CRLIssuer"] is None
    assert call("POST", target, json={"ImportUri": base + "/lab.crl"}, auth=ADMIN).status_code == 200
    call("POST", CERT_AUTH + "Actions/HpeCertAuth.DeleteCRL/", json={}, auth=ADMIN)
