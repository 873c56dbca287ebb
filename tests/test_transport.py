"""Transport: TLS policy (CA, pinning, verify=False, environment bundles), redirects, and failures mapped to
typed errors, each produced by a real condition on loopback."""

from __future__ import annotations

import json
import ssl
import time
import warnings

import pytest
import requests
from _servers import LocalServer, SilentServer, closed_port, html_route, redfish_root_route

from redfishnb import certs
from redfishnb.client import connect
from redfishnb.errors import (
    BMCUnreachable,
    MalformedResponse,
    NotRedfish,
    RedfishError,
    TLSVerificationFailed,
    TransportError,
)
from redfishnb.transport import InsecureConnectionWarning, build_ssl_context, peek_fingerprint

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


@pytest.fixture
def tls_root(tls_server_context):
    with LocalServer(redfish_root_route(), tls=tls_server_context) as server:
        yield server


@pytest.fixture
def other_ca_file(tmp_path):
    path = tmp_path / "other-ca.pem"
    path.write_bytes(certs.LabCA.create("another CA").cert_pem)
    return str(path)


# -- verification ------------------------------------------------------------------------------------------------


def test_ca_file_verifies_the_lab_certificate_and_merges_no_other_roots(tls_root, lab_pki):
    with connect(tls_root.url, auth="none", verify=lab_pki.ca_file) as client:
        assert client.root["RedfishVersion"] == "1.6.0"
        client.get("/redfish/v1/")
        stats = client._policy.context.cert_store_stats()
    assert stats["x509_ca"] == 1, "certifi or an environment bundle was merged into the BMC's trust"


def test_environment_bundles_never_override_the_callers_choice(tls_root, lab_pki, monkeypatch):
    # The machine-wide bundle in the environment must not replace verify="ca.pem" ...
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE)
    monkeypatch.setenv("CURL_CA_BUNDLE", SYSTEM_BUNDLE)
    with connect(tls_root.url, auth="none", verify=lab_pki.ca_file) as client:
        assert client.get("/redfish/v1/").status == 200
    # ... and a bundle that happens to contain the lab CA must not make verify=True accept it either.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", lab_pki.ca_file)
    monkeypatch.setenv("CURL_CA_BUNDLE", lab_pki.ca_file)
    with pytest.raises(TLSVerificationFailed):
        connect(tls_root.url, auth="none", verify=True)


def test_wrong_ca_fails_with_the_fingerprint_seen(tls_root, lab_pki, other_ca_file):
    with pytest.raises(TLSVerificationFailed) as info:
        connect(tls_root.url, auth="none", verify=other_ca_file)
    error = info.value
    assert error.fingerprint == lab_pki.server.fingerprint
    assert other_ca_file in str(error) and error.fingerprint in str(error)
    assert "Traceback" not in str(error) and "urllib3" not in str(error)


def test_system_trust_rejects_a_lab_certificate(tls_root, lab_pki):
    with pytest.raises(TLSVerificationFailed) as info:
        connect(tls_root.url, auth="none")
    assert "system trust store" in str(info.value)
    assert f'verify="{lab_pki.server.fingerprint}"' in info.value.hint


def test_pinned_fingerprint_right_and_wrong(tls_root, lab_pki):
    seen = peek_fingerprint(tls_root.url)
    assert seen == lab_pki.server.fingerprint
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with connect(tls_root.url, auth="none", verify=seen) as client:
            assert client.get("/redfish/v1/").ok
            assert "pinned" in client.tls
    assert caught == [], "a pinned connection is verified: no insecure-request warning"
    colon_style = "sha256:" + certs.format_fingerprint(seen)  # as iLO's web page shows it
    with connect(tls_root.url, auth="none", verify=colon_style) as client:
        assert client.root is not None
    wrong = "sha256:" + "ab" * 32
    with pytest.raises(TLSVerificationFailed) as info:
        connect(tls_root.url, auth="none", verify=wrong)
    assert info.value.fingerprint == seen
    assert wrong in str(info.value) and seen in str(info.value)


def test_verify_false_warns_once_and_urllib3_stays_quiet(tls_root):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with connect(tls_root.url, auth="none", verify=False) as client:
            for _ in range(3):
                client.get("/redfish/v1/")
    categories = [w.category for w in caught]
    assert categories == [InsecureConnectionWarning], [str(w.message) for w in caught]
    assert "verify=" in str(caught[0].message)


def test_bad_verify_values_are_rejected_before_any_connection(tmp_path):
    with pytest.raises(ValueError, match="sha256"):
        build_ssl_context("sha256:1234")
    with pytest.raises(FileNotFoundError):
        build_ssl_context(str(tmp_path / "missing.pem"))


def test_ca_given_as_pem_text(tls_root, lab_pki):
    with connect(tls_root.url, auth="none", verify=lab_pki.ca.cert_pem.decode()) as client:
        assert client.root is not None


# -- failures -----------------------------------------------------------------------------------------------------


def test_closed_port_is_unreachable_with_host_and_timeout():
    port = closed_port()
    with pytest.raises(BMCUnreachable) as info:
        connect(f"https://127.0.0.1:{port}", auth="none", timeout=2)
    assert info.value.host == "127.0.0.1" and info.value.timeout == 2
    assert f"127.0.0.1:{port}" in str(info.value)


def test_a_server_that_never_answers_times_out():
    with SilentServer() as silent:
        started = time.monotonic()
        with pytest.raises(BMCUnreachable) as info:
            connect(silent.url, auth="none", timeout=0.4)
        elapsed = time.monotonic() - started
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert "0.4 s timeout" in str(info.value)


def test_plain_http_web_server_is_not_redfish():
    with LocalServer(html_route) as web:
        with pytest.raises(NotRedfish, match="text/html"):
            connect(web.url, auth="none")
        with pytest.raises(NotRedfish, match="plain HTTP"):
            connect(web.url.replace("http://", "https://"), auth="none")


def test_malformed_json_from_the_server(tls_server_context, lab_pki):
    def broken(method, path, headers):
        return (
            200,
            {"Content-Type": "application/json"},
            b'{"@odata.id": "/redfish/v1/Systems/", "Members": [',
        )

    with LocalServer(redfish_root_route(broken), tls=tls_server_context) as server:
        with connect(server.url, auth="none", verify=lab_pki.ca_file) as client:
            with pytest.raises(MalformedResponse, match="not valid JSON"):
                client.get("/redfish/v1/Systems/")
            last = client.exchanges[-1]
            assert last.status == 200 and "not valid JSON" in last.error
        root_broken = LocalServer(
            lambda m, p, h: (200, {"Content-Type": "application/json"}, b"{nope"), tls=tls_server_context
        )
        with root_broken, pytest.raises(MalformedResponse):
            connect(root_broken.url, auth="none", verify=lab_pki.ca_file)


def test_peek_fingerprint_of_nothing_is_unreachable():
    with pytest.raises(BMCUnreachable):
        peek_fingerprint(f"https://127.0.0.1:{closed_port()}", timeout=1)


def test_credentials_in_the_url_are_refused():
    with pytest.raises(ValueError, match="not in the URL") as info:
        connect("https://admin:hunter2@127.0.0.1:1", auth="none")
    assert "hunter2" not in str(info.value)


# -- redirects and ambient credentials ----------------------------------------------------------------------------


SESSION = "/redfish/v1/SessionService/Sessions/s1/"


def _json(body: dict) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def test_token_never_follows_a_redirect_to_another_host():
    with LocalServer(lambda m, p, h: _json({"landed": True})) as other:
        target = f"http://localhost:{other.server_address[1]}/elsewhere"

        def route(method, path, headers):
            if path == "/away":
                return 302, {"Location": target}, b""
            if path == "/near":
                return 302, {"Location": "/landing"}, b""
            return _json({"@odata.id": path, "UserName": "admin"})

        with LocalServer(redfish_root_route(route)) as bmc:
            with pytest.warns(InsecureConnectionWarning, match="plain HTTP"):
                client = connect(bmc.url, token="0123456789abcdef", session_uri=SESSION)
            with client:
                assert client.get("/away").json == {"landed": True}
                client.get("/near")
            assert [h.get("X-Auth-Token") for m, p, h in other.seen] == [None]
            landing = [h for m, p, h in bmc.seen if p == "/landing"]
            assert landing[0]["X-Auth-Token"] == "0123456789abcdef", "same-host redirects keep the session"
            assert ("DELETE", SESSION) in [(m, p) for m, p, h in bmc.seen]


def test_an_http_url_the_bmc_redirects_to_https_is_refused_before_any_credential():
    https = "https://127.0.0.1:8443"
    redirect = LocalServer(lambda m, p, h: (301, {"Location": https + p}, b""))
    with redirect as port80, pytest.raises(TransportError) as info:
        connect(port80.url, "admin", "password")
    assert f"Connect to {https}" in info.value.hint and "No credentials were sent" in str(info.value)
    assert [(m, p) for m, p, h in port80.seen] == [("GET", "/redfish/v1/")]
    assert "Authorization" not in port80.seen[0][2]


def test_the_mock_bmc_over_http_says_use_https(mock_bmc):
    with pytest.raises(TransportError, match="HTTPS only") as info:
        connect(mock_bmc.url.replace("https://", "http://"), "admin", "password", verify=mock_bmc.ca_file)
    assert mock_bmc.url in info.value.hint


def test_a_plain_http_redfish_service_works_with_one_warning():
    rig = LocalServer(redfish_root_route(lambda m, p, h: _json({"@odata.id": p})))
    with rig, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with connect(rig.url, "admin", "password", auth="basic") as client:
            client.get("/redfish/v1/Systems/")
            client.get("/redfish/v1/Chassis/")
    assert [str(w.message) for w in caught if w.category is InsecureConnectionWarning] == [
        f"{rig.url} is plain HTTP: the password and session token travel in clear, readable by anyone on the "
        "path. Use https:// whenever the service offers it."
    ]
    assert [w.filename for w in caught] == [__file__], "the warning points at the caller's connect()"


def test_a_connection_closed_while_sending_is_not_called_a_handshake_failure(mock_bmc, monkeypatch):
    from redfishnb.mock import server

    monkeypatch.setattr(server, "MAX_DISCARD", server.MAX_BODY)  # the mock now closes without reading
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        with pytest.raises(TransportError) as info:
            client.patch("/redfish/v1/SessionService/", json={"x": "a" * (32 * server.MAX_BODY)})
        assert "closed the connection while the request was being sent" in str(info.value)
        assert "handshake" not in info.value.friendly
        assert client.get("/redfish/v1/").ok


def test_absolute_urls_to_another_host_are_refused():
    with LocalServer(redfish_root_route()) as bmc, connect(bmc.url, auth="none") as client:
        with pytest.raises(ValueError, match="another host"):
            client.get("http://localhost:1/redfish/v1/")
        assert client.get(bmc.url + "/redfish/v1/").ok


def test_netrc_credentials_are_never_sent(tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login admin password fromnetrc\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with LocalServer(redfish_root_route()) as bmc, connect(bmc.url, auth="none") as client:
        client.get("/redfish/v1/")
    assert all("Authorization" not in h for m, p, h in bmc.seen)
    assert requests.utils.get_netrc_auth(bmc.url) == ("admin", "fromnetrc"), "the trap is armed"


def test_typed_errors_only(tls_root):
    """Nothing below the kit leaks out: every failure above is a RedfishError."""
    for url in (f"https://127.0.0.1:{closed_port()}",):
        with pytest.raises(RedfishError):
            connect(url, auth="none", timeout=1)
    with pytest.raises(RedfishError):
        connect(tls_root.url, auth="none", verify=True)
    assert ssl.OPENSSL_VERSION  # the failures above went through real OpenSSL handshakes


def test_a_name_that_does_not_resolve_is_unreachable(monkeypatch):
    import socket

    def no_such_name(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)  # no resolver traffic leaves the machine
    with pytest.raises(BMCUnreachable, match="does not resolve") as info:
        connect("https://ilo-typo.lab.example", auth="none", timeout=1)
    assert info.value.host == "ilo-typo.lab.example"


def test_proxy_settings_are_read_once_and_no_proxy_is_honoured(tls_root, lab_pki, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NO_PROXY", "")
    with pytest.raises(BMCUnreachable):  # the proxy (a closed port) is used for the BMC
        connect(tls_root.url, auth="none", verify=lab_pki.ca_file, timeout=2)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    client = connect(tls_root.url, auth="none", verify=lab_pki.ca_file, timeout=2)
    monkeypatch.setenv("NO_PROXY", "")  # read at connect: a later change does not reroute this client
    with client:
        assert client.get("/redfish/v1/").ok
