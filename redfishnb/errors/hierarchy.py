"""The kit's error classes: one flat hierarchy, each class saying what happened and what to do next.

Every error the kit raises on purpose derives from :class:`RedfishError`, so a notebook or a runbook can catch
one class. Which class an HTTP error answer becomes is decided in :mod:`redfishnb.errors.mapping`; transport
failures are mapped in :mod:`redfishnb.failures`. No message built here may contain a password, a whole token
or a key: callers pass only redacted material.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..wording import format_duration, missing_file_hint

__all__ = [
    "RedfishError",
    "HTTPStatusError",
    "NoValidSession",
    "InvalidCredentials",
    "AccountLocked",
    "BasicAuthDisabled",
    "InsufficientPrivilege",
    "SessionLimitReached",
    "LicenseRequired",
    "PasswordChangeRequired",
    "OneTimePasscodeRequired",
    "ResourceNotFound",
    "MethodNotAllowed",
    "BadRequest",
    "PreconditionFailed",
    "ServiceError",
    "TransportError",
    "BMCUnreachable",
    "DeadlineExceeded",
    "TLSVerificationFailed",
    "NotRedfish",
    "MalformedResponse",
    "CertificateError",
    "CertificateLoginDisabled",
    "CertificateNotTrusted",
    "CertificateNotMapped",
    "CertificateExpired",
    "KeyPassphraseError",
    "KeyMismatch",
    "ClockSkew",
    "CAFileNotFound",
    "InventoryError",
    "SelectionError",
]


class RedfishError(Exception):
    """Base of every error the kit raises on purpose.

    ``status`` is the HTTP status (None for transport errors), ``message_ids`` the MessageIds from the body,
    ``hint`` one sentence on what to do next, ``response`` the kit's response object when there was one.
    """

    default_hint = ""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        message_ids: list[str] | tuple[str, ...] = (),
        messages: list[str] | tuple[str, ...] = (),
        hint: str | None = None,
        response: Any = None,
    ) -> None:
        self.message = message
        self.status = status
        self.message_ids = tuple(message_ids)
        self.messages = tuple(messages)
        self.hint = self.default_hint if hint is None else hint
        self.response = response
        super().__init__(self._compose())

    def _compose(self) -> str:
        parts = [self.message.rstrip()]
        if self.hint:
            parts.append(f"What to do: {self.hint}")
        return "\n".join(parts)

    @property
    def friendly(self) -> str:
        """The message and the hint, for a status line or a widget."""
        return self._compose()

    def __repr__(self) -> str:
        status = f" status={self.status}" if self.status is not None else ""
        ids = f" ids={list(self.message_ids)}" if self.message_ids else ""
        return f"<{type(self).__name__}{status}{ids}: {self.message.splitlines()[0] if self.message else ''}>"


_E = TypeVar("_E", bound=RedfishError)


def retyped(error: RedfishError, cls: type[_E], message: str | None = None, **extra: Any) -> _E:
    """``error``'s status, MessageIds, messages and response under ``cls`` (with ``extra``: a hint ...), for the
    places that know more than the tables about what an answer means (a certificate login, a standard service)."""
    return cls(
        error.message if message is None else message,
        status=error.status,
        message_ids=error.message_ids,
        messages=error.messages,
        response=error.response,
        **extra,
    )


# ---------------------------------------------------------------------------------------------------------------
# Errors the service reported with an HTTP status


class HTTPStatusError(RedfishError):
    """The service answered with an error status; more specific subclasses exist for the common cases."""


class NoValidSession(HTTPStatusError):
    default_hint = (
        "Log in again: the session expired (idle timeout), was deleted, or no credentials were sent. "
        "connect(..., reauth=True) logs in again once by itself."
    )


class InvalidCredentials(HTTPStatusError):
    """Wrong user name or password. ``delay`` is the BMC's login-failure delay in seconds, when it says."""

    default_hint = (
        "Check the user name and password; some BMCs, iLO among them, delay the next login after a failure."
    )

    def __init__(self, message: str, *, delay: float | None = None, **kwargs: Any) -> None:
        self.delay = delay
        if delay and kwargs.get("hint") is None:
            kwargs["hint"] = (
                f"Check the user name and password, and wait {format_duration(delay)} before the next attempt "
                "(the BMC delays logins after a failure)."
            )
        super().__init__(message, **kwargs)


class AccountLocked(InvalidCredentials):
    """The account is locked after too many failed logins. ``unlocks_in`` is the service's
    ``AccountLockoutDuration`` in seconds when it was readable (0: only an administrator unlocks)."""

    def __init__(
        self, message: str, *, unlocks_in: float | None = None, account: str | None = None, **kwargs: Any
    ) -> None:
        self.unlocks_in = unlocks_in
        if kwargs.get("hint") is None:
            kwargs["hint"] = lockout_hint(unlocks_in, account)
        super().__init__(message, **kwargs)


def lockout_hint(unlocks_in: float | None, account: str | None = None) -> str:
    """What to do about a locked account: when it unlocks by itself (when the service said), and how an
    administrator unlocks it now. Shared by AccountLocked and the standard services' refused-login wording."""
    if unlocks_in:
        wait = (
            f"It unlocks by itself {format_duration(unlocks_in)} after it was locked (AccountLockoutDuration)"
        )
    elif unlocks_in == 0:
        wait = "It stays locked until an administrator unlocks it (AccountLockoutDuration is 0)"
    else:
        wait = "It unlocks by itself after the lockout duration set by the administrator"
    where = account or "/redfish/v1/AccountService/Accounts/<id>"
    return (
        f'{wait}; an administrator unlocks it at once with PATCH {{"Locked": false}} to {where}. Meanwhile even '
        "the right password is refused."
    )


class InsufficientPrivilege(HTTPStatusError):
    """Authenticated, but the account lacks the privilege. ``privilege`` names it when known."""

    default_hint = (
        "Use an account with the needed privilege (UserConfigPriv for accounts, other users' sessions and user "
        "certificate mappings; iLOConfigPriv for manager settings, certificate login and trusted CAs), or ask an "
        "administrator."
    )

    def __init__(self, message: str, *, privilege: str | None = None, **kwargs: Any) -> None:
        self.privilege = privilege
        if privilege and kwargs.get("hint") is None:
            kwargs["hint"] = f"This needs the {privilege} privilege: log in with an account that has it."
        super().__init__(message, **kwargs)


#: InsufficientPrivilege's hint on a DMTF-standard service, whose roles hold the five standard privileges.
STANDARD_PRIVILEGE_HINT = (
    "Use an account whose role has the needed privilege (DMTF: ConfigureUsers for accounts and other users' "
    "sessions, ConfigureManager for manager settings and certificates, ConfigureComponents for systems and "
    "chassis), or ask an administrator; GET /redfish/v1/AccountService/Roles/<RoleId> lists a role's "
    "AssignedPrivileges."
)


class SessionLimitReached(HTTPStatusError):
    default_hint = (
        "The BMC allows only a few sessions at once. List them with sessions_frame(client) or "
        "GET /redfish/v1/SessionService/Sessions (Basic authentication creates no session), delete stale ones "
        "with client.delete(<session URI>) as a user with UserConfigPriv, or wait for them to expire."
    )


class LicenseRequired(HTTPStatusError):
    default_hint = (
        "This feature needs an iLO Advanced license: read it with GET /redfish/v1/Managers/1/LicenseService/?only "
        'and install one with a POST of {"LicenseKey": ...} to the LicenseService.'
    )


class PasswordChangeRequired(HTTPStatusError):
    """The account must change its password; ``account_uri`` is where to PATCH ``Password``."""

    default_hint = (
        'Change it: client.change_password("<new password>") PATCHes the account\'s Password. Until then the BMC '
        "lets this login only read its own account and change its password."
    )

    def __init__(self, message: str, *, account_uri: str | None = None, **kwargs: Any) -> None:
        self.account_uri = account_uri
        if account_uri and kwargs.get("hint") is None:
            kwargs["hint"] = (
                f'Change it: client.change_password("<new password>") PATCHes {{"Password": ...}} to {account_uri}. '
                "Until then the BMC lets this login only read that account and change its password."
            )
        super().__init__(message, **kwargs)


class OneTimePasscodeRequired(HTTPStatusError):
    """Two-factor login: the account needs a one-time code. iLO mails a passcode when a session login comes
    without one; a DMTF-standard service wants the current TOTP code in the login's ``Token``
    (:data:`TOKEN_HINTS` words that case)."""

    default_hint = "A one-time passcode was sent; log in again with the same credentials and otp=<code>."


class BasicAuthDisabled(InvalidCredentials):
    """HTTP Basic was refused by a service that does not offer it (``AccountService.HTTPBasicAuth`` Disabled)."""

    default_hint = (
        'Log in with a session instead: connect(url, username, password) (auth="session"). An administrator '
        'turns Basic back on with PATCH {"HTTPBasicAuth": "Enabled"} to /redfish/v1/AccountService.'
    )


# A DMTF-standard service's time-based codes (TOTP), by what went wrong: a login that sent none, or one it refused.
TOKEN_HINTS = {
    "AuthenticationTokenRequired": "This account logs in with a time-based code (TOTP): pass the current code of "
    'its authenticator app with otp="123456", or its secret with otp_secret="<Base32>" so the client computes '
    "the code at each login (reauth=True then works too).",
    "refused": "Check the code and the password: otp= must be the code of this moment (each code lives one time "
    "step, usually 30 s, and works once), and this machine's clock must be right; otp_secret= computes a fresh "
    "code at each login.",
}


# What to do when the passcode (not the password) was the problem of a two-factor login.
PASSCODE_HINTS = {
    "AuthenticationTokenExpired": "The passcode has expired: log in again without otp= to receive a new one, "
    "then pass it with otp=<code>.",
    "AuthenticationTokenRequired": "Log in again without otp= to receive a passcode, then pass it with otp=<code>.",
    "UnauthorizedLoginAttempt": "Check the one-time passcode (use the latest one sent) and the password; log in "
    "again without otp= to receive a new passcode.",
}


class ResourceNotFound(HTTPStatusError):
    default_hint = "Check the URI: follow @odata.id links from the service root rather than typing paths."


class MethodNotAllowed(HTTPStatusError):
    default_hint = "The Allow header of the response lists the methods this resource accepts."


class BadRequest(HTTPStatusError):
    default_hint = "Fix the request body or query as the message says and resubmit."


class PreconditionFailed(HTTPStatusError):
    default_hint = (
        "The resource changed since you read it: GET it again and retry with its new ETag in If-Match."
    )


class ServiceError(HTTPStatusError):
    default_hint = (
        "The BMC reported an internal or temporary error; retry later or reset the management controller."
    )


# ---------------------------------------------------------------------------------------------------------------
# Errors below HTTP: the kit never lets a urllib3 or ssl traceback reach the user


class TransportError(RedfishError):
    """The request did not produce a usable Redfish answer."""


class BMCUnreachable(TransportError):
    def __init__(
        self, message: str, *, host: str | None = None, timeout: float | None = None, **kwargs: Any
    ) -> None:
        self.host = host
        self.timeout = timeout
        if kwargs.get("hint") is None:
            slow = f", or raise timeout= (now {timeout:g} s) for a slow BMC" if timeout is not None else ""
            kwargs["hint"] = (
                "Check the address and port, and that the BMC is powered and reachable from here (ping, a VPN, a "
                f"proxy: HTTPS_PROXY/NO_PROXY){slow}."
            )
        super().__init__(message, **kwargs)


class DeadlineExceeded(TransportError):
    """A call did not finish within its overall ``deadline`` (seconds), retries and re-login included.

    A timeout bounds each wait for the BMC; a deadline bounds the whole call, so a BMC that answers every
    attempt just before the timeout cannot hold the caller for attempts x timeout.
    """

    #: The default hint; ``{now}`` becomes " (now N s)". A subclass (the fleet's per-BMC deadline) words its own.
    hint_template = (
        "The BMC answered too slowly or not at all: check its load and the network, retry later, or "
        "raise deadline={now}."
    )

    def __init__(self, message: str, *, deadline: float | None = None, **kwargs: Any) -> None:
        self.deadline = deadline
        if kwargs.get("hint") is None:
            now = f" (now {deadline:g} s)" if deadline is not None else ""
            kwargs["hint"] = self.hint_template.format(now=now)
        super().__init__(message, **kwargs)


class TLSVerificationFailed(TransportError):
    """The BMC's certificate could not be verified. ``fingerprint`` is the SHA-256 of the certificate seen."""

    def __init__(self, message: str, *, fingerprint: str | None = None, **kwargs: Any) -> None:
        self.fingerprint = fingerprint
        if kwargs.get("hint") is None:
            pin = f'verify="{fingerprint}"' if fingerprint else 'verify="sha256:<fingerprint>"'
            kwargs["hint"] = (
                'Pass the CA that signed the BMC\'s certificate (verify="bmc-ca.pem"), or, after checking the '
                f"fingerprint out of band (the iLO web page shows it), pin it: {pin}. "
                "verify=False turns checking off and is for throw-away labs only."
            )
        super().__init__(message, **kwargs)


class NotRedfish(TransportError):
    default_hint = (
        "Check the URL: it should be the BMC's HTTPS address (https://<bmc>), whose /redfish/v1/ is JSON."
    )


class MalformedResponse(TransportError):
    default_hint = (
        "The BMC sent a body that is not valid JSON; retry, and report it to the vendor if it persists."
    )


# ---------------------------------------------------------------------------------------------------------------
# Certificate login and local key material


class CertificateError(RedfishError):
    """Certificate login or local certificate/key handling failed."""


class CertificateLoginDisabled(CertificateError):
    default_hint = (
        'Enable it as an administrator: PATCH {"CertificateLoginEnabled": true} to '
        "/redfish/v1/Managers/1/SecurityService/CertificateAuthentication (redfishnb.oem.ilo.enable_certificate_login)."
    )


class CertificateNotTrusted(CertificateError):
    default_hint = (
        "Import the CA that signed your certificate with the HpeCertAuth.ImportCACertificate action "
        "(redfishnb.oem.ilo.import_ca_certificate)."
    )


class CertificateNotMapped(CertificateError):
    default_hint = (
        'Map the certificate to a user: POST {"UserName": ..., "Fingerprint": <whole PEM>} to '
        "/redfish/v1/AccountService/UserCertificateMapping (redfishnb.oem.ilo.map_user_certificate)."
    )


class CertificateExpired(CertificateError):
    """Outside its validity period. Which clock said so matters (iLO judges by its own): the message names it."""

    default_hint = "Issue a new certificate, and check that the BMC's clock is right (NTP)."


class KeyPassphraseError(CertificateError):
    default_hint = (
        "Pass the key's passphrase with key_password= (it is never stored), or check that it is right."
    )


class KeyMismatch(CertificateError):
    default_hint = (
        "The private key does not belong to the certificate: pass the key made together with it (for a signed "
        "CSR, the key the CSR was made with)."
    )


class ClockSkew(CertificateError):
    default_hint = "Set the BMC's clock right (configure NTP); certificate validity depends on it."


class CAFileNotFound(TransportError, FileNotFoundError):
    """``verify=`` names a CA file or directory that does not exist (still a FileNotFoundError for callers)."""

    def __init__(self, message: str, *, path: str, **kwargs: Any) -> None:
        self.path = path
        if kwargs.get("hint") is None:
            kwargs["hint"] = missing_file_hint(
                path,
                "the BMC's CA file",
                writer="an embedded mock BMC",
                again="Start it again and pass its new CA file (bmc.ca_file).",
            )
        super().__init__(message, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Fleet runbooks: input the kit refuses before any BMC is contacted


class InventoryError(RedfishError, ValueError):
    """An inventory (CSV, YAML, DataFrame) or a credential set the fleet runbook cannot use."""

    default_hint = (
        "An inventory lists name, url and optionally verify, credentials, auth, timeout per BMC; passwords come "
        "from REDFISHNB_USERNAME/REDFISHNB_PASSWORD (or REDFISHNB_<SET>_USERNAME/_PASSWORD) or a prompt."
    )


class SelectionError(RedfishError, ValueError):
    """A stale-session selection that names no criterion or has an unreadable duration."""

    default_hint = 'Give at least one of idle="30m" (s, m, h, d), users=[...], tags=[...].'
