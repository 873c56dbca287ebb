"""Authentication objects and login flows: masked reprs, session URI normalisation, login against the mock."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import requests
from _servers import LocalServer, redfish_root_route

from redfishnb import auth, certs
from redfishnb.client import connect
from redfishnb.errors import InvalidCredentials, OneTimePasscodeRequired, RedfishError

BASE = "https://10.0.0.5"
SESSION = "/redfish/v1/SessionService/Sessions/admin0000000063bc4f87659ddce4/"


@pytest.mark.parametrize(
    ("location", "body", "expected"),
    [
        (f"{BASE}{SESSION}", None, SESSION),  # iLO: absolute URL with trailing slash
        (SESSION, None, SESSION),  # relative
        ("Sessions/7", None, "/Sessions/7"),  # relative without a leading slash resolves against the base
        ("https://wrong-host:8443" + SESSION, None, SESSION),  # a wrong host in Location is ignored
        (None, {"@odata.id": SESSION}, SESSION),  # no Location: the body's @odata.id
        (None, {"Id": "1"}, None),
    ],
)
def test_session_path(location, body, expected):
    assert auth.session_path(location, body, BASE) == expected


def test_login_uri_from_root_and_fallback():
    root = {"Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions/"}}}
    assert auth.login_uri_from_root(root) == "/redfish/v1/SessionService/Sessions/"
    assert auth.login_uri_from_root({"Links": {"Sessions": {"@odata.id": "/rf/Sessions"}}}) == "/rf/Sessions"
    assert auth.login_uri_from_root({}) == auth.STANDARD_SESSIONS_URI
    assert auth.login_uri_from_root(None) == auth.STANDARD_SESSIONS_URI


def test_reprs_mask_secrets():
    token = "1b6cd3e49f2ffbe54347112d7315d8fd"
    session = auth.SessionAuth(token, SESSION, "admin")
    assert token not in repr(session) and "1b6c…" in repr(session)
    basic = auth.BasicAuth("admin", "hunter2")
    assert "hunter2" not in repr(basic) and "admin" in repr(basic)
    prepared = session(requests.Request("GET", BASE + "/redfish/v1/").prepare())
    assert prepared.headers["X-Auth-Token"] == token


class FakeResponse:
    def __init__(self, status, headers=None, json=None):
        self.status, self.headers, self.json, self.url = status, headers or {}, json, ""


def test_session_login_flow_keeps_token_and_location():
    sent = []

    def send(method, path, **kwargs):
        sent.append((method, path, kwargs.get("json")))
        return FakeResponse(
            201, {"X-Auth-Token": "abcd1234", "Location": f"{BASE}{SESSION}"}, {"UserName": "admin"}
        )

    session = auth.session_login(
        send, "/redfish/v1/SessionService/Sessions/", "admin", "pw", otp="123456", base_url=BASE
    )
    assert (session.token, session.session_uri, session.username) == ("abcd1234", SESSION, "admin")
    assert sent == [
        (
            "POST",
            "/redfish/v1/SessionService/Sessions/",
            {"UserName": "admin", "Password": "pw", "Token": "123456"},
        )
    ]


def test_a_401_to_the_login_is_invalid_credentials_even_with_a_no_valid_session_body():
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.12.NoValidSession"}]}}

    def send(method, path, **kwargs):
        return FakeResponse(401, {}, body)

    with pytest.raises(InvalidCredentials) as info:
        auth.session_login(send, "/s", "admin", "hunter2", base_url=BASE, login_delay=5)
    assert info.value.delay == 5 and "hunter2" not in str(info.value)


def test_one_time_passcode_sent_instead_of_a_session():
    body = {
        "error": {
            "@Message.ExtendedInfo": [
                {"MessageId": "Base.1.17.OneTimePasscodeSent", "MessageArgs": ["configured mail"]}
            ]
        }
    }
    with pytest.raises(OneTimePasscodeRequired, match="otp="):
        auth.session_login(lambda *a, **k: FakeResponse(200, {}, body), "/s", "u", "p", base_url=BASE)


def test_logout_of_a_session_already_gone_is_not_an_error():
    session = auth.SessionAuth("abcd1234", SESSION)
    assert auth.logout(lambda *a, **k: FakeResponse(404), session) is False
    assert auth.logout(lambda *a, **k: FakeResponse(401), session) is False
    assert auth.logout(lambda *a, **k: FakeResponse(200), session) is True


# -- against the mock BMC -----------------------------------------------------------------------------------------


def test_session_login_against_the_mock_records_a_redacted_exchange(mock_bmc):
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as client:
        login = next(e for e in client.exchanges if e.method == "POST")
        assert login.status == 201
        assert login.request_json == {"UserName": "admin", "Password": "***"}
        assert login.response_headers["X-Auth-Token"] == client.token_hint
        assert client.session_uri.startswith(client.login_uri)
        assert mock_bmc.session_count == 1
    assert client.exchanges[-1].method == "DELETE" and client.exchanges[-1].status == 200


def test_basic_creates_no_session(mock_bmc):
    with connect(mock_bmc.url, "operator", "operator", auth="basic", verify=mock_bmc.ca_file) as client:
        assert client.get("/redfish/v1/Systems/").ok
        assert mock_bmc.session_count == 0 and client.session_uri is None
        assert client.exchanges[-1].request_headers["Authorization"] == "Basic ***"
    with pytest.raises(InvalidCredentials):
        connect(mock_bmc.url, "operator", "wrong", auth="basic", verify=mock_bmc.ca_file)


def test_two_factor_login_with_the_one_time_passcode(mock_bmc):
    mock_bmc.add_account("aduser", "Dir3ctory!", role="Operator", otp_email="aduser@lab.example")
    with pytest.raises(OneTimePasscodeRequired):
        connect(mock_bmc.url, "aduser", "Dir3ctory!", verify=mock_bmc.ca_file)
    code = mock_bmc.last_otp("aduser")
    with connect(mock_bmc.url, "aduser", "Dir3ctory!", otp=code, verify=mock_bmc.ca_file) as client:
        login = [e for e in client.exchanges if e.method == "POST"][-1]
        assert login.request_json == {"UserName": "aduser", "Password": "***", "Token": "***"}
        assert code not in client.exchanges.to_curl() and "$OTP" in login.to_curl()


def _otp_account(bmc):
    bmc.add_account("aduser", "Dir3ctory!", role="Operator", otp_email="aduser@lab.example")
    with pytest.raises(OneTimePasscodeRequired):  # the first attempt mails a passcode
        connect(bmc.url, "aduser", "Dir3ctory!", verify=bmc.ca_file)
    return bmc.last_otp("aduser")


def test_an_expired_passcode_says_to_ask_for_a_new_one_not_to_check_the_password(mock_bmc):
    code = _otp_account(mock_bmc)
    mock_bmc.advance_clock(301)  # iLO's passcodes live 5 minutes
    with pytest.raises(OneTimePasscodeRequired) as info:
        connect(mock_bmc.url, "aduser", "Dir3ctory!", otp=code, verify=mock_bmc.ca_file)
    assert info.value.status == 401 and info.value.message_ids[0].endswith("AuthenticationTokenExpired")
    assert "has expired" in info.value.hint and "without otp=" in info.value.hint
    assert "password" not in info.value.hint


def test_a_wrong_passcode_names_the_passcode_in_the_hint(mock_bmc):
    code = _otp_account(mock_bmc)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidCredentials) as info:
        connect(mock_bmc.url, "aduser", "Dir3ctory!", otp=wrong, verify=mock_bmc.ca_file)
    assert info.value.hint.startswith("Check the one-time passcode")
    with pytest.raises(InvalidCredentials) as plain:  # without a passcode, a 401 is about the password
        connect(mock_bmc.url, "aduser", "wrong", verify=mock_bmc.ca_file)
    assert plain.value.hint.startswith("Check the user name and password")


def test_basic_authentication_of_a_two_factor_account_says_why_it_cannot_work(mock_bmc):
    """Notebook 06: Basic has no place for the passcode; the refusal must say so, not blame the password."""
    mock_bmc.add_account("dirk", "Dir3ctory!", role="Operator", otp_email="dirk@lab.example")
    with pytest.raises(OneTimePasscodeRequired) as info:
        connect(mock_bmc.url, "dirk", "Dir3ctory!", auth="basic", verify=mock_bmc.ca_file)
    error = info.value
    assert error.status == 401 and error.message_ids[-1].endswith("AuthenticationTokenRequired")
    assert error.message == (
        "GET /redfish/v1/SessionService/Sessions/ with Basic authentication as 'dirk' was refused (HTTP 401): "
        "the account uses two-factor login, and Basic authentication cannot carry the one-time passcode it needs."
    )
    assert error.hint == auth.TWO_FACTOR_BASIC_HINT
    assert "e-mail a one-time passcode" in error.hint and 'otp="<passcode>"' in error.hint
    assert "Dir3ctory!" not in error.friendly and mock_bmc.last_otp("dirk") is None, "Basic mailed nothing"
    with pytest.raises(
        InvalidCredentials
    ) as wrong:  # a wrong password of the same account is a wrong password
        connect(mock_bmc.url, "dirk", "wrong", auth="basic", verify=mock_bmc.ca_file)
    assert wrong.value.hint.startswith("Check the user name and password")


def test_a_basic_refusal_shaped_like_a_real_ilo_names_both_causes():
    """iLO documents 401 NoValidSession for a two-factor account's Basic request, the same as for a wrong
    password: the client cannot tell them apart, so the hint covers both."""
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.17.NoValidSession"}]}}
    error = auth.basic_login_refused(
        FakeResponse(401, {}, body), "/redfish/v1/Systems/", "ilo_admin", login_delay=10
    )
    assert type(error) is InvalidCredentials and error.delay == 10
    assert error.hint == (
        "Check the user name and password, and wait 10 s before the next attempt (the BMC delays logins after a "
        "failure). An account with two-factor login cannot use Basic authentication at all: log in with a "
        "session and otp= instead."
    )
    plain = auth.basic_login_refused(FakeResponse(401), "/redfish/v1/Systems/", "ilo_admin")
    assert plain.hint.startswith(
        "Check the user name and password (iLO delays the next login after a failure)."
    )


def test_password_change_required_session_is_typed_on_use_and_still_logged_out(mock_bmc):
    from redfishnb.errors import PasswordChangeRequired

    mock_bmc.add_account("newhire", "Initial-1", role="Operator", password_change_required=True)
    with connect(mock_bmc.url, "newhire", "Initial-1", verify=mock_bmc.ca_file) as client:
        with pytest.raises(PasswordChangeRequired) as info:
            client.get("/redfish/v1/Systems/")
        assert info.value.account_uri.startswith("/redfish/v1/AccountService/Accounts/")


# -- certificate login mechanics (a small mutual-TLS server; the full iLO chain is tested in tests/oem) ------------


CERT_SESSION = "/redfish/v1/SessionService/Sessions/student01c3rt/"


def _ilo_error(message_id, *args):
    body = {
        "error": {
            "code": "iLO.0.10.ExtendedInfo",
            "@Message.ExtendedInfo": [
                {"MessageId": message_id, **({"MessageArgs": list(args)} if args else {})}
            ],
        }
    }
    return 403, {"Content-Type": "application/json"}, json.dumps(body).encode()


def cert_login_route(refusal=None):
    def route(method, path, headers):
        if path == auth.CERTIFICATE_LOGIN_URI:
            if refusal:
                return _ilo_error(*refusal)
            if not headers.get("_peer_cn"):
                return _ilo_error("iLO.2.34.InvalidClientCertificate", "no client certificate was presented")
            return 200, {"X-Auth-Token": "c3rtt0ken0000000", "Location": CERT_SESSION}, b"<html></html>"
        if path == CERT_SESSION and headers.get("X-Auth-Token") == "c3rtt0ken0000000":
            body = {"@odata.id": CERT_SESSION, "UserName": headers["_peer_cn"]}
            return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
        return _ilo_error("Base.1.18.NoValidSession")

    return route


@pytest.fixture(scope="module")
def user_pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("users")
    user_ca = certs.LabCA.create("user CA")
    student = user_ca.issue("student01")
    crt, key = student.write(directory, "student01", passphrase="k3y-pass")
    stranger = certs.LabCA.create("stranger CA").issue("mallory")
    s_crt, s_key = stranger.write(directory, "mallory")
    ca_file = directory / "user-ca.pem"
    ca_file.write_bytes(user_ca.cert_pem)
    return {
        "ca": str(ca_file),
        "crt": str(crt),
        "key": str(key),
        "pair": student,
        "stranger": (str(s_crt), str(s_key)),
    }


def _cert_login(user_pki, ca_file):
    """connect() keywords for student01's passphrase-protected certificate, trusting the BMC's ``ca_file``."""
    return {
        "auth": "certificate",
        "verify": ca_file,
        "cert": user_pki["crt"],
        "key": user_pki["key"],
        "key_password": "k3y-pass",
    }


@pytest.fixture
def mtls_server(lab_pki, user_pki, request):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(lab_pki.cert_file, lab_pki.key_file)
    ctx.load_verify_locations(user_pki["ca"])
    ctx.verify_mode = ssl.CERT_OPTIONAL
    with LocalServer(
        redfish_root_route(cert_login_route(getattr(request, "param", None))), tls=ctx
    ) as server:
        yield server


def test_certificate_login_with_a_passphrase_protected_key(mtls_server, lab_pki, user_pki):
    with connect(mtls_server.url, **_cert_login(user_pki, lab_pki.ca_file)) as client:
        assert (client.auth_method, client.username, client.session_uri) == (
            "certificate",
            "student01",
            CERT_SESSION,
        )
        login = next(e for e in client.exchanges if e.url.endswith(auth.CERTIFICATE_LOGIN_URI))
        curl = login.to_curl()
        assert f'--cert {user_pki["crt"]} --key {user_pki["key"]} --pass "$KEY_PASSPHRASE"' in curl
        assert "k3y-pass" not in curl and "k3y-pass" not in repr(client)
    assert ("DELETE", CERT_SESSION) in [(m, p) for m, p, h in mtls_server.seen]


def test_certificate_login_from_pem_bytes(mtls_server, lab_pki, user_pki):
    pair = user_pki["pair"]
    with connect(
        mtls_server.url,
        auth="certificate",
        verify=lab_pki.ca_file,
        cert=pair.cert_pem,
        key=pair.key_pem("other-pass"),
        key_password="other-pass",
    ) as client:
        assert client.username == "student01"
        assert "--cert user.crt --key user.key" in client.exchanges[1].to_curl()


def test_key_problems_are_typed_before_any_connection(mtls_server, lab_pki, user_pki):
    from redfishnb.errors import KeyMismatch, KeyPassphraseError

    common = {"auth": "certificate", "verify": lab_pki.ca_file, "cert": user_pki["crt"]}
    with pytest.raises(KeyPassphraseError):
        connect(mtls_server.url, key=user_pki["key"], key_password="wrong", **common)
    with pytest.raises(KeyPassphraseError):
        connect(mtls_server.url, key=user_pki["key"], **common)
    with pytest.raises(KeyMismatch):
        connect(mtls_server.url, key=user_pki["stranger"][1], **common)
    assert mtls_server.seen == []


def test_a_certificate_from_an_unknown_ca_is_not_trusted(mtls_server, lab_pki, user_pki):
    from redfishnb.errors import CertificateNotTrusted

    crt, key = user_pki["stranger"]
    with pytest.raises(CertificateNotTrusted):
        connect(mtls_server.url, auth="certificate", verify=lab_pki.ca_file, cert=crt, key=key)


@pytest.mark.parametrize(
    ("mtls_server", "expected"),
    [
        (("iLO.2.34.CertificateLoginDisabled",), "CertificateLoginDisabled"),
        (("iLO.2.34.LicenseKeyRequired",), "LicenseRequired"),
        (
            ("iLO.2.34.InvalidClientCertificate", "the certificate is not mapped to a user"),
            "CertificateNotMapped",
        ),
        (("iLO.2.34.InvalidClientCertificate", "the certificate has expired"), "CertificateExpired"),
    ],
    indirect=["mtls_server"],
)
def test_certificate_login_refusals_are_typed(mtls_server, lab_pki, user_pki, expected):
    with pytest.raises(RedfishError) as info:
        connect(mtls_server.url, **_cert_login(user_pki, lab_pki.ca_file))
    assert type(info.value).__name__ == expected and info.value.hint


def test_certificate_login_against_the_mock(mock_bmc, user_pki):
    """The whole iLO way, step by step: each missing setup step is a typed refusal, then login and logout."""
    from redfishnb.errors import CertificateLoginDisabled, CertificateNotMapped

    security = "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication"
    login = _cert_login(user_pki, mock_bmc.ca_file)
    with pytest.raises(CertificateLoginDisabled):
        connect(mock_bmc.url, **login)
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.ca_file) as admin:
        admin.patch(security, {"CertificateLoginEnabled": True})
        ca_pem = Path(user_pki["ca"]).read_text()
        admin.post(f"{security}/Actions/HpeCertAuth.ImportCACertificate", {"Certificate": ca_pem})
        with pytest.raises(CertificateNotMapped):
            connect(mock_bmc.url, **login)
        admin.post(
            "/redfish/v1/AccountService/UserCertificateMapping",
            {"UserName": "student", "Fingerprint": user_pki["pair"].cert_pem.decode()},
        )
    with connect(mock_bmc.url, **login) as client:
        assert (client.auth_method, client.username) == ("certificate", "student")
        assert mock_bmc.session_count == 1
        assert client.my_session().json["Oem"]["Hpe"]["UserTag"] == "Web UI"


def test_a_certificate_login_without_a_token_does_not_suggest_basic_authentication():
    with pytest.raises(RedfishError) as info:
        auth.certificate_login(lambda *a, **k: FakeResponse(200, {}, {}), base_url=BASE)
    assert "auth=" not in info.value.hint and "certificate login opened no Redfish session" in info.value.hint
    with pytest.raises(RedfishError) as session:
        auth.session_login(lambda *a, **k: FakeResponse(201, {}, {}), "/s", "u", "p", base_url=BASE)
    assert 'try auth="basic"' in session.value.hint


def test_a_certificate_login_refused_without_details_points_at_the_checklist():
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.18.InsufficientPrivilege"}]}}
    with pytest.raises(RedfishError) as info:
        auth.certificate_login(lambda *a, **k: FakeResponse(403, {}, body), base_url=BASE)
    assert type(info.value).__name__ == "CertificateError"
    assert (
        "redfishnb.oem.ilo.certificate_login_problems(admin, cert) lists what is missing" in info.value.hint
    )
