"""LoginPanel driven headlessly against the mock BMC: success, each error kind, TLS modes, secrets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from widget_helpers import all_widget_state, log_in

from redfishnb.widgets import LoginPanel
from redfishnb.widgets.login import INSECURE_WARNING, LoginController, LoginForm, LoginInputError


def test_session_login_and_logout(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    seen: list[str] = []
    panel.observe(lambda c: seen.append(c["new"]), names="state")

    log_in(panel, "admin", "password")

    assert panel.state == "connected"
    assert panel.client is not None and panel.client.username == "admin"
    assert mock_bmc.session_count == 1
    assert panel._password.value == ""  # the secret left the widget state
    assert "Logged in" in panel.status_text and "admin" in panel.status_text
    assert seen == ["connecting", "connected"]
    assert panel._logout_button.disabled is False and panel._login_button.disabled is False

    panel._logout_button.click()
    assert panel.state == "disconnected" and panel.client is None
    assert mock_bmc.session_count == 0
    assert panel._logout_button.disabled is True


def test_enter_in_password_field_submits(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc, username="operator")
    panel._password.value = "operator"
    panel._password._handle_custom_msg({"event": "submit"}, [])  # what the browser sends on Enter
    assert panel.state == "connected" and mock_bmc.session_count == 1
    panel.logout()
    assert mock_bmc.session_count == 0


def test_wrong_password_shows_friendly_message_not_traceback(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    log_in(panel, "admin", "not-the-password")
    assert panel.state == "error" and panel.client is None
    text = panel.status_text
    assert "Traceback" not in text and "not-the-password" not in text
    assert "What to do" in text and "user name and password" in text
    assert "rfnb-status-error" in panel._status.value
    assert panel._password.value == ""
    assert mock_bmc.session_count == 0


def test_unreachable_bmc_is_reported_within_timeout() -> None:
    panel = LoginPanel("https://127.0.0.1:9", timeout=2.0)
    log_in(panel, "admin", "password")
    assert panel.state == "error"
    assert "What to do" in panel.status_text
    assert "reachable" in panel.status_text or "port" in panel.status_text


def test_basic_authentication_keeps_no_session(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    panel._method.value = "basic"
    log_in(panel, "admin", "password")
    assert panel.state == "connected", panel.status_text
    assert panel.client.auth_method == "basic"
    assert mock_bmc.session_count == 0
    assert panel.client.get("/redfish/v1/Systems/").status == 200
    panel.logout()


def test_pinned_fingerprint_and_wrong_pin(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc.url, tls="fingerprint", fingerprint=mock_bmc.server_fingerprint)
    log_in(panel, "admin", "password")
    assert panel.state == "connected", panel.status_text
    panel.logout()

    panel._fingerprint.value = "sha256:" + "00" * 32
    log_in(panel, "admin", "password")
    assert panel.state == "error"
    assert "fingerprint" in panel.status_text.lower()
    assert mock_bmc.session_count == 0


def test_insecure_mode_shows_red_warning_and_still_logs_in(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc.url)
    assert panel._insecure not in panel.children
    panel._tls.value = "insecure"
    assert panel._insecure in panel.children and panel._ca_file not in panel.children
    assert "rfnb-status-warning" in panel._insecure.value and "var(--jp-error-color1" in panel._insecure.value
    assert "OFF" in INSECURE_WARNING
    with pytest.warns(Warning):
        log_in(panel, "admin", "password")
    assert panel.state == "connected", panel.status_text
    assert "verification is off" in panel.status_text
    panel.logout()


def test_untrusted_certificate_without_ca_is_a_typed_tls_error(mock_bmc: Any) -> None:
    # The system trust store does not hold the lab CA (REQUESTS_CA_BUNDLE, set in CI, must not change that).
    panel = LoginPanel(mock_bmc.url, ca_file="")
    log_in(panel, "admin", "password")
    assert panel.state == "error"
    assert "certificate" in panel.status_text.lower() and "Traceback" not in panel.status_text


def test_certificate_method_shows_uploads_and_hides_password(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    assert panel._password in panel.children and panel._cert_box not in panel.children
    panel._method.value = "certificate"
    assert panel._cert_box in panel.children and panel._password not in panel.children
    panel._tls.value = "fingerprint"
    assert panel._fingerprint in panel.children and panel._ca_file not in panel.children


def _upload(widget: Any, name: str, data: bytes) -> None:
    widget.set_state(
        {
            "value": [
                {"name": name, "type": "", "size": len(data), "content": memoryview(data), "last_modified": 0}
            ]
        }
    )


PASSPHRASE = "pass-phrase"


@pytest.fixture
def student_certificate(mock_bmc: Any) -> Any:
    """A lab CA and a certificate for student, with certificate login set up on the mock as the seed describes."""
    import redfishnb
    from redfishnb import certs
    from redfishnb.oem import ilo

    ca = certs.LabCA.create("Lab users CA")
    student = ca.issue("student")
    with redfishnb.connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as admin:
        ilo.setup_certificate_login(admin, ca=ca, username="student", cert=student)
    return student


def test_certificate_login_from_uploads(mock_bmc: Any, student_certificate: Any) -> None:
    key_pem = student_certificate.key_pem(PASSPHRASE)
    panel = LoginPanel(mock_bmc)
    panel._method.value = "certificate"
    _upload(panel._cert, "student.crt", student_certificate.cert_pem)
    _upload(panel._key, "student.key", key_pem)
    panel._passphrase.value = PASSPHRASE
    panel._login_button.click()

    assert panel.state == "connected", panel.status_text
    assert panel.client.auth_method == "certificate" and panel.client.username == "student"
    assert [s["username"] for s in mock_bmc.sessions()] == ["student"]
    # the key and its passphrase left the widget state as soon as they were read
    assert panel._key.value == () and panel._passphrase.value == ""
    state = all_widget_state()
    assert "PRIVATE KEY" not in state and PASSPHRASE not in state
    panel.logout()
    assert mock_bmc.session_count == 0


def test_certificate_login_with_wrong_passphrase_says_so(mock_bmc: Any, student_certificate: Any) -> None:
    panel = LoginPanel(mock_bmc)
    panel._method.value = "certificate"
    _upload(panel._cert, "student.crt", student_certificate.cert_pem)
    _upload(panel._key, "student.key", student_certificate.key_pem(PASSPHRASE))
    panel._passphrase.value = "not-it"
    panel._login_button.click()
    assert panel.state == "error"
    assert "passphrase" in panel.status_text.lower() and "not-it" not in panel.status_text
    assert mock_bmc.session_count == 0


class _FakeClient:
    username = "student"
    url = "https://127.0.0.1:1"
    auth_method = "certificate"
    token_hint = "abcd…"
    closed = False

    def close(self) -> None:
        self.closed = True


def test_buttons_are_disabled_while_the_request_runs() -> None:
    states: list[tuple[bool, bool, bool]] = []

    def slow_connect(**_: Any) -> Any:
        states.append((panel._login_button.disabled, panel._logout_button.disabled, panel._url.disabled))
        return _FakeClient()

    panel = LoginPanel("https://127.0.0.1:1", username="admin", connect=slow_connect)
    panel._password.value = "pw"
    panel._login_button.click()
    assert states == [(True, True, True)]
    assert (panel._login_button.disabled, panel._logout_button.disabled, panel._url.disabled) == (
        False,
        False,
        False,
    )


def test_a_failing_connect_never_escapes_the_callback() -> None:
    def broken(**_: Any) -> Any:
        raise RuntimeError("boom with Authorization: Basic YWRtaW46cGFzc3dvcmQ=")

    panel = LoginPanel("https://127.0.0.1:1", username="admin", connect=broken)
    panel._password.value = "pw"
    panel._login_button.click()  # must not raise
    assert panel.state == "error"
    assert "Unexpected RuntimeError" in panel.status_text
    assert "YWRtaW46cGFzc3dvcmQ=" not in panel.status_text


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (LoginForm(url=""), "Enter the BMC's address"),
        (LoginForm(url="http://10.0.0.5", username="a", password="b"), "Use https://"),
        (LoginForm(url="10.0.0.5", username="", password="b"), "Enter a user name"),
        (LoginForm(url="10.0.0.5", username="a", password=""), "Enter the password"),
        (LoginForm(url="10.0.0.5", method="certificate"), "Upload the user certificate"),
        (LoginForm(url="10.0.0.5", method="certificate", cert=b"x"), "Upload the private key"),
        (
            LoginForm(url="10.0.0.5", username="a", password="b", tls="fingerprint"),
            "Paste the BMC certificate",
        ),
        (
            LoginForm(url="10.0.0.5", username="a", password="b", tls="fingerprint", fingerprint="zz"),
            "sha256:<hex>",
        ),
        (
            LoginForm(url="10.0.0.5", username="a", password="b", ca_file="/nonexistent/ca.pem"),
            "CA file not found",
        ),
    ],
)
def test_form_validation_messages(form: LoginForm, expected: str) -> None:
    with pytest.raises(LoginInputError, match=expected):
        LoginController(connect=lambda **_: None).connect_kwargs(form)


def test_form_becomes_connect_arguments(lab_pki: Any) -> None:
    kwargs = LoginController(connect=lambda **_: None).connect_kwargs(
        LoginForm(
            url=" 10.0.0.5:8443/redfish/v1 ", username=" admin ", password="pw", ca_file=lab_pki.ca_file
        )
    )
    assert kwargs == {
        "url": "https://10.0.0.5:8443",
        "auth": "session",
        "timeout": 10.0,
        "username": "admin",
        "password": "pw",
        "verify": lab_pki.ca_file,
    }
    pinned = LoginController(connect=lambda **_: None).connect_kwargs(
        LoginForm(url="h", username="a", password="b", tls="fingerprint", fingerprint="AB:" * 31 + "AB")
    )
    assert pinned["verify"] == "sha256:" + "ab" * 32
    insecure = LoginController(connect=lambda **_: None).connect_kwargs(
        LoginForm(url="h", username="a", password="b", tls="insecure")
    )
    assert insecure["verify"] is False


def test_login_form_repr_hides_secrets() -> None:
    text = repr(LoginForm(url="h", username="a", password="hunter22", key=b"KEY", passphrase="pp-secret"))
    assert "hunter22" not in text and "pp-secret" not in text and "KEY" not in text


def test_environment_defaults(monkeypatch: pytest.MonkeyPatch, mock_bmc: Any) -> None:
    monkeypatch.setenv("REDFISH_URL", mock_bmc.url)
    monkeypatch.setenv("REDFISH_CA", mock_bmc.ca_file)
    monkeypatch.setenv("REDFISH_USERNAME", "operator")
    monkeypatch.setenv("REDFISH_PASSWORD", "operator")
    panel = LoginPanel()
    assert (panel._url.value, panel._ca_file.value, panel._user.value) == (
        mock_bmc.url,
        mock_bmc.ca_file,
        "operator",
    )
    assert panel._password.value == ""  # never pre-filled from the environment


def test_no_password_or_token_in_any_output(mock_bmc: Any) -> None:
    secret = "S3cret-Pw!42"
    mock_bmc.add_account("trainee", secret, role="Operator")
    panel = LoginPanel(mock_bmc)
    log_in(panel, "trainee", secret)
    assert panel.state == "connected", panel.status_text
    token = panel.client._auth.token
    assert token and len(token) >= 16
    outputs = [
        repr(panel),
        json.dumps(panel._repr_mimebundle_(), default=str),
        panel.status_text,
        all_widget_state(),
    ]
    for text in outputs:
        assert secret not in text
        assert token not in text
    assert token[:4] + "…" in panel.status_text
    assert "0x" not in repr(panel)
    panel.logout()


def test_closing_the_panel_logs_out(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    log_in(panel, "admin", "password")
    assert mock_bmc.session_count == 1
    panel.close()
    assert mock_bmc.session_count == 0


def test_new_login_replaces_the_previous_session(mock_bmc: Any) -> None:
    panel = LoginPanel(mock_bmc)
    log_in(panel, "admin", "password")
    first = panel.client
    log_in(panel, "operator", "operator")
    assert panel.client is not first and first.closed
    assert [s["username"] for s in mock_bmc.sessions()] == ["operator"]
    panel.logout()


def test_verify_argument_presets_the_tls_fields(mock_bmc: Any) -> None:
    by_ca = LoginPanel(mock_bmc.url, verify=mock_bmc.ca_file)
    assert (by_ca._tls.value, by_ca._ca_file.value) == ("ca", mock_bmc.ca_file)
    pinned = LoginPanel(mock_bmc.url, verify=mock_bmc.server_fingerprint)
    assert (pinned._tls.value, pinned._fingerprint.value) == ("fingerprint", mock_bmc.server_fingerprint)
    assert LoginPanel(mock_bmc.url, verify=False)._tls.value == "insecure"
    system = LoginPanel(mock_bmc.url, verify=True)
    assert (system._tls.value, system._ca_file.value) == ("ca", "")
    log_in(pinned, "admin", "password")
    assert pinned.state == "connected", pinned.status_text
    pinned.logout()
