"""The exchange log: redaction, cURL renderings that a shell really runs, stable reprs, the container."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import threading

import pytest

from redfishnb.exchanges import Exchange, Exchanges, redact_headers, redact_json, token_hint

TOKEN = "1b6cd3e49f2ffbe54347112d7315d8fd"
PEM_KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkq\n-----END ENCRYPTED PRIVATE KEY-----\n"


def test_redact_json_masks_secrets_at_any_depth_and_keeps_the_rest():
    body = {
        "UserName": "admin",
        "Password": "hunter2",
        "Token": "123456",
        "Oem": {"Hpe": {"OTP": "654321", "LoginName": "Admin"}},
        "Accounts": [{"NewPassword": "n3w", "RoleId": "ReadOnly"}],
        "Key": PEM_KEY,
        "Certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "Password@Redfish.AllowableValues": None,
    }
    red = redact_json(body)
    text = json.dumps(red)
    for secret in ("hunter2", "123456", "654321", "n3w", "MIIBvTBXBgkq"):
        assert secret not in text
    assert red["UserName"] == "admin" and red["Oem"]["Hpe"]["LoginName"] == "Admin"
    assert red["Certificate"] == body["Certificate"], "certificates are public and must stay intact"
    assert red["Password"] == "***" and red["Accounts"][0]["RoleId"] == "ReadOnly"
    assert body["Password"] == "hunter2", "the caller's object is not modified"


def test_redact_headers():
    headers = redact_headers(
        {
            "X-Auth-Token": TOKEN,
            "Authorization": "Basic YWRtaW46cGFzc3dvcmQ=",
            "Content-Type": "application/json",
            "Set-Cookie": "sessionKey=abcdef; Path=/; Secure",
        }
    )
    assert headers["X-Auth-Token"] == "1b6c…" == token_hint(TOKEN)
    assert headers["Authorization"] == "Basic ***"
    assert "abcdef" not in headers["Set-Cookie"] and "Path=/" in headers["Set-Cookie"]
    assert headers["Content-Type"] == "application/json"


def _login_exchange(**tls):
    return Exchange(
        method="POST",
        url="https://127.0.0.1:8443/redfish/v1/SessionService/Sessions/",
        status=201,
        reason="Created",
        request_headers={"Content-Type": "application/json"},
        request_json=redact_json({"UserName": "admin", "Password": "hunter2"}),
        response_headers=redact_headers(
            {"X-Auth-Token": TOKEN, "Location": "/redfish/v1/SessionService/Sessions/a/"}
        ),
        tls=tls,
    )


def test_curl_of_a_session_login_uses_variables_and_the_ca():
    curl = _login_exchange(mode="ca", ca_file="/labs/bmc ca.pem").to_curl()
    assert curl.startswith("curl --include --cacert '/labs/bmc ca.pem'")
    assert "--insecure" not in curl and "hunter2" not in curl
    assert '"Password": "$PASSWORD"' in curl and "--request POST" in curl


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_curl_commands_run_in_a_shell_with_the_secrets_from_variables():
    """Replace curl by a function that prints its arguments and stdin: the shell must rebuild the real request."""
    login = _login_exchange(mode="insecure").to_curl()
    get = Exchange(
        method="GET",
        url="https://127.0.0.1:8443/redfish/v1/Systems/?only",
        request_headers=redact_headers({"X-Auth-Token": TOKEN}),
        tls={"mode": "system"},
    ).to_curl()
    basic = Exchange(
        method="GET",
        url="https://127.0.0.1:8443/redfish/v1/",
        username='ad"min',
        request_headers=redact_headers({"Authorization": "Basic x"}),
        tls={"mode": "system"},
    ).to_curl()
    script = (
        'curl() { printf "%s\\n" "$@"; [ -t 0 ] || cat; }\n'
        "PASSWORD='p$ss w0rd'; TOKEN="
        + TOKEN
        + "\n"
        + login
        + "\necho ---\n"
        + get
        + " </dev/null\necho ---\n"
        + basic
        + " </dev/null\n"
    )
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=10, check=True
    ).stdout
    login_out, get_out, basic_out = out.split("---\n")
    body = json.loads(login_out.strip().splitlines()[-1])
    assert body == {"UserName": "admin", "Password": "p$ss w0rd"}
    assert "--insecure" in login_out
    assert (
        f"X-Auth-Token: {TOKEN}" in get_out and "https://127.0.0.1:8443/redfish/v1/Systems/?only" in get_out
    )
    assert 'ad"min:p$ss w0rd' in basic_out


def test_curl_for_pinning_and_client_certificates():
    pinned = Exchange(
        method="GET", url="https://bmc/redfish/v1/", tls={"mode": "pin", "fingerprint": "sha256:ab"}
    )
    assert "--insecure" in pinned.to_curl() and "sha256:ab" in pinned.to_curl().splitlines()[0]
    cert = Exchange(
        method="GET",
        url="https://bmc/html/login_cert.html",
        tls={
            "mode": "ca",
            "ca_file": "ca.pem",
            "client_cert_used": True,
            "client_cert": "student.crt",
            "client_key": None,
            "key_encrypted": True,
        },
    )
    curl = cert.to_curl()
    assert '--cert student.crt --key user.key --pass "$KEY_PASSPHRASE"' in curl


def test_reprs_are_stable_and_secret_free():
    ex = _login_exchange(mode="ca", ca_file="ca.pem")
    ex.elapsed_ms = 12.3
    assert repr(ex) == "<Exchange POST /redfish/v1/SessionService/Sessions/ -> 201 Created>"
    page = ex._repr_html_()
    assert "hunter2" not in page and TOKEN not in page and "12.3" not in page
    assert "&quot;Password&quot;: &quot;***&quot;" in page
    failed = Exchange(method="GET", url="https://bmc:1/redfish/v1/", error="Could not reach bmc:1")
    assert failed.summary() == "GET /redfish/v1/ -> failed: Could not reach bmc:1"


def test_exchanges_container():
    log = Exchanges(maxlen=3, show=2)
    heard = []
    unsubscribe = log.subscribe(heard.append)
    for i in range(5):
        log.append(Exchange(method="GET", url=f"https://bmc/{i}", status=200, reason="OK"))
    unsubscribe()
    log.append(Exchange(method="GET", url="https://bmc/5", status=404, reason="Not Found"))
    assert len(log) == 3 and [e.url[-1] for e in log] == ["3", "4", "5"]
    assert log[-1].status == 404 and [e.url[-1] for e in log[-2:]] == ["4", "5"]
    assert len(heard) == 5 and log.last(1)[0] is log[-1]
    assert repr(log).splitlines() == [
        "<Exchanges: 3>",
        "  … 1 earlier",
        "  GET /4 -> 200 OK",
        "  GET /5 -> 404 Not Found",
    ]
    assert "<table" in log._repr_html_() and log.to_curl().count("curl ") == 3


def test_exchanges_append_is_thread_safe():
    log = Exchanges(maxlen=10_000)

    def work():
        for _ in range(500):
            log.append(Exchange(method="GET", url="https://bmc/"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log) == 2000


def test_a_license_key_never_reaches_the_curl_line_or_the_record(mock_bmc):
    import redfishnb
    from redfishnb.oem import ilo

    key = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        with contextlib.suppress(redfishnb.RedfishError):  # a made-up key may be refused; it was still sent
            ilo.install_license(client, key)
        post = next(e for e in client.exchanges if e.method == "POST" and "LicenseService" in e.url)
        assert key not in post.to_curl() and "$LICENSE_KEY" in post.to_curl()
        assert key not in repr(post) and key not in str(post.request_json)
