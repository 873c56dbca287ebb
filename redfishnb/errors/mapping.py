"""Which error an HTTP error answer is: the MessageId table first, the status table second.

Redfish services report errors in a JSON body ``{"error": {"code", "message", "@Message.ExtendedInfo": [...]}}``.
iLO sends only MessageIds (``iLO.0.10.ExtendedInfo`` wrapper); the Superdome Flex 280 RMC sends full messages
(``Base.1.8.GeneralError`` wrapper). :func:`error_from_response` reads both and picks the most specific class of
:mod:`redfishnb.errors.hierarchy`, so callers write ``except SessionLimitReached`` instead of parsing JSON.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import registry
from .hierarchy import (
    PASSCODE_HINTS,
    AccountLocked,
    BadRequest,
    CertificateError,
    CertificateExpired,
    CertificateLoginDisabled,
    CertificateNotMapped,
    CertificateNotTrusted,
    InsufficientPrivilege,
    InvalidCredentials,
    LicenseRequired,
    MethodNotAllowed,
    NoValidSession,
    OneTimePasscodeRequired,
    PasswordChangeRequired,
    PreconditionFailed,
    RedfishError,
    ResourceNotFound,
    ServiceError,
    SessionLimitReached,
)

__all__ = ["error_from_response", "extended_info", "message_ids"]


def extended_info(body: Any) -> list[dict[str, Any]]:
    """The ``@Message.ExtendedInfo`` list of an error body or of a success body, whichever is present."""
    if not isinstance(body, Mapping):
        return []
    error = body.get("error")
    container: Mapping[str, Any] = error if isinstance(error, Mapping) else body
    items = container.get("@Message.ExtendedInfo") or []
    return [dict(item) for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def message_ids(body: Any) -> list[str]:
    """The MessageIds of a body's ``@Message.ExtendedInfo`` (iLO reports success that way too), in order."""
    return [str(item.get("MessageId") or item.get("MessageID") or "") for item in extended_info(body)]


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
    # DMTF's AccountSecurity registry is for logs, but a service that answers with it is believed
    _Row(("AccountLocked",), AccountLocked),
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
    ids = message_ids(body)
    text, texts = _reply_text(status, body, items, f"{method} {url}".strip())
    common: dict[str, Any] = {"status": status, "message_ids": ids, "messages": texts, "response": response}
    reply = _Reply(status, url, text, items, response, login_delay, common)
    return _by_message(reply) or _by_status(reply)
