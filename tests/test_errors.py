"""error_from_response: both error shapes of the seed document, the most specific class, helpful texts."""

from __future__ import annotations

import pytest
from _payloads import RMC_NO_VALID_SESSION, ilo_error

from redfishnb import errors
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
