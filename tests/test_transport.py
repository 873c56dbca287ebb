"""Transport: TLS policy (CA, pinning, verify=False, environment bundles), redirects, and failures mapped to
typed errors, each produced by a real condition on loopback."""

from __future__ import annotations

import collections
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings

import pytest
import requests
import urllib3
from _servers import LocalServer, SilentServer, closed_port, html_route, redfish_root_route

from redfishnb import certs
from redfishnb.client import connect
from redfishnb.errors import (
    BMCUnreachable,
    CertificateError,
    CertificateExpired,
    CertificateNotTrusted,
    MalformedResponse,
    NotRedfish,
    RedfishError,
    TLSVerificationFailed,
    TransportError,
)
from redfishnb.failures import STEP_ATTRIBUTE
from redfishnb.transport import (
    InsecureConnectionWarning,
    TLSPolicy,
    build_ssl_context,
    peek_fingerprint,
    translate_exception,
)

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
    with pytest.raises(FileNotFoundError) as info:
        build_ssl_context(str(tmp_path / "missing.pem"))
    assert isinstance(info.value, RedfishError)
    assert (
        info.value.message
        == f"verify={str(tmp_path / 'missing.pem')!r}: the CA file or directory does not exist."
    )
    assert "embedded mock BMC" in info.value.hint and "bmc.ca_file" in info.value.hint


def test_the_ca_file_of_a_stopped_mock_bmc_says_the_mock_has_gone():
    from redfishnb.mock import MockBMC

    with MockBMC() as bmc:
        ca_file = bmc.ca_file
    with pytest.raises(RedfishError) as info:
        connect(bmc.url, "admin", "password", verify=ca_file)
    assert "does not exist" in info.value.message
    assert "has probably stopped and removed it" in info.value.hint


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


# -- failures mapped from what the TLS/TCP layer reported -----------------------------------------------------------


def _policy(client_cert: bool) -> TLSPolicy:
    return TLSPolicy(ssl.create_default_context(), "system", has_client_cert=client_cert)


def _ssl_error(reason: str) -> ssl.SSLError:
    error = ssl.SSLError(1, f"[SSL: {reason}] {reason.lower().replace('_', ' ')}")
    error.reason = reason  # OpenSSL sets it; an SSLError made in Python has none
    return error


def _at(exc: BaseException, step: str, answered: int = 0) -> BaseException:
    setattr(exc, STEP_ATTRIBUTE, (step, answered))
    return exc


def _wrapped(exc: BaseException) -> requests.exceptions.ConnectionError:
    """What requests raises around it: ConnectionError(MaxRetryError(reason=ProtocolError(..., exc)))."""
    inner = urllib3.exceptions.ProtocolError("Connection aborted.", exc)
    outer = urllib3.exceptions.MaxRetryError(None, "/redfish/v1/", reason=inner)
    return requests.exceptions.ConnectionError(outer, request=requests.Request("GET", URL).prepare())


URL = "https://10.0.0.5"


@pytest.mark.parametrize("step", ["connect", "send", "read"])
@pytest.mark.parametrize(
    "exc",
    [
        lambda: _ssl_error("TLSV1_ALERT_UNKNOWN_CA"),
        lambda: _ssl_error("SSLV3_ALERT_BAD_CERTIFICATE"),
        lambda: _ssl_error("TLSV13_ALERT_CERTIFICATE_REQUIRED"),
        lambda: ssl.SSLEOFError(8, "EOF occurred in violation of protocol (_ssl.c:2427)"),
        lambda: BrokenPipeError(32, "Broken pipe"),
        lambda: ConnectionResetError(104, "Connection reset by peer"),
    ],
)
def test_a_client_certificate_refused_in_any_step_is_not_trusted(exc, step):
    """TLS 1.3: the refusal of an offered certificate shows as an alert, an EOF or a reset, in any step."""
    error = translate_exception(_wrapped(_at(exc(), step)), url=URL, timeout=5, policy=_policy(True))
    assert type(error) is CertificateNotTrusted, error.friendly
    assert "larger than it accepts" not in error.friendly and "(_ssl.c" not in error.friendly


def test_an_expired_client_certificate_alert_names_the_bmcs_clock():
    exc = _at(_ssl_error("SSLV3_ALERT_CERTIFICATE_EXPIRED"), "read")
    error = translate_exception(_wrapped(exc), url=URL, timeout=5, policy=_policy(True))
    assert type(error) is CertificateExpired
    assert "by the BMC's clock it is expired or not yet valid" in error.message
    assert "valid by the local clock" in error.hint


def test_a_server_that_wants_a_certificate_none_was_given():
    exc = _at(_ssl_error("TLSV13_ALERT_CERTIFICATE_REQUIRED"), "read")
    error = translate_exception(_wrapped(exc), url=URL, timeout=5, policy=_policy(False))
    assert type(error) is CertificateError
    assert error.message == (
        "10.0.0.5:443 requires a client certificate (tlsv13 alert certificate required) and none was given."
    )
    assert 'auth="certificate", cert=..., key=...' in error.hint


@pytest.mark.parametrize(
    ("exc", "step", "answered", "client", "expected"),
    [
        (BrokenPipeError(32, "Broken pipe"), "send", 0, False, "without answering (Broken pipe)"),
        (ConnectionResetError(104, "Connection reset by peer"), "read", 3, True, "without answering"),
        (
            ssl.SSLEOFError(8, "EOF occurred in violation of protocol"),
            "connect",
            0,
            False,
            "during the TLS handshake",
        ),
        (ConnectionResetError(104, "Connection reset by peer"), "?", 0, False, "without answering"),
    ],
)
def test_closed_connections_say_which_step(exc, step, answered, client, expected):
    """Without a certificate in doubt, the step decides; a GET has no body to blame."""
    error = translate_exception(
        _wrapped(_at(exc, step, answered)), url=URL, timeout=5, policy=_policy(client)
    )
    assert type(error) is TransportError and expected in error.message
    assert "body" not in error.friendly


def test_a_reset_while_sending_a_body_blames_the_body():
    """On a connection that already answered, the client certificate was accepted: the body is the suspect."""
    request = requests.Request("PATCH", URL, json={"x": "a" * 100}).prepare()
    sent = _at(BrokenPipeError(32, "Broken pipe"), "send", answered=1)
    inner = urllib3.exceptions.ProtocolError("Connection aborted.", sent)
    error = translate_exception(
        requests.exceptions.ConnectionError(inner, request=request), url=URL, timeout=5, policy=_policy(True)
    )
    assert type(error) is TransportError
    assert error.message.startswith("10.0.0.5:443 closed the connection while the request was being sent")
    assert "size of the request body" in error.hint


_BURN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


class _StrictTLS13Server:
    """TLS 1.3 only, client certificate required and checked against ``client_ca``: one handshake at a time."""

    def __init__(self, lab_pki, client_ca: str) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.load_cert_chain(lab_pki.cert_file, lab_pki.key_file)
        self.context.load_verify_locations(client_ca)
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"https://127.0.0.1:{self.listener.getsockname()[1]}"
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except ssl.SSLError:
                self.refused += 1
            except OSError:
                pass
            finally:
                conn.close()

    def __enter__(self) -> _StrictTLS13Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.listener.close()


def test_an_untrusted_certificate_is_not_trusted_every_time_under_cpu_load(lab_pki, tmp_path):
    """The refusal of a TLS 1.3 server arrives after the client's handshake, as an alert on the first read or an
    EOF/reset on the first write, depending on scheduling. Busy CPUs shuffle that order; the answer must not move.
    """
    user_ca = tmp_path / "user-ca.pem"
    user_ca.write_bytes(certs.LabCA.create("user CA").cert_pem)
    crt, key = certs.LabCA.create("stranger CA").issue("mallory").write(tmp_path, "mallory")
    deadline = time.monotonic() + 20
    burners = [subprocess.Popen([sys.executable, "-c", _BURN.format(seconds=20)]) for _ in range(2)]
    outcomes: collections.Counter[str] = collections.Counter()
    try:
        with _StrictTLS13Server(lab_pki, str(user_ca)) as server:
            for _ in range(100):
                with pytest.raises(RedfishError) as info:
                    connect(
                        server.url, auth="certificate", verify=lab_pki.ca_file, cert=crt, key=key, timeout=5
                    )
                outcomes[type(info.value).__name__] += 1
                assert time.monotonic() < deadline, "too slow to finish under load"
    finally:
        for burner in burners:
            burner.kill()
            burner.wait(5)
    assert outcomes == {"CertificateNotTrusted": 100}
    # each refusal is followed by one look at the service root without the certificate (which kind of BMC refused
    # it words the hint); this server refuses those handshakes too
    assert server.refused == 200, "the server itself refused every handshake"


def test_a_refused_connection_on_this_machine_suggests_a_stopped_mock():
    with pytest.raises(BMCUnreachable) as info:
        connect(f"https://127.0.0.1:{closed_port()}", auth="none", timeout=2)
    assert info.value.hint.startswith("Nothing accepts connections on 127.0.0.1:")
    assert "embedded mock BMC" in info.value.hint and "timeout" not in info.value.hint


def _verify_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] {message}")
    error.verify_code, error.verify_message, error.reason = code, message, "CERTIFICATE_VERIFY_FAILED"
    return error


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (62, "Hostname mismatch, certificate is not valid for '127.0.0.1'.", "does not name 127.0.0.1"),
        (10, "certificate has expired", "The BMC's own certificate is expired by the local clock"),
        (9, "certificate is not yet valid", "not yet valid by the local clock"),
        (20, "unable to get local issuer certificate", "Pass the CA that signed the BMC's certificate"),
    ],
)
def test_a_server_certificate_failure_gets_the_hint_of_its_cause(code, message, expected):
    url = f"https://127.0.0.1:{closed_port()}"
    policy = build_ssl_context(True)
    error = translate_exception(
        _wrapped(_at(_verify_error(code, message), "connect")), url=url, timeout=1, policy=policy
    )
    assert type(error) is TLSVerificationFailed and message in error.message
    assert expected in error.hint
