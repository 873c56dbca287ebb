"""The client against a DMTF-standard service, end to end: ``MockBMC(flavor="openbmc")`` (bmcweb's behaviour).

Certificate sessions for each mapping attribute, TOTP logins (one code, and a secret across a code change),
a login that must change its password, the lockout and Basic-disabled wording. Every test ends with zero
sessions on the mock (the ``openbmc`` fixture checks).
"""

from __future__ import annotations

import pytest

from redfishnb import accounts, auth, certs, connect, errors
from redfishnb.mock.standard.client_pki import issue_client

ACCOUNT_SERVICE = "/redfish/v1/AccountService"
TRUSTSTORE = "/redfish/v1/Managers/bmc/Truststore/Certificates"


def _mfa(admin, **client_certificate):
    admin.patch(ACCOUNT_SERVICE, json={"MultiFactorAuth": {"ClientCertificate": client_certificate}})


@pytest.fixture
def client_ca(admin):
    """A lab CA the BMC trusts for client certificates (uploaded to the manager's Truststore)."""
    ca = certs.LabCA.create("client CA")
    admin.post(TRUSTSTORE, json={"CertificateString": ca.cert_pem.decode(), "CertificateType": "PEM"})
    return ca


def _connect_with(bmc, pair, tmp_path, name="user"):
    crt, key = pair.write(tmp_path, name)
    return connect(bmc.url, auth="certificate", cert=str(crt), key=str(key), verify=bmc.ca_file, reauth=True)


# -- sessions on a standard service ------------------------------------------------------------------------------


def test_a_password_session_keeps_bmcwebs_relative_location_as_its_own_session(openbmc):
    with connect(openbmc.url, "operator", "operator", verify=openbmc.ca_file) as client:
        login = client.exchanges[-1]
        assert login.response_headers["Location"].startswith("/redfish/v1/SessionService/Sessions/")
        assert client.session_uri == login.response_headers["Location"]
        mine = client.my_session().json
        assert (mine["@odata.id"], mine["UserName"]) == (client.session_uri, "operator")
        assert "Oem" not in mine
        assert client.exchanges[-1].url == openbmc.url + client.session_uri, "no MySession link to look for"


# -- certificate sessions ----------------------------------------------------------------------------------------


def test_certificate_session_by_common_name(openbmc, admin, client_ca, tmp_path):
    with _connect_with(openbmc, client_ca.issue("admin"), tmp_path) as client:
        login = [e for e in client.exchanges if e.method == "POST"][-1]
        assert (login.url.endswith("/Sessions"), login.request_json, login.status) == (True, {}, 201)
        assert (client.auth_method, client.username) == ("certificate", "admin")
        assert client.get("/redfish/v1/Systems").status == 200
        assert not any(e.url.endswith("/html/login_cert.html") for e in client.exchanges)


def test_certificate_session_by_user_principal_name(openbmc, admin, client_ca, tmp_path):
    _mfa(admin, CertificateMappingAttribute="UserPrincipalName")
    pair = issue_client(client_ca, "Lab Admin", upn="admin@lab.example")
    with _connect_with(openbmc, pair, tmp_path) as client:
        assert client.username == "admin" and client.my_session().json["UserName"] == "admin"
    wrong_domain = issue_client(client_ca, "admin", upn="admin@elsewhere.example")
    with pytest.raises(errors.CertificateNotMapped) as info:
        _connect_with(openbmc, wrong_domain, tmp_path, "elsewhere")
    assert "UserPrincipalName: the certificate carries a UPN" in info.value.hint


def test_certificate_session_by_the_whole_certificate(openbmc, admin, client_ca, tmp_path):
    pair = client_ca.issue("not-a-user-name")
    admin.post(
        "/redfish/v1/AccountService/Accounts/admin/Certificates",
        json={"CertificateString": pair.cert_pem.decode(), "CertificateType": "PEM"},
    )
    _mfa(admin, CertificateMappingAttribute="Whole")
    with _connect_with(openbmc, pair, tmp_path) as client:
        assert client.username == "admin"
    with pytest.raises(errors.CertificateNotMapped):  # same CA, another certificate: not that account's
        _connect_with(openbmc, client_ca.issue("admin"), tmp_path, "other")


def test_a_mapped_certificate_authenticates_each_request_even_after_its_session_went(
    openbmc, admin, client_ca, tmp_path
):
    """DMTF/bmcweb: over mutual TLS the certificate itself authenticates every request, so a deleted session
    does not stop the client (no 401, no re-login), and logging out of the gone session is no error."""
    with _connect_with(openbmc, client_ca.issue("admin"), tmp_path) as client:
        admin.delete(client.session_uri)
        assert client.get("/redfish/v1/Systems").status == 200
        assert not any(e.note for e in client.exchanges), "no re-login was needed"
        assert client.logout() is False


def test_certificate_refusals_name_the_cause_and_the_setting(openbmc, admin, client_ca, tmp_path):
    with pytest.raises(errors.CertificateNotMapped) as unmapped:
        _connect_with(openbmc, client_ca.issue("nobody"), tmp_path, "nobody")
    assert (
        "(yours is 'nobody')" in unmapped.value.hint and "CertificateMappingAttribute" in unmapped.value.hint
    )
    stranger = certs.LabCA.create("stranger CA").issue("admin")
    with pytest.raises(errors.CertificateNotTrusted) as untrusted:
        _connect_with(openbmc, stranger, tmp_path, "stranger")
    assert "Truststore/Certificates" in untrusted.value.hint and "HpeCertAuth" not in untrusted.value.hint
    _mfa(admin, Enabled=False)
    with pytest.raises(errors.CertificateNotMapped) as disabled:
        _connect_with(openbmc, client_ca.issue("admin"), tmp_path, "disabled")
    assert disabled.value.hint.startswith(
        "An administrator checks AccountService.MultiFactorAuth.ClientCertificate: Enabled must be true"
    )


# -- two-factor: TOTP ----------------------------------------------------------------------------------------------


@pytest.fixture
def totp_operator(openbmc, admin):
    """TOTP on, and a secret for "operator" (generated by the administrator)."""
    admin.patch(ACCOUNT_SERVICE, json={"MultiFactorAuth": {"TimeBasedOneTimePassword": {"Enabled": True}}})
    secret = accounts.generate_totp_secret(admin, "operator")
    generated = [e for e in admin.exchanges if e.url.endswith("GenerateSecretKey")][-1]
    assert (
        generated.response_json == {"SecretKey": "***"} and secret.reveal() not in admin.exchanges.to_curl()
    )
    return auth.TotpSecret(secret.reveal(), clock=openbmc.clock.now)  # codes on the BMC's clock


def test_a_totp_account_logs_in_with_the_code_of_the_moment(openbmc, totp_operator):
    v = openbmc.ca_file
    with pytest.raises(errors.OneTimePasscodeRequired) as missing:
        connect(openbmc.url, "operator", "operator", verify=v)
    assert 'otp="123456"' in missing.value.hint and "otp_secret=" in missing.value.hint
    code = totp_operator.code()
    with connect(openbmc.url, "operator", "operator", otp=code, verify=v) as client:
        login = [e for e in client.exchanges if e.method == "POST"][-1]
        assert login.request_json == {"UserName": "operator", "Password": "***", "Token": "***"}
        assert code not in client.exchanges.to_curl() and '"Token": "$OTP"' in login.to_curl()
    with pytest.raises(errors.InvalidCredentials) as replayed:  # a code works once
        connect(openbmc.url, "operator", "operator", otp=code, verify=v)
    assert replayed.value.hint.startswith("Check the code and the password")


def test_otp_secret_logs_in_again_after_the_code_changed(openbmc, totp_operator):
    with connect(
        openbmc.url, "operator", "operator", otp_secret=totp_operator, reauth=True, verify=openbmc.ca_file
    ) as client:
        first_code = totp_operator.code()
        openbmc.advance_clock(95)  # three time steps later: another code
        assert totp_operator.code() != first_code
        openbmc.clear_sessions()
        assert client.get("/redfish/v1/Systems").status == 200
        notes = [e.note for e in client.exchanges]
        assert notes[-2:] == ["re-login after NoValidSession (reauth=True)", "retried after re-login"]
        shown = client.exchanges.to_curl() + repr(client) + repr(client._auth)
        assert totp_operator.reveal() not in shown and first_code not in shown


def test_an_account_generates_and_clears_its_own_totp_secret(openbmc, admin):
    admin.patch(ACCOUNT_SERVICE, json={"MultiFactorAuth": {"TimeBasedOneTimePassword": {"Enabled": True}}})
    with connect(openbmc.url, "student", "student", verify=openbmc.ca_file) as student:
        secret = accounts.generate_totp_secret(student)
        assert secret.reveal() not in repr(secret)
        assert student.get("/redfish/v1/AccountService/Accounts/student").json["SecretKeySet"] is True
        accounts.clear_totp_secret(student)
    with connect(openbmc.url, "student", "student", verify=openbmc.ca_file) as again:  # no code needed now
        assert again.get("/redfish/v1/AccountService/Accounts/student").json["SecretKeySet"] is False


# -- PasswordChangeRequired --------------------------------------------------------------------------------------


def test_a_login_that_must_change_its_password_changes_it_and_is_then_unrestricted(openbmc):
    openbmc.add_account("newhire", "Initial-1", role="Operator", password_change_required=True)
    with connect(openbmc.url, "newhire", "Initial-1", verify=openbmc.ca_file) as client:
        assert client.password_change_required
        assert client.my_session().json["UserName"] == "newhire", "its own session is readable"
        with pytest.raises(errors.PasswordChangeRequired) as info:
            client.get("/redfish/v1/Systems")
        assert (
            info.value.status == 403
            and info.value.account_uri == "/redfish/v1/AccountService/Accounts/newhire"
        )
        assert 'client.change_password("<new password>")' in info.value.hint
        assert client.change_password("Changed-22") == "/redfish/v1/AccountService/Accounts/newhire"
        assert not client.password_change_required
        assert client.get("/redfish/v1/Systems").status == 200
        patch = [e for e in client.exchanges if e.method == "PATCH"][-1]
        assert patch.request_json == {"Password": "***"} and "Changed-22" not in client.exchanges.to_curl()
    with connect(openbmc.url, "newhire", "Changed-22", verify=openbmc.ca_file) as again:
        assert not again.password_change_required


def test_a_basic_client_finds_its_account_by_user_name_and_keeps_working_after_the_change(openbmc):
    openbmc.add_account("newhire", "Initial-1", role="ReadOnly", password_change_required=True)
    with connect(openbmc.url, "newhire", "Initial-1", auth="basic", verify=openbmc.ca_file) as client:
        with pytest.raises(errors.PasswordChangeRequired):
            client.get("/redfish/v1/Systems")
        assert client.change_password("Changed-22").endswith("/Accounts/newhire")
        assert client.get("/redfish/v1/Systems").status == 200, "Basic now sends the new password"
        gets = [e.url for e in client.exchanges if e.method == "GET"]
        assert gets.count(openbmc.url + "/redfish/v1/AccountService/Accounts/newhire") >= 1


# -- lockout and Basic -------------------------------------------------------------------------------------------


def test_a_locked_account_is_worded_with_the_lockout_and_the_unlock(openbmc, admin):
    admin.patch(ACCOUNT_SERVICE, json={"AccountLockoutThreshold": 2, "AccountLockoutDuration": 600})
    for _ in range(2):
        with pytest.raises(errors.InvalidCredentials):
            connect(openbmc.url, "student", "wrong", verify=openbmc.ca_file)
    with pytest.raises(errors.InvalidCredentials) as locked:  # the right password, refused like a wrong one
        connect(openbmc.url, "student", "student", verify=openbmc.ca_file)
    hint = locked.value.hint
    assert "may be locked after too many failed logins (AccountLockoutThreshold)" in hint
    assert "It unlocks by itself after the lockout duration set by the administrator" in hint
    assert 'PATCH {"Locked": false} to /redfish/v1/AccountService/Accounts/student' in hint
    assert admin.get("/redfish/v1/AccountService/Accounts/student").json["Locked"] is True
    admin.patch("/redfish/v1/AccountService/Accounts/student", json={"Locked": False})
    with connect(openbmc.url, "student", "student", verify=openbmc.ca_file) as client:
        assert client.username == "student"


def test_basic_refused_because_http_basic_auth_is_disabled(openbmc, admin):
    with connect(openbmc.url, "student", "student", auth="basic", verify=openbmc.ca_file) as enabled:
        assert enabled.get("/redfish/v1/Systems").status == 200
    admin.patch(ACCOUNT_SERVICE, json={"HTTPBasicAuth": "Disabled"})
    with pytest.raises(errors.BasicAuthDisabled) as info:
        connect(openbmc.url, "student", "student", auth="basic", verify=openbmc.ca_file)
    assert "HTTPBasicAuth is Disabled" in info.value.message and 'auth="session"' in info.value.hint
    with connect(openbmc.url, "student", "student", verify=openbmc.ca_file) as session:
        assert session.auth_method == "session"


def test_a_non_administrator_certificate_session_logs_out(openbmc, admin, client_ca, tmp_path):
    try:
        with _connect_with(openbmc, client_ca.issue("operator"), tmp_path) as client:
            assert client.username == "operator"
    finally:
        left = [s for s in openbmc.sessions() if s["username"] == "operator"]
        openbmc.clear_sessions()  # whatever the outcome, the test leaves no session (the admin's is gone too)
        admin.logout()
    assert left == []


def test_a_handed_over_session_needs_its_uri_on_a_standard_service(openbmc):
    first = connect(openbmc.url, "operator", "operator", verify=openbmc.ca_file)
    token, uri = first.detach()
    with pytest.raises(errors.RedfishError, match="does not say which session") as info:
        connect(openbmc.url, token=token, verify=openbmc.ca_file)
    assert "session_uri=" in info.value.hint and token not in info.value.friendly
    with connect(openbmc.url, token=token, session_uri=uri, verify=openbmc.ca_file) as attached:
        assert (attached.username, attached.session_uri) == ("operator", uri)
