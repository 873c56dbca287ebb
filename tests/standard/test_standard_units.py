"""The client's DMTF-standard paths, one object and branch at a time, over a fake wire (no server).

Which service it is (iLO or standard) comes from the service root; a standard service gets the certificate login
by session POST, TOTP codes in ``Token``, and refusals worded for what such a service can and cannot tell.
"""

from __future__ import annotations

import pickle

import pyotp
import pytest

from redfishnb import auth, errors
from redfishnb.auth.refusals import lockout_settings, standard_login_failed

from .conftest import OPENBMC_ROOT, SESSIONS, FakeResponse, FakeWire, base_error, created

ILO_ROOT = {"Vendor": "HPE", "Oem": {"Hpe": {"Manager": [{"ManagerType": "iLO 6"}]}}}
RMC_ROOT = {"Vendor": "HPE", "RedfishVersion": "1.6.0"}  # Superdome Flex: HPE, but no iLO login page
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# -- which service ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "ilo", "standard"),
    [
        (ILO_ROOT, True, False),
        ({"Oem": {"Hpe": {}}}, True, False),  # an older iLO root without the Manager list
        ({"Oem": {"Hpe": {"Manager": [{"ManagerType": "Superdome"}]}}}, False, True),
        (RMC_ROOT, False, True),
        (OPENBMC_ROOT, False, True),
        (None, False, False),  # not read: neither
    ],
)
def test_the_service_root_says_ilo_or_standard(root, ilo, standard):
    assert (auth.is_ilo(root), auth.is_standard(root)) == (ilo, standard)


def test_auth_for_picks_the_certificate_login_of_the_service():
    assert (
        type(auth.auth_for("certificate", cert="c.pem", root=OPENBMC_ROOT)) is auth.StandardCertificateSession
    )
    assert type(auth.auth_for("certificate", cert="c.pem", root=ILO_ROOT)) is auth.CertificateSession
    assert type(auth.auth_for("certificate", cert="c.pem")) is auth.CertificateSession, "root unread: iLO's"
    assert auth.auth_for("basic", "a", "p", root=OPENBMC_ROOT).standard is True
    assert auth.auth_for("basic", "a", "p", root=ILO_ROOT).standard is False
    assert auth.auth_for("session", "a", "p", root=OPENBMC_ROOT).standard is True
    assert auth.auth_for("session", "a", "p").standard is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"method": "session", "otp": "123456", "otp_secret": SECRET}, "not both"),
        ({"method": "basic", "otp_secret": SECRET}, "belong to a password login"),
        ({"method": "session", "token": "t", "otp": "123456"}, "belong to a password login"),
        ({"method": "session", "otp_secret": "not base32!"}, "not a Base32 TOTP secret"),
    ],
)
def test_two_factor_arguments_that_do_not_fit_are_refused_before_any_request(kwargs, words):
    method = kwargs.pop("method")
    with pytest.raises(ValueError, match=words):
        auth.auth_for(method, "a", "p", **kwargs)


# -- TOTP ------------------------------------------------------------------------------------------------------


def test_a_totp_secret_computes_rfc_6238_codes_and_never_shows_itself():
    secret = auth.TotpSecret(SECRET.lower()[:16] + " " + SECRET[16:], clock=lambda: 59.0)
    assert secret.reveal() == SECRET, "spaces and case of a pasted secret do not matter"
    assert secret.code() == pyotp.TOTP(SECRET).at(59) and secret.code(at=61) == pyotp.TOTP(SECRET).at(61)
    for shown in (repr(secret), str(secret), f"{secret}"):
        assert SECRET not in shown and "***" in shown
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(secret)


def test_a_second_login_in_the_same_time_step_uses_the_next_steps_code():
    """A service refuses a code twice (RFC 6238 §5.2); it accepts one step ahead, so a re-login within the same
    30 s sends the next step's code, and once time has moved on, the code of that moment again."""
    now = [90.0]
    secret = auth.TotpSecret(SECRET, clock=lambda: now[0])
    totp = pyotp.TOTP(SECRET)
    assert secret.login_code() == totp.at(90)
    assert secret.login_code() == totp.at(120), "same step: the next one"
    now[0] = 200.0
    assert secret.login_code() == totp.at(200)


def test_a_totp_login_sends_a_fresh_code_at_each_login_and_keeps_no_secret_without_reauth():
    now = [1000.0]
    secret = auth.TotpSecret(SECRET, clock=lambda: now[0])
    session = auth.PasswordSession("op", "pw", otp_secret=secret, refreshable=True, standard=True)
    wire = FakeWire(created(), created(token="ZyXwVuTsRq9876543210"))
    session.login(wire)
    now[0] += 30
    session.refresh(wire)
    codes = [sent[2]["Token"] for sent in wire.sent]
    assert codes == [pyotp.TOTP(SECRET).at(1000), pyotp.TOTP(SECRET).at(1030)]
    assert session.session_uri == f"{SESSIONS}/Ab3dE6gH9j", "bmcweb's relative Location is the session"
    assert SECRET not in repr(session)
    once = auth.PasswordSession("op", "pw", otp_secret=auth.TotpSecret(SECRET), standard=True)
    once.login(FakeWire(created()))
    assert once._secret is None and not once.can_refresh


def test_otp_secret_on_an_ilo_says_ilo_mails_its_passcodes():
    session = auth.PasswordSession("u", "p", otp_secret=auth.TotpSecret(SECRET), standard=False)
    wire = FakeWire()
    with pytest.raises(errors.RedfishError, match="this BMC is an iLO") as info:
        session.login(wire)
    assert 'otp="<passcode>"' in info.value.hint and wire.sent == [], "nothing was sent"


# -- refused logins on a standard service ------------------------------------------------------------------------


def _refused(status, key, *args):
    return FakeResponse(status, {}, base_error(status, key, *args))


def test_a_missing_code_tells_how_to_pass_one():
    session = auth.PasswordSession("op", "pw", standard=True)
    with pytest.raises(errors.OneTimePasscodeRequired) as info:
        session.login(FakeWire(_refused(401, "AuthenticationTokenRequired")))
    assert 'otp="123456"' in info.value.hint and "otp_secret=" in info.value.hint
    assert "receive a passcode" not in info.value.hint, "that is iLO's e-mailed passcode"


def test_a_refused_code_names_the_code_first_and_the_lockout_after():
    session = auth.PasswordSession("op", "pw", otp="123456", standard=True)
    wire = FakeWire(_refused(401, "ResourceAtUriUnauthorized", SESSIONS, "Unauthorized"), FakeResponse(401))
    with pytest.raises(errors.InvalidCredentials) as info:
        session.login(wire)
    hint = info.value.hint
    assert hint.startswith("Check the code and the password") and "otp_secret=" in hint
    assert "after the lockout duration set by the administrator" in hint
    assert 'PATCH {"Locked": false} to /redfish/v1/AccountService/Accounts/op' in hint
    assert wire.sent[1][:2] == ("GET", "/redfish/v1/AccountService") and wire.sent[1][3] == "NoAuth"


@pytest.mark.parametrize(
    ("account_service", "words", "absent"),
    [
        (
            {"AccountLockoutThreshold": 3, "AccountLockoutDuration": 300},
            "unlocks by itself 5 min after",
            None,
        ),
        ({"AccountLockoutThreshold": 3, "AccountLockoutDuration": 0}, "until an administrator unlocks", None),
        (
            {"AccountLockoutThreshold": 0, "AccountLockoutDuration": 300},
            "Check the user name and password.",
            "lock",
        ),
    ],
)
def test_a_readable_account_service_says_when_a_locked_account_unlocks(account_service, words, absent):
    wire = FakeWire(FakeResponse(200, {}, account_service))
    error = standard_login_failed(
        _refused(401, "ResourceAtUriUnauthorized"),
        "POST",
        SESSIONS,
        username="student",
        token_sent=False,
        lockout=lambda: lockout_settings(wire),
    )
    assert type(error) is errors.InvalidCredentials and words in error.hint
    assert absent is None or absent not in error.hint


def test_lockout_settings_are_unknown_when_the_service_cannot_be_read():
    assert lockout_settings(FakeWire(errors.BMCUnreachable("gone"))) is None
    assert lockout_settings(FakeWire(FakeResponse(401))) is None


def test_a_login_that_must_change_its_password_is_held_and_marked():
    body = {
        "@Message.ExtendedInfo": [{"MessageId": "Base.1.19.PasswordChangeRequired", "MessageArgs": ["/a/1"]}]
    }
    session = auth.PasswordSession("newhire", "pw", standard=True)
    session.login(FakeWire(created(**body)))
    assert session.has_session and session.password_change_uri == "/a/1"
    session.password_changed("new")
    assert session.password_change_uri is None


def test_after_a_password_change_the_kept_credentials_follow_it():
    basic = auth.BasicAuth("u", "old")
    basic.password_changed("n3w-Passw0rd")
    assert basic.password == "n3w-Passw0rd"
    kept = auth.PasswordSession("u", "old", refreshable=True)
    kept.password_changed("n3w-Passw0rd")
    assert kept._password == "n3w-Passw0rd"
    dropped = auth.PasswordSession("u", "old")
    dropped.login(FakeWire(created()))
    dropped.password_changed("n3w-Passw0rd")
    assert dropped._password is None, "a password dropped after login is not brought back"


# -- Basic on a standard service ---------------------------------------------------------------------------------


def test_a_basic_401_without_a_basic_challenge_says_http_basic_auth_is_disabled():
    error = auth.basic_login_refused(_refused(401, "NoValidSession"), SESSIONS, "admin", standard=True)
    assert type(error) is errors.BasicAuthDisabled and isinstance(error, errors.InvalidCredentials)
    assert "AccountService.HTTPBasicAuth is Disabled" in error.message
    assert 'auth="session"' in error.hint and '{"HTTPBasicAuth": "Enabled"}' in error.hint


def test_a_basic_401_with_the_challenge_is_a_wrong_password_worded_for_a_standard_service():
    answer = FakeResponse(
        401, {"WWW-Authenticate": 'Basic realm="Redfish"'}, base_error(401, "NoValidSession")
    )
    error = auth.basic_login_refused(answer, SESSIONS, "admin", standard=True)
    assert type(error) is errors.InvalidCredentials
    assert error.hint.startswith("Check the user name and password. An account with a time-based code (TOTP)")
    assert "If they are right, the account may be locked" in error.hint
    assert "iLO" not in error.hint
    ilo = auth.basic_login_refused(FakeResponse(401), SESSIONS, "admin")
    assert type(ilo) is errors.InvalidCredentials and "iLO among them, delay the next login" in ilo.hint


# -- certificate login by session POST ---------------------------------------------------------------------------


def test_a_standard_certificate_login_posts_no_credentials_over_mutual_tls():
    session = auth.StandardCertificateSession("c.pem", "c.key", refreshable=True)
    wire = FakeWire(created(UserName="admin"))
    session.login(wire)
    assert wire.sent == [("POST", SESSIONS, {}, "NoAuth", True)]
    assert (session.username, session.session_uri, session.method) == (
        "admin",
        f"{SESSIONS}/Ab3dE6gH9j",
        "certificate",
    )
    assert session.can_refresh


def test_an_unmapped_certificate_names_the_mapping_settings_and_its_common_name(tmp_path):
    from redfishnb import certs

    crt, key = certs.LabCA.create().issue("nobody").write(tmp_path, "nobody")
    session = auth.StandardCertificateSession(str(crt), str(key))
    answer = FakeResponse(400, {}, base_error(400, "PropertyMissing", "UserName"))
    with pytest.raises(errors.CertificateNotMapped) as info:
        session.login(FakeWire(answer))
    hint = info.value.hint
    assert "ClientCertificate: Enabled must be true" in hint and "CertificateMappingAttribute" in hint
    assert "(yours is 'nobody')" in hint and "UserPrincipalName" in hint and "Whole" in hint
    assert "HpeCertAuth" not in hint and "UserCertificateMapping" not in hint


def test_a_refusal_the_certificate_is_not_the_cause_of_stays_itself():
    session = auth.StandardCertificateSession("c.pem")
    with pytest.raises(errors.ServiceError):
        session.login(FakeWire(_refused(500, "InternalError")))


def test_an_untrusted_certificate_is_worded_for_the_service_that_refused_it():
    refused = errors.CertificateNotTrusted("the BMC does not trust the CA")
    session = auth.StandardCertificateSession("c.pem")
    with pytest.raises(errors.CertificateNotTrusted) as info:
        session.login(FakeWire(refused))
    assert "Truststore/Certificates" in info.value.hint
    standard = auth.untrusted_by(refused, lambda: OPENBMC_ROOT)
    assert "Truststore/Certificates" in standard.hint and "HpeCertAuth" not in standard.hint
    assert auth.untrusted_by(refused, lambda: ILO_ROOT) is refused
    assert auth.untrusted_by(refused, _unreachable) is refused, "root unreadable: the error as it was"


def _unreachable():
    raise errors.BMCUnreachable("gone")


# -- the errors' wording -----------------------------------------------------------------------------------------


def test_account_locked_says_when_it_unlocks_and_how_an_administrator_unlocks_it():
    known = errors.AccountLocked("locked", unlocks_in=90, account="/redfish/v1/AccountService/Accounts/s")
    assert "unlocks by itself 1 min 30 s after" in known.hint
    assert 'PATCH {"Locked": false} to /redfish/v1/AccountService/Accounts/s' in known.hint
    unknown = errors.AccountLocked("locked")
    assert "after the lockout duration set by the administrator" in unknown.hint
    assert isinstance(unknown, errors.InvalidCredentials)


def test_password_change_required_says_how_to_change_it_from_the_client():
    error = errors.error_from_response(
        403, base_error(403, "PasswordChangeRequired", "/redfish/v1/AccountService/Accounts/nh")
    )
    assert type(error) is errors.PasswordChangeRequired and error.account_uri.endswith("/nh")
    assert 'client.change_password("<new password>")' in error.hint
    assert 'client.change_password("<new password>")' in errors.PasswordChangeRequired("x").hint
