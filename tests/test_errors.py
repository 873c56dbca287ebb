"""error_from_response: both error shapes of the seed document, the most specific class, helpful texts."""

from __future__ import annotations

import pytest
from _payloads import RMC_NO_VALID_SESSION, ilo_error

from redfishnb import errors, wording
from redfishnb.errors import error_from_response


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
