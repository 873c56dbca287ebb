"""One flat hierarchy of typed errors, each saying what happened and what to do next.

Redfish services report errors in a JSON body ``{"error": {"code", "message", "@Message.ExtendedInfo": [...]}}``.
iLO sends only MessageIds (``iLO.0.10.ExtendedInfo`` wrapper); the Superdome Flex 280 RMC sends full messages
(``Base.1.8.GeneralError`` wrapper). :func:`error_from_response` reads both and picks the most specific class,
so callers write ``except SessionLimitReached`` instead of parsing JSON. No message built here may contain a
password, a whole token or a key: callers pass only redacted material.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Reply:
    """One error answer as :func:`error_from_response` read it, for the tables' builders."""

    status: int
    url: str
    text: str
    items: list[dict[str, Any]]
    response: Any
    login_delay: float | None
    common: dict[str, Any]

    def error(self, cls: type[RedfishError], hint: str | None = None, **extra: Any) -> RedfishError:
        """``cls`` with the reply's text, status, MessageIds and messages; ``hint`` None keeps its default."""
        return cls(self.text, hint=hint, **extra, **self.common)


def _key_of(item: Mapping[str, Any]) -> str:
    """``Base.1.18.NoValidSession`` -> ``NoValidSession``: registries and versions differ, the key means the same."""
    return registry.split_message_id(str(item.get("MessageId") or item.get("MessageID") or ""))[2]


# A builder gets the reply and the first item whose key the row names, and returns the error -- or None when the
# MessageId alone does not decide (the next rows, then the status table, are consulted).
_Build = Callable[[_Reply, Mapping[str, Any]], RedfishError | None]


def _password_change(reply: _Reply, item: Mapping[str, Any]) -> RedfishError:
    """iLO names the account to PATCH in the first MessageArg; the hint repeats it."""
    args = item.get("MessageArgs")
    return reply.error(PasswordChangeRequired, account_uri=args[0] if args else None)


def _passcode_problem(reply: _Reply, item: Mapping[str, Any]) -> RedfishError:
    """iLO two-factor: the passcode was the problem, not the password; each key says what to do differently."""
    return reply.error(OneTimePasscodeRequired, hint=PASSCODE_HINTS[_key_of(item)])


def _session_limit(reply: _Reply, item: Mapping[str, Any]) -> RedfishError | None:
    """CreateLimitReachedForResource is also any full collection (accounts ...): a session limit only on a
    session URL, or with the statuses iLO answers a full session table with (503, or 400 as configured)."""
    if "Session" in reply.url or reply.status in (400, 503):
        return reply.error(SessionLimitReached)
    return None


def _refused_login(reply: _Reply, item: Mapping[str, Any]) -> RedfishError:
    """The BMC's delay before the next login: LoginAttemptDelayedSeconds' argument (the last one given) beats
    the service root's LoginFailureDelay the caller passed in."""
    delay = reply.login_delay
    for each in reply.items:
        if _key_of(each) == "LoginAttemptDelayedSeconds" and each.get("MessageArgs"):
            with contextlib.suppress(TypeError, ValueError):
                delay = float(each["MessageArgs"][0])
    return reply.error(InvalidCredentials, delay=delay)


# InvalidClientCertificate's argument says which check failed: words in it -> the error, first match wins.
_CERTIFICATE_REASONS: tuple[tuple[tuple[str, ...], type[RedfishError], str | None], ...] = (
    (("expired", "not yet valid"), CertificateExpired, None),
    (("not mapped",), CertificateNotMapped, None),
    (
        ("no client certificate",),
        CertificateError,
        'Pass the user certificate and its key: connect(..., auth="certificate", cert=..., key=...).',
    ),
    (("trusted", " ca"), CertificateNotTrusted, None),
)


def _certificate_refused(reply: _Reply, item: Mapping[str, Any]) -> RedfishError:
    """Certificate login refusals: iLO answers 403 with one MessageId, and its argument says which check failed."""
    if _key_of(item) == "CertificateLoginDisabled":
        return reply.error(CertificateLoginDisabled)
    reason = " " + " ".join(str(a) for a in item.get("MessageArgs") or []).lower()
    for words, cls, hint in _CERTIFICATE_REASONS:
        if any(word in reason for word in words):
            return reply.error(cls, hint=hint)
    return reply.error(CertificateError)


def _no_valid_session(reply: _Reply, item: Mapping[str, Any]) -> RedfishError | None:
    """A 403 means the credentials were accepted: it stays a privilege refusal whatever MessageId it carries."""
    return None if reply.status == 403 else reply.error(NoValidSession)


@dataclass(frozen=True)
class _Row:
    """One row of the MessageId table: the keys it answers to and what they mean.

    ``build`` is an error class (raised with ``hint``, None for its default) or a builder for the few keys whose
    arguments, URL or status matter. ``partial`` matches a key containing one of ``keys`` (a whole family).
    """

    keys: tuple[str, ...]
    build: type[RedfishError] | _Build
    hint: str | None = None
    partial: bool = False

    def matches(self, key: str) -> bool:
        return any(k in key for k in self.keys) if self.partial else key in self.keys

    def error(self, reply: _Reply, item: Mapping[str, Any]) -> RedfishError | None:
        if isinstance(self.build, type):
            return reply.error(self.build, hint=self.hint)
        return self.build(reply, item)


_NO_MAIL_HINT = (
    "Two-factor login is on for this account, but the BMC has no e-mail address for it, so no passcode can be "
    "sent: an administrator sets the account's e-mail address (for a directory user, in the directory) or turns "
    "two-factor authentication off."
)
_LICENSE_KEY_HINT = (
    "The BMC refused the license operation for the reason given above: check the key (iLO keys are 25 "
    "characters, in five groups of five) and that it is for this iLO generation."
)

# MessageId key -> error, consulted before the status: the first row any item of the body matches wins, so the
# order is the priority (a refused login that also says PasswordChangeRequired is about the password).
_BY_MESSAGE: tuple[_Row, ...] = (
    _Row(("PasswordChangeRequired",), _password_change),
    _Row(("OneTimePasscodeSent",), OneTimePasscodeRequired),
    _Row(("MailNotConfigured",), OneTimePasscodeRequired, _NO_MAIL_HINT),  # two-factor, but nowhere to send
    _Row(("AuthenticationTokenExpired", "AuthenticationTokenRequired"), _passcode_problem),
    _Row(("SessionLimitExceeded", "CreateLimitReachedForResource"), _session_limit),
    _Row(("CertificateLoginDisabled", "InvalidClientCertificate"), _certificate_refused),
    _Row(("LicenseKeyRequired", "LicenseRequired"), LicenseRequired),
    # InvalidLicenseKey, LicenseKeyDenied ...: the key was refused, which is not the absence of a license
    _Row(("License",), BadRequest, _LICENSE_KEY_HINT, partial=True),
    _Row(
        (
            "UnauthorizedLoginAttempt",
            "LoginAttemptDelayed",
            "LoginAttemptDelayedSeconds",
            "ResourceAtUriUnauthorized",
        ),
        _refused_login,
    ),
    _Row(("InsufficientPrivilege",), InsufficientPrivilege),
    _Row(("NoValidSession",), _no_valid_session),
)


def _method_not_allowed(reply: _Reply) -> RedfishError:
    """The Allow header lists what the resource accepts; name it when the caller passed the response."""
    allow = (getattr(reply.response, "headers", None) or {}).get("Allow")
    hint = f"This resource accepts {allow} (its Allow header)." if allow else None
    return reply.error(MethodNotAllowed, hint=hint)


# HTTP status -> error, for a body no row of _BY_MESSAGE decided; other 4xx are BadRequest, the rest ServiceError.
_BY_STATUS: dict[int, type[RedfishError] | Callable[[_Reply], RedfishError]] = {
    401: NoValidSession,
    403: InsufficientPrivilege,
    404: ResourceNotFound,
    405: _method_not_allowed,
    412: PreconditionFailed,
}


def _by_status(reply: _Reply) -> RedfishError:
    build = _BY_STATUS.get(reply.status) or (BadRequest if 400 <= reply.status < 500 else ServiceError)
    return reply.error(build) if isinstance(build, type) else build(reply)


def _by_message(reply: _Reply) -> RedfishError | None:
    """The first row of _BY_MESSAGE that an item matches and that decides, else None."""
    keys = [(_key_of(item), item) for item in reply.items]
    for row in _BY_MESSAGE:
        item = next((item for key, item in keys if row.matches(key)), None)
        if item is not None and (error := row.error(reply, item)) is not None:
            return error
    return None


def _reply_text(status: int, body: Any, items: list[dict[str, Any]], where: str) -> tuple[str, list[str]]:
    """The error's first line (what failed, and the service's words) and the messages it is made of."""
    texts = [_message_text(i) for i in items]
    if not texts and isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        top = body["error"].get("message")
        if isinstance(top, str) and top:
            texts = [top]
    detail = "; ".join(t for t in texts if t) or f"HTTP {status}"
    text = f"{where} failed with HTTP {status}: {detail}" if where else f"HTTP {status}: {detail}"
    return text, texts


def error_from_response(
    status: int,
    body: Any,
    *,
    method: str = "GET",
    url: str = "",
    response: Any = None,
    login_delay: float | None = None,
) -> RedfishError:
    """Build the most specific error for an HTTP error status and its (already parsed) JSON body.

    The MessageIds decide first (``_BY_MESSAGE``), the status second (``_BY_STATUS``), the way sushy's
    ``raise_for_response`` and httpx's exception map read: a 400 that says PasswordChangeRequired is about the
    password, a bare 404 is a missing resource.
    """
    items = extended_info(body)
    ids = [str(i.get("MessageId") or i.get("MessageID") or "") for i in items]
    text, texts = _reply_text(status, body, items, f"{method} {url}".strip())
    common: dict[str, Any] = {"status": status, "message_ids": ids, "messages": texts, "response": response}
    reply = _Reply(status, url, text, items, response, login_delay, common)
    return _by_message(reply) or _by_status(reply)
