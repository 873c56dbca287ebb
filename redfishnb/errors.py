"""One flat hierarchy of typed errors, each saying what happened and what to do next.

Redfish services report errors in a JSON body ``{"error": {"code", "message", "@Message.ExtendedInfo": [...]}}``.
iLO sends only MessageIds (``iLO.0.10.ExtendedInfo`` wrapper); the Superdome Flex 280 RMC sends full messages
(``Base.1.8.GeneralError`` wrapper). :func:`error_from_response` reads both and picks the most specific class,
so callers write ``except SessionLimitReached`` instead of parsing JSON. No message built here may contain a
password, a whole token or a key: callers pass only redacted material.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from . import registry
from .wording import format_duration, missing_file_hint

__all__ = [
    "RedfishError",
    "HTTPStatusError",
    "NoValidSession",
    "InvalidCredentials",
    "AccountLocked",
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
    "error_from_response",
    "extended_info",
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

    default_hint = "Check the user name and password; iLO delays the next login after a failure."

    def __init__(self, message: str, *, delay: float | None = None, **kwargs: Any) -> None:
        self.delay = delay
        if delay and kwargs.get("hint") is None:
            kwargs["hint"] = (
                f"Check the user name and password, and wait {format_duration(delay)} before the next attempt "
                "(the BMC delays logins after a failure)."
            )
        super().__init__(message, **kwargs)


class AccountLocked(InvalidCredentials):
    default_hint = "Wait for the lockout to end, or ask an administrator to reset the account."


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

    default_hint = "PATCH a new Password on the account URI given in the message, then log in again."

    def __init__(self, message: str, *, account_uri: str | None = None, **kwargs: Any) -> None:
        self.account_uri = account_uri
        if account_uri and kwargs.get("hint") is None:
            kwargs["hint"] = f'PATCH {{"Password": ...}} to {account_uri}, then log in again.'
        super().__init__(message, **kwargs)


class OneTimePasscodeRequired(HTTPStatusError):
    """iLO two-factor login: the account needs a one-time passcode (mailed by a session login) to log in."""

    default_hint = "A one-time passcode was sent; log in again with the same credentials and otp=<code>."


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


# ---------------------------------------------------------------------------------------------------------------
# Parsing Redfish error bodies


def extended_info(body: Any) -> list[dict[str, Any]]:
    """The ``@Message.ExtendedInfo`` list of an error body or of a success body, whichever is present."""
    if not isinstance(body, Mapping):
        return []
    container = body.get("error") if isinstance(body.get("error"), Mapping) else body
    items = container.get("@Message.ExtendedInfo") or []
    return [item for item in items if isinstance(item, Mapping)]


def _message_text(item: Mapping[str, Any]) -> str:
    """Prefer the service's own text (RMC); fall back to the registry for iLO's id-only items."""
    text = item.get("Message")
    if isinstance(text, str) and text:
        return text
    message_id = str(item.get("MessageId") or item.get("MessageID") or "")
    return registry.format_message(message_id, item.get("MessageArgs") or []) or message_id


def _certificate_error(items: list[dict[str, Any]], text: str, common: dict[str, Any]) -> RedfishError:
    """Certificate login refusals (iLO answers 403 with one MessageId; the argument says which check failed)."""
    for item in items:
        key = registry.split_message_id(str(item.get("MessageId") or ""))[2]
        if key == "CertificateLoginDisabled":
            return CertificateLoginDisabled(text, **common)
        if key != "InvalidClientCertificate":
            continue
        reason = " ".join(str(a) for a in item.get("MessageArgs") or []).lower()
        if "expired" in reason or "not yet valid" in reason:
            return CertificateExpired(text, **common)
        if "not mapped" in reason:
            return CertificateNotMapped(text, **common)
        if "no client certificate" in reason:
            return CertificateError(
                text,
                hint='Pass the user certificate and its key: connect(..., auth="certificate", cert=..., key=...).',
                **common,
            )
        if "trusted" in reason or " ca" in f" {reason}":
            return CertificateNotTrusted(text, **common)
        return CertificateError(text, **common)
    return CertificateError(text, **common)


def error_from_response(
    status: int,
    body: Any,
    *,
    method: str = "GET",
    url: str = "",
    response: Any = None,
    login_delay: float | None = None,
) -> RedfishError:
    """Build the most specific error for an HTTP error status and its (already parsed) JSON body."""
    items = extended_info(body)
    ids = [str(i.get("MessageId") or i.get("MessageID") or "") for i in items]
    keys = [registry.split_message_id(i)[2] for i in ids]
    texts = [_message_text(i) for i in items]
    if not texts and isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        top = body["error"].get("message")
        if isinstance(top, str) and top:
            texts = [top]
    where = f"{method} {url}".strip()
    detail = "; ".join(t for t in texts if t) or f"HTTP {status}"
    text = f"{where} failed with HTTP {status}: {detail}" if where else f"HTTP {status}: {detail}"
    common: dict[str, Any] = {"status": status, "message_ids": ids, "messages": texts, "response": response}

    def has(*names: str) -> bool:
        return any(k in names for k in keys)

    if has("PasswordChangeRequired"):
        args = next(
            (i.get("MessageArgs") for i in items if "PasswordChangeRequired" in str(i.get("MessageId"))), None
        )
        uri = args[0] if args else None
        return PasswordChangeRequired(text, account_uri=uri, **common)
    if has("OneTimePasscodeSent"):
        return OneTimePasscodeRequired(text, **common)
    if has("MailNotConfigured"):  # two-factor is on, but there is no address to send the passcode to
        return OneTimePasscodeRequired(
            text,
            hint="Two-factor login is on for this account, but the BMC has no e-mail address for it, so no "
            "passcode can be sent: an administrator sets the account's e-mail address (for a directory user, in "
            "the directory) or turns two-factor authentication off.",
            **common,
        )
    passcode = [k for k in keys if k in ("AuthenticationTokenExpired", "AuthenticationTokenRequired")]
    if passcode:  # iLO two-factor: the passcode was the problem, not the password
        return OneTimePasscodeRequired(text, hint=PASSCODE_HINTS[passcode[0]], **common)
    if has("SessionLimitExceeded", "CreateLimitReachedForResource") and (
        "Session" in url or status in (400, 503)
    ):
        return SessionLimitReached(text, **common)
    if has("CertificateLoginDisabled", "InvalidClientCertificate"):
        return _certificate_error(items, text, common)
    if has("LicenseKeyRequired", "LicenseRequired"):
        return LicenseRequired(text, **common)
    if any("License" in k for k in keys):  # InvalidLicenseKey, LicenseKeyDenied ...: the key, not its absence
        return BadRequest(
            text,
            hint="The BMC refused the license operation for the reason given above: check the key (iLO keys are "
            "25 characters, in five groups of five) and that it is for this iLO generation.",
            **common,
        )
    if has(
        "UnauthorizedLoginAttempt",
        "LoginAttemptDelayed",
        "LoginAttemptDelayedSeconds",
        "ResourceAtUriUnauthorized",
    ):
        delay = login_delay
        for item in items:
            if str(item.get("MessageId", "")).endswith("LoginAttemptDelayedSeconds") and item.get(
                "MessageArgs"
            ):
                with contextlib.suppress(TypeError, ValueError):
                    delay = float(item["MessageArgs"][0])
        return InvalidCredentials(text, delay=delay, **common)
    if has("InsufficientPrivilege") or status == 403:
        return InsufficientPrivilege(text, **common)
    if has("NoValidSession") or status == 401:
        return NoValidSession(text, **common)
    if status == 404:
        return ResourceNotFound(text, **common)
    if status == 405:
        allow = (getattr(response, "headers", None) or {}).get("Allow")
        hint = f"This resource accepts {allow} (its Allow header)." if allow else None
        return MethodNotAllowed(text, hint=hint, **common)
    if status == 412:
        return PreconditionFailed(text, **common)
    if 400 <= status < 500:
        return BadRequest(text, **common)
    return ServiceError(text, **common)
