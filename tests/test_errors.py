"""error_from_response: both error shapes of the seed document, the most specific class, helpful texts."""

from __future__ import annotations

import pytest
from _payloads import RMC_NO_VALID_SESSION, ilo_error

from redfishnb import errors, wording
from redfishnb.errors import error_from_response, mapping


def test_ilo_terse_no_valid_session_reads_well():
    error = error_from_response(
        401, ilo_error({"MessageId": "Base.1.12.NoValidSession"}), url="/redfish/v1/Systems/"
    )
    assert type(error) is errors.NoValidSession
    assert error.message_ids == ("Base.1.12.NoValidSession",)
    assert "no valid session" in str(error).lower() and "What to do:" in str(error)
    assert "reauth=True" in error.hint


def test_rmc_full_message_is_used_verbatim():
    error = error_from_response(401, RMC_NO_VALID_SESSION)
    assert type(error) is errors.NoValidSession
    assert error.messages == ("There is no valid session established with the implementation.",)


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (401, ilo_error({"MessageId": "iLO.2.34.UnauthorizedLoginAttempt"}), errors.InvalidCredentials),
        (403, ilo_error({"MessageId": "Base.1.18.InsufficientPrivilege"}), errors.InsufficientPrivilege),
        (503, ilo_error({"MessageId": "Base.1.18.SessionLimitExceeded"}), errors.SessionLimitReached),
        (400, ilo_error({"MessageId": "Base.1.4.CreateLimitReachedForResource"}), errors.SessionLimitReached),
        (403, ilo_error({"MessageId": "iLO.2.34.LicenseKeyRequired"}), errors.LicenseRequired),
        (
            200,
            ilo_error({"MessageId": "Base.1.17.OneTimePasscodeSent", "MessageArgs": ["configured mail"]}),
            errors.OneTimePasscodeRequired,
        ),
        (403, ilo_error({"MessageId": "iLO.2.34.CertificateLoginDisabled"}), errors.CertificateLoginDisabled),
        (
            403,
            ilo_error(
                {
                    "MessageId": "iLO.2.34.InvalidClientCertificate",
                    "MessageArgs": ["the certificate is not signed by a trusted CA"],
                }
            ),
            errors.CertificateNotTrusted,
        ),
        (
            403,
            ilo_error(
                {
                    "MessageId": "iLO.2.34.InvalidClientCertificate",
                    "MessageArgs": ["the certificate has expired"],
                }
            ),
            errors.CertificateExpired,
        ),
        (
            403,
            ilo_error(
                {
                    "MessageId": "iLO.2.34.InvalidClientCertificate",
                    "MessageArgs": ["the certificate is not yet valid"],
                }
            ),
            errors.CertificateExpired,
        ),
        (
            403,
            ilo_error(
                {
                    "MessageId": "iLO.2.34.InvalidClientCertificate",
                    "MessageArgs": ["the certificate is not mapped to a user"],
                }
            ),
            errors.CertificateNotMapped,
        ),
        (
            403,
            ilo_error(
                {
                    "MessageId": "iLO.2.34.InvalidClientCertificate",
                    "MessageArgs": ["no client certificate was presented"],
                }
            ),
            errors.CertificateError,
        ),
        (404, ilo_error({"MessageId": "Base.1.18.ResourceMissingAtURI"}), errors.ResourceNotFound),
        (405, None, errors.MethodNotAllowed),
        (412, ilo_error({"MessageId": "Base.1.18.PreconditionFailed"}), errors.PreconditionFailed),
        (400, ilo_error({"MessageId": "Base.1.18.PropertyValueTypeError"}), errors.BadRequest),
        (500, "<html>oops</html>", errors.ServiceError),
    ],
)
def test_most_specific_class(status, body, cls):
    error = error_from_response(status, body, method="POST", url="/redfish/v1/SessionService/Sessions/")
    assert type(error) is cls
    assert isinstance(error, errors.RedfishError)
    assert error.status == status and error.hint


def test_login_delay_from_the_message_args():
    body = ilo_error(
        {"MessageId": "iLO.2.34.UnauthorizedLoginAttempt"},
        {"MessageId": "iLO.2.34.LoginAttemptDelayedSeconds", "MessageArgs": [10]},
    )
    error = error_from_response(401, body)
    assert error.delay == 10.0 and "wait 10 s" in error.hint


def test_session_limit_says_how_to_list_and_delete_sessions():
    error = error_from_response(
        503,
        ilo_error({"MessageId": "Base.1.18.SessionLimitExceeded"}),
        url="/redfish/v1/SessionService/Sessions/",
    )
    assert "GET /redfish/v1/SessionService/Sessions" in error.hint and "delete" in error.hint.lower()


def test_password_change_required_names_the_account():
    body = ilo_error(
        {
            "MessageId": "Base.1.18.PasswordChangeRequired",
            "MessageArgs": ["/redfish/v1/AccountService/Accounts/3/"],
        }
    )
    error = error_from_response(403, body)
    assert type(error) is errors.PasswordChangeRequired
    assert error.account_uri == "/redfish/v1/AccountService/Accounts/3/" and error.account_uri in error.hint


def test_transport_errors_carry_their_facts():
    unreachable = errors.BMCUnreachable("Could not reach bmc:443.", host="bmc", timeout=3.0)
    assert unreachable.host == "bmc" and unreachable.timeout == 3.0 and unreachable.status is None
    tls = errors.TLSVerificationFailed("bad certificate", fingerprint="sha256:" + "a" * 64)
    assert 'verify="sha256:' in tls.hint
    assert repr(tls).startswith("<TLSVerificationFailed: bad certificate")


def test_an_unrecognised_client_certificate_reason_stays_a_certificate_error():
    body = ilo_error(
        {"MessageId": "iLO.2.34.InvalidClientCertificate", "MessageArgs": ["the key usage is wrong"]}
    )
    error = error_from_response(403, body, url="/html/login_cert.html")
    assert type(error) is errors.CertificateError and "key usage" in str(error)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (0.4, "0 s"),
        (45, "45 s"),
        (-45, "45 s"),  # the sign is the caller's "behind" / "ahead of"
        (59.4, "59 s"),
        (59.5, "1 min"),  # rounding carries into the next unit
        (60, "1 min"),
        (61, "1 min 1 s"),
        (3599, "59 min 59 s"),
        (3599.6, "1 h"),
        (3600, "1 h"),
        (3629, "1 h"),  # 29 s rounds to 0 min, which is not shown
        (3630, "1 h 1 min"),
        (3 * 3600 + 12 * 60, "3 h 12 min"),
        (86399, "1 day"),  # 23 h 59 min 59 s rounds to 24 h
        (86400, "1 day"),
        (90000, "1 day 1 h"),
        (2 * 86400, "2 days"),
        (28928328, "334 days 20 h"),  # notebook 04's mock BMC, most of a year behind
    ],
)
def test_durations_read_in_human_units_at_the_unit_boundaries(seconds, text):
    assert wording.format_duration(seconds) == text


def test_the_login_delay_uses_the_shared_duration_format():
    error = errors.InvalidCredentials("refused", delay=90)
    assert "wait 1 min 30 s before the next attempt" in error.hint


def test_a_missing_ca_file_in_a_temporary_directory_points_at_its_writer(tmp_path):
    gone = tmp_path / "redfishnb-bmc-x" / "ca.pem"
    error = errors.CAFileNotFound(
        f"verify={str(gone)!r}: the CA file or directory does not exist.", path=str(gone)
    )
    assert isinstance(error, FileNotFoundError) and isinstance(error, errors.RedfishError)
    assert error.hint == (
        "The path is in a temporary directory: whatever wrote the BMC's CA file there (an embedded mock BMC, for "
        "example) has probably stopped and removed it. Start it again and pass its new CA file (bmc.ca_file)."
    )


def test_a_missing_file_elsewhere_is_only_a_path_to_check(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    hint = wording.missing_file_hint("/srv/pki/ca.pem", "the CA file")
    assert hint == f"Check the path (relative paths start at the current folder, {tmp_path})."
    assert "temporary" not in hint


def test_no_hint_is_hard_wrapped_and_none_splits_an_identifier():
    """Hints are one paragraph: newlines would break the widgets' status line and split names like
    redfishnb.oem.ilo.import_ca_certificate across lines."""
    hints = [
        cls.default_hint
        for cls in vars(errors).values()
        if isinstance(cls, type) and hasattr(cls, "default_hint")
    ]
    hints += list(errors.PASSCODE_HINTS.values())
    for hint in hints:
        assert "\n" not in hint and "  " not in hint, hint


def test_a_refused_license_key_is_not_called_a_missing_license():
    error = error_from_response(400, ilo_error({"MessageId": "iLO.2.34.InvalidLicenseKey"}), method="POST")
    assert type(error) is errors.BadRequest and "check the key" in error.hint
    missing = error_from_response(403, ilo_error({"MessageId": "iLO.2.34.LicenseKeyRequired"}))
    assert type(missing) is errors.LicenseRequired and "needs an iLO Advanced license" in missing.hint


class _Headers:
    def __init__(self, headers):
        self.headers = headers


def test_method_not_allowed_names_the_methods_the_resource_accepts():
    body = ilo_error({"MessageId": "Base.1.18.ActionNotSupported"})
    error = error_from_response(405, body, method="DELETE", response=_Headers({"Allow": "GET, HEAD"}))
    assert type(error) is errors.MethodNotAllowed
    assert error.hint == "This resource accepts GET, HEAD (its Allow header)."
    assert "Allow header" in error_from_response(405, body).hint  # no response: the general sentence


def test_the_privilege_hint_names_the_privilege_of_each_kind_of_setting():
    hint = errors.InsufficientPrivilege("refused").hint
    assert "UserConfigPriv for accounts, other users' sessions and user certificate mappings" in hint
    assert "iLOConfigPriv for manager settings, certificate login and trusted CAs" in hint


def test_an_unreachable_bmc_offers_a_longer_timeout_only_when_there_was_one():
    assert "raise timeout= (now 2 s)" in errors.BMCUnreachable("x", timeout=2).hint
    assert "timeout" not in errors.BMCUnreachable("x").hint


def test_a_certificate_missing_from_the_login_says_how_to_pass_it():
    body = ilo_error(
        {"MessageId": "iLO.2.34.InvalidClientCertificate", "MessageArgs": ["no client certificate"]}
    )
    error = error_from_response(403, body)
    assert (
        error.hint
        == 'Pass the user certificate and its key: connect(..., auth="certificate", cert=..., key=...).'
    )


def test_two_factor_without_an_email_address_says_so_not_wrong_password():
    body = {
        "error": {
            "code": "iLO.0.10.ExtendedInfo",
            "@Message.ExtendedInfo": [{"MessageId": "iLO.2.34.MailNotConfigured"}],
        }
    }
    error = error_from_response(409, body, method="POST", url="/redfish/v1/SessionService/Sessions/")
    assert isinstance(error, errors.OneTimePasscodeRequired)
    assert "no e-mail address" in error.hint and "password" not in error.hint.lower()


# -- the tables behind error_from_response: one case per MessageId key and per status row -----------------------

SESSIONS_URL = "/redfish/v1/SessionService/Sessions/"

# (MessageId key, its arguments, status, url, the class, words of the hint or None for the class's default hint)
MESSAGE_ROWS = [
    (
        "PasswordChangeRequired",
        ["/redfish/v1/AccountService/Accounts/3/"],
        403,
        "",
        errors.PasswordChangeRequired,
        "to /redfish/v1/AccountService/Accounts/3/",
    ),
    ("PasswordChangeRequired", [], 403, "", errors.PasswordChangeRequired, None),
    ("AccountLocked", [], 401, SESSIONS_URL, errors.AccountLocked, "after the lockout duration set by"),
    ("OneTimePasscodeSent", ["configured mail"], 200, SESSIONS_URL, errors.OneTimePasscodeRequired, None),
    ("MailNotConfigured", [], 409, SESSIONS_URL, errors.OneTimePasscodeRequired, "no e-mail address"),
    ("AuthenticationTokenExpired", [], 401, SESSIONS_URL, errors.OneTimePasscodeRequired, "has expired"),
    (
        "AuthenticationTokenRequired",
        [],
        401,
        SESSIONS_URL,
        errors.OneTimePasscodeRequired,
        "to receive a passcode",
    ),
    ("SessionLimitExceeded", [], 409, SESSIONS_URL, errors.SessionLimitReached, None),
    ("SessionLimitExceeded", [], 503, "/redfish/v1/Systems/", errors.SessionLimitReached, None),
    (
        "CreateLimitReachedForResource",
        [],
        400,
        "/redfish/v1/AccountService/Accounts/",
        errors.SessionLimitReached,
        None,
    ),
    ("CertificateLoginDisabled", [], 403, "/html/login_cert.html", errors.CertificateLoginDisabled, None),
    ("InvalidClientCertificate", ["not signed by a trusted CA"], 403, "", errors.CertificateNotTrusted, None),
    ("InvalidClientCertificate", ["unknown ca"], 403, "", errors.CertificateNotTrusted, None),
    ("InvalidClientCertificate", ["the certificate has expired"], 403, "", errors.CertificateExpired, None),
    ("InvalidClientCertificate", ["not yet valid"], 403, "", errors.CertificateExpired, None),
    ("InvalidClientCertificate", ["not mapped to a user"], 403, "", errors.CertificateNotMapped, None),
    (
        "InvalidClientCertificate",
        ["no client certificate"],
        403,
        "",
        errors.CertificateError,
        'auth="certificate"',
    ),
    ("InvalidClientCertificate", ["the key usage is wrong"], 403, "", errors.CertificateError, None),
    ("LicenseKeyRequired", [], 403, "", errors.LicenseRequired, None),
    ("LicenseRequired", [], 403, "", errors.LicenseRequired, None),
    ("InvalidLicenseKey", [], 400, "", errors.BadRequest, "check the key"),
    ("LicenseKeyDenied", [], 403, "", errors.BadRequest, "check the key"),
    ("UnauthorizedLoginAttempt", [], 401, SESSIONS_URL, errors.InvalidCredentials, None),
    ("LoginAttemptDelayed", [], 401, SESSIONS_URL, errors.InvalidCredentials, None),
    ("LoginAttemptDelayedSeconds", [7], 401, SESSIONS_URL, errors.InvalidCredentials, "wait 7 s"),
    ("ResourceAtUriUnauthorized", ["/x", "401"], 401, "", errors.InvalidCredentials, None),
    ("InsufficientPrivilege", [], 401, "", errors.InsufficientPrivilege, None),
    ("NoValidSession", [], 400, "", errors.NoValidSession, "reauth=True"),
]


@pytest.mark.parametrize(("key", "args", "status", "url", "cls", "hint"), MESSAGE_ROWS)
def test_each_message_id_row_gives_its_error(key, args, status, url, cls, hint):
    body = ilo_error({"MessageId": f"iLO.2.34.{key}", "MessageArgs": args})
    error = error_from_response(status, body, method="POST", url=url)
    assert type(error) is cls
    assert error.status == status and error.message_ids == (f"iLO.2.34.{key}",)
    if hint is None:
        assert error.hint == cls.default_hint
    else:
        assert hint in error.hint


# (status, the class, its hint when it is not the default one); a body without MessageIds
STATUS_ROWS = [
    (401, errors.NoValidSession, None),
    (403, errors.InsufficientPrivilege, None),
    (404, errors.ResourceNotFound, None),
    (405, errors.MethodNotAllowed, None),
    (412, errors.PreconditionFailed, None),
    (400, errors.BadRequest, None),  # any other 4xx
    (409, errors.BadRequest, None),
    (500, errors.ServiceError, None),  # anything else
    (503, errors.ServiceError, None),
    (302, errors.ServiceError, None),
]


@pytest.mark.parametrize(("status", "cls", "hint"), STATUS_ROWS)
def test_each_status_row_gives_its_error(status, cls, hint):
    error = error_from_response(status, {"error": {"code": "Base.1.8.GeneralError", "message": "no"}})
    assert type(error) is cls and error.hint == cls.default_hint
    assert str(error).startswith(f"GET failed with HTTP {status}: no")


def test_every_row_of_both_tables_has_a_case():
    """The cases above are the tables' specification: a row added without a case fails here."""
    covered = {case[0] for case in MESSAGE_ROWS}
    exact = {key for row in mapping._BY_MESSAGE if not row.partial for key in row.keys}
    assert exact <= covered
    for row in mapping._BY_MESSAGE:
        if row.partial:  # a family: some case must reach it, not an exact row before it
            assert any(part in key and key not in exact for key in covered for part in row.keys)
    assert set(mapping._BY_STATUS) <= {case[0] for case in STATUS_ROWS}


def test_the_first_matching_row_wins_whatever_the_order_of_the_items():
    body = ilo_error(
        {"MessageId": "iLO.2.34.UnauthorizedLoginAttempt"},
        {
            "MessageId": "Base.1.18.PasswordChangeRequired",
            "MessageArgs": ["/redfish/v1/AccountService/Accounts/3/"],
        },
    )
    assert type(error_from_response(401, body)) is errors.PasswordChangeRequired
    licence = ilo_error(
        {"MessageId": "iLO.2.34.InvalidLicenseKey"}, {"MessageId": "iLO.2.34.LicenseKeyRequired"}
    )
    assert type(error_from_response(400, licence)) is errors.LicenseRequired


def test_a_403_stays_a_privilege_refusal_even_when_it_says_no_valid_session():
    body = ilo_error({"MessageId": "Base.1.18.NoValidSession"})
    assert type(error_from_response(403, body)) is errors.InsufficientPrivilege
    assert type(error_from_response(401, body)) is errors.NoValidSession


def test_a_full_collection_that_is_not_the_sessions_falls_through_to_the_status():
    body = ilo_error({"MessageId": "Base.1.18.CreateLimitReachedForResource"})
    error = error_from_response(409, body, method="POST", url="/redfish/v1/AccountService/Accounts/")
    assert type(error) is errors.BadRequest


def test_the_last_login_delay_given_wins_over_the_service_root_delay():
    body = ilo_error(
        {"MessageId": "iLO.2.34.LoginAttemptDelayedSeconds", "MessageArgs": [5]},
        {"MessageId": "iLO.2.34.LoginAttemptDelayedSeconds", "MessageArgs": ["not a number"]},
        {"MessageId": "iLO.2.34.LoginAttemptDelayedSeconds", "MessageArgs": [12]},
    )
    assert error_from_response(401, body, login_delay=3).delay == 12.0
    assert (
        error_from_response(
            401, ilo_error({"MessageId": "iLO.2.34.LoginAttemptDelayed"}), login_delay=3
        ).delay
        == 3
    )


def test_the_message_id_spelling_of_older_firmware_is_read_with_its_arguments():
    """iLO 4 spells the property MessageID; its arguments count as much as MessageId's."""
    body = ilo_error(
        {"MessageID": "Base.1.0.PasswordChangeRequired", "MessageArgs": ["/redfish/v1/Accounts/2/"]}
    )
    error = error_from_response(403, body)
    assert type(error) is errors.PasswordChangeRequired and error.account_uri == "/redfish/v1/Accounts/2/"


def test_a_basic_refusal_goes_through_the_table_and_keeps_the_bmcs_delay():
    """LoginAttemptDelayedSeconds (the time left, which the table reads) beats the service root's delay."""
    from redfishnb.auth import basic_login_refused

    class Answer:
        status, headers, url = 401, {}, ""
        json = ilo_error(
            {"MessageId": "iLO.2.34.UnauthorizedLoginAttempt"},
            {"MessageId": "Base.1.18.LoginAttemptDelayedSeconds", "MessageArgs": [3]},
        )

    error = basic_login_refused(Answer(), "/redfish/v1/Systems/", "admin", login_delay=10)
    assert type(error) is errors.InvalidCredentials and error.delay == 3
    assert (
        error.message
        == "GET /redfish/v1/Systems/ with Basic authentication as 'admin' was refused (HTTP 401)."
    )
    assert "wait 3 s before the next attempt" in error.hint and "two-factor" in error.hint
    Answer.json = ilo_error({"MessageId": "Base.1.18.NoValidSession"})  # no delay in the body: the root's
    assert basic_login_refused(Answer(), "/redfish/v1/", "admin", login_delay=10).delay == 10


def test_the_message_table_decides_before_the_status_table():
    body = ilo_error({"MessageId": "Base.1.18.InsufficientPrivilege"})
    assert type(error_from_response(401, body)) is errors.InsufficientPrivilege  # MessageId first
    assert type(error_from_response(401, {})) is errors.NoValidSession  # then the status
    assert type(error_from_response(418, {})) is errors.BadRequest and type(error_from_response(502, {})) is (
        errors.ServiceError
    )
