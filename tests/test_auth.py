"""Authentication objects and login flows: masked reprs, session URI normalisation, login against the mock."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import requests
from _servers import LocalServer

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
    session = auth.AttachedSession(token, SESSION, "admin")
    assert token not in repr(session) and "1b6c…" in repr(session)
    basic = auth.BasicAuth("admin", "hunter2")
    assert "hunter2" not in repr(basic) and "admin" in repr(basic)
    assert "hunter2" not in repr(auth.PasswordSession("admin", "hunter2", "123456"))
    assert "s3cret" not in repr(auth.CertificateSession("user.pem", "user.key", "s3cret"))
    prepared = session(requests.Request("GET", BASE + "/redfish/v1/").prepare())
    assert prepared.headers["X-Auth-Token"] == token


def test_each_auth_object_sets_its_own_header_and_nothing_else():
    def headers(obj):
        return dict(obj(requests.Request("GET", BASE + "/redfish/v1/").prepare()).headers)

    assert "Authorization" not in headers(auth.NoAuth()) and "X-Auth-Token" not in headers(auth.NoAuth())
    assert headers(auth.BasicAuth("admin", "pw"))["Authorization"] == "Basic YWRtaW46cHc="
    fresh = auth.PasswordSession("admin", "pw")
    assert "X-Auth-Token" not in headers(fresh) and "Authorization" not in headers(fresh)  # no token yet


class FakeResponse:
    def __init__(self, status, headers=None, json=None, method="GET"):
        self.status, self.headers, self.json, self.url, self.method = status, headers or {}, json, "", method

    def raise_for_error(self):
        assert self.status < 400, self.status
        return self


class FakeWire:
    """The client's send path as an auth object sees it, answering from a list and recording what was sent."""

    url = BASE
    login_uri = "/redfish/v1/SessionService/Sessions/"

    def __init__(self, *answers, login_delay=None):
        self.answers, self.sent, self.login_delay = list(answers), [], login_delay

    def send(self, method, path, *, json=None, auth=None, client_cert=False):
        self.sent.append((method, path, json, type(auth).__name__ if auth is not None else None, client_cert))
        return self.answers.pop(0)


def _created(token="abcd1234", user="admin"):
    return FakeResponse(201, {"X-Auth-Token": token, "Location": f"{BASE}{SESSION}"}, {"UserName": user})


def test_password_login_keeps_token_and_location_and_sends_no_other_credential():
    wire = FakeWire(_created())
    session = auth.PasswordSession("admin", "pw", otp="123456")
    session.login(wire)
    assert (session.token, session.session_uri, session.username) == ("abcd1234", SESSION, "admin")
    assert session.token_hint == "abcd…" and session.has_session
    assert wire.sent == [
        (
            "POST",
            "/redfish/v1/SessionService/Sessions/",
            {"UserName": "admin", "Password": "pw", "Token": "123456"},
            "NoAuth",
            False,
        )
    ]
    assert not session.can_refresh, "without reauth the password is not kept"


def test_a_refreshable_password_session_logs_in_again_with_the_kept_password():
    wire = FakeWire(_created("first000"), _created("second00"))
    session = auth.PasswordSession("admin", "pw", refreshable=True)
    session.login(wire)
    assert session.can_refresh
    session.refresh(wire)
    assert session.token == "second00" and wire.sent[1][2] == {"UserName": "admin", "Password": "pw"}
    session.drop_credentials()  # the client closes
    assert not session.can_refresh


def test_a_401_to_the_login_is_invalid_credentials_even_with_a_no_valid_session_body():
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.12.NoValidSession"}]}}
    with pytest.raises(InvalidCredentials) as info:
        auth.PasswordSession("admin", "hunter2").login(FakeWire(FakeResponse(401, {}, body), login_delay=5))
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
        auth.PasswordSession("u", "p").login(FakeWire(FakeResponse(200, {}, body)))


def test_logout_deletes_the_session_once_and_an_already_gone_session_is_not_an_error():
    for status, gone in ((200, True), (404, False), (401, False)):
        session = auth.AttachedSession("abcd1234", SESSION)
        wire = FakeWire(FakeResponse(status))
        assert session.logout(wire) is gone
        assert wire.sent == [("DELETE", SESSION, None, "AttachedSession", False)]
        assert not session.has_session and session.logout(wire) is False, "nothing is sent a second time"


def test_a_logout_the_bmc_refuses_is_typed_and_the_session_is_not_tried_again():
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.18.InsufficientPrivilege"}]}}
    session = auth.AttachedSession("abcd1234", SESSION)
    with pytest.raises(RedfishError):
        session.logout(FakeWire(FakeResponse(403, {}, body)))
    assert not session.has_session, "the exit-time finalizer must not send it again"


def test_an_attached_session_is_checked_and_found_through_my_session():
    collection = {"Oem": {"Hpe": {"Links": {"MySession": {"@odata.id": SESSION}}}}}
    wire = FakeWire(FakeResponse(200, {}, collection), FakeResponse(200, {}, {"UserName": "ilo_admin"}))
    session = auth.AttachedSession("abcd1234")
    session.login(wire)
    assert (session.session_uri, session.username) == (SESSION, "ilo_admin")
    assert [s[:2] for s in wire.sent] == [("GET", FakeWire.login_uri), ("GET", SESSION)]
    assert not session.can_refresh, "there is no password to log in again with"
    assert session.detach() == ("abcd1234", SESSION) and not session.has_session


def test_basic_and_no_auth_create_nothing_to_log_out_or_refresh():
    for obj in (auth.BasicAuth("admin", "pw"), auth.NoAuth()):
        assert not obj.has_session and not obj.can_refresh and obj.session_uri is None
        assert obj.logout(FakeWire()) is False
        with pytest.raises(RedfishError, match="no session to hand over"):
            obj.detach()
    wire = FakeWire(FakeResponse(200, {}, {"Members": []}))
    auth.BasicAuth("admin", "pw").login(wire)
    assert wire.sent == [("GET", FakeWire.login_uri, None, None, False)], "sent with the client's own auth"


def test_a_certificate_login_presents_the_certificate_and_reads_the_user_from_the_session():
    wire = FakeWire(
        FakeResponse(200, {"X-Auth-Token": "cert0000", "Location": SESSION}),
        FakeResponse(200, {}, {"UserName": "u"}),
    )
    session = auth.CertificateSession("user.pem", "user.key", "s3cret", refreshable=True)
    session.login(wire)
    assert wire.sent[0] == ("GET", auth.CERTIFICATE_LOGIN_URI, None, "NoAuth", True)
    assert (session.username, session.token, session.can_refresh) == ("u", "cert0000", True)
    assert session.client_identity == ("user.pem", "user.key", "s3cret")
    session.drop_credentials()
    assert session.client_identity.key_password is None and not session.can_refresh


def test_auth_for_maps_each_method_name_to_its_object():
    assert type(auth.auth_for("session", "a", "p")) is auth.PasswordSession
    assert type(auth.auth_for("session", token="t", session_uri=SESSION)) is auth.AttachedSession
    assert type(auth.auth_for("basic", "a", "p")) is auth.BasicAuth
    assert type(auth.auth_for("certificate", cert="c.pem")) is auth.CertificateSession
    assert type(auth.auth_for("none")) is auth.NoAuth
    with pytest.raises(ValueError, match="auth must be one of"):
        auth.auth_for("digest")
    with pytest.raises(ValueError, match="needs username"):
        auth.auth_for("basic", "a")


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
        "Check the user name and password (some BMCs, iLO among them, delay the next login after a failure)."
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


ILO_ROOT = {
    "@odata.id": "/redfish/v1/",
    "RedfishVersion": "1.13.0",
    "Vendor": "HPE",
    "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions/"}},
    "Oem": {"Hpe": {"Manager": [{"ManagerType": "iLO 6"}]}},
}


def cert_login_route(refusal=None):
    """iLO's certificate login page behind an iLO service root (the root is what makes the client use it)."""

    def route(method, path, headers):
        if path.rstrip("/") == "/redfish/v1":
            return 200, {"Content-Type": "application/json"}, json.dumps(ILO_ROOT).encode()
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
    with LocalServer(cert_login_route(getattr(request, "param", None)), tls=ctx) as server:
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
        auth.CertificateSession("c.pem").login(FakeWire(FakeResponse(200, {}, {})))
    assert "auth=" not in info.value.hint and "certificate login opened no Redfish session" in info.value.hint
    with pytest.raises(RedfishError) as session:
        auth.PasswordSession("u", "p").login(FakeWire(FakeResponse(201, {}, {})))
    assert 'try auth="basic"' in session.value.hint


def test_a_certificate_login_refused_without_details_points_at_the_checklist():
    body = {"error": {"@Message.ExtendedInfo": [{"MessageId": "Base.1.18.InsufficientPrivilege"}]}}
    with pytest.raises(RedfishError) as info:
        auth.CertificateSession("c.pem").login(FakeWire(FakeResponse(403, {}, body)))
    assert type(info.value).__name__ == "CertificateError"
    assert (
        "redfishnb.oem.ilo.certificate_login_problems(admin, cert) lists what is missing" in info.value.hint
    )
