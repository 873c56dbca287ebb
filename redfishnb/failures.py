"""Transport failures as typed errors: a table keyed by what the TLS/TCP layer reported, not a guess.

A failure is reduced to three facts. The *condition*: what OpenSSL or the socket said (an alert name such as
``tlsv1 alert unknown ca`` or ``tlsv13 alert certificate required``, an EOF, a reset, a timeout ...). The *step*:
``connect`` (TCP and TLS handshake), ``send`` or ``read``, recorded on the exception by the connection class in
:mod:`redfishnb.transport`. The *client certificate*: none configured, offered on a connection that has not
answered yet, or accepted (the connection already answered).

The certificate column matters because of TLS 1.3: the client's side of the handshake ends before the server
has judged the client certificate, so a refusal arrives as an alert, an EOF or a reset on the first write or
read. Which of those the client sees depends on thread scheduling; the table gives the same answer for all.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from .errors import (
    BMCUnreachable,
    CertificateError,
    CertificateExpired,
    CertificateNotTrusted,
    NotRedfish,
    RedfishError,
    TLSVerificationFailed,
    TransportError,
)

if TYPE_CHECKING:
    from .transport import TLSPolicy

__all__ = ["translate_exception", "caused_by", "STEP_ATTRIBUTE"]

# Where redfishnb.transport's connections record ``(step, answers already read)`` on an exception.
STEP_ATTRIBUTE = "_redfishnb_step"


_SSL_SOURCE = re.compile(r"\s*\(_ssl\.c:\d+\)")


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests -> urllib3 MaxRetryError.reason -> ssl/socket)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([getattr(item, "reason", None), item.__cause__, item.__context__])
        todo.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
    return seen


def caused_by(exc: BaseException, kinds: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
    """Whether ``exc`` or anything it wraps (see :func:`_chain`) is one of ``kinds``: the client asks this to tell
    a dropped connection, which a read may be sent again after, and a timeout its deadline cut short."""
    return any(isinstance(item, kinds) for item in _chain(exc))


def _reason(exc: BaseException) -> str:
    """What the layer below said, in words: OpenSSL's reason code, the socket's strerror, else the first line."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        found = getattr(exc, "verify_message", None) or getattr(exc, "reason", None)
        return found or "certificate verify failed"
    if isinstance(exc, ssl.SSLError) and getattr(exc, "reason", None):
        return str(exc.reason).replace("_", " ").lower()
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).split("\n")[0][:200]
    return _SSL_SOURCE.sub("", text)  # "EOF occurred in violation of protocol (_ssl.c:2427)"


# OpenSSL's reason for a failure (lower case, as _reason gives it) -> condition. First match wins.
_REASONS = (
    ("certificate expired", "cert-expired"),
    ("certificate required", "cert-required"),
    ("unknown ca", "cert-rejected"),
    ("bad certificate", "cert-rejected"),
    ("certificate unknown", "cert-rejected"),
    ("unsupported certificate", "cert-rejected"),
    ("certificate revoked", "cert-rejected"),
    ("access denied", "cert-rejected"),
    ("wrong version number", "plain-http"),
    ("record layer failure", "plain-http"),
    ("http request", "plain-http"),
    ("eof", "eof"),
)


@dataclass(frozen=True)
class _Failure:
    """One failed request, reduced to facts: what the TLS/TCP layer said, in which step, with which certificate.

    ``condition``: timeout, server-cert, bad-url, plain-http, cert-expired, cert-required, cert-rejected, eof,
    reset, tls, dns, unreachable or other. ``step``: connect, send, read, or ``?``. ``client``: ``none`` (no client
    certificate configured), ``offered`` (configured, and the connection has not answered yet: the server may
    still refuse it) or ``accepted`` (the connection already answered, so the server took the certificate).
    """

    condition: str
    step: str
    client: str
    reason: str
    exc: BaseException
    url: str
    timeout: float
    policy: TLSPolicy | None

    @property
    def host(self) -> str:
        return _host_port(self.url)[0]

    @property
    def where(self) -> str:
        host, port = _host_port(self.url)
        return f"{host}:{port}"


def _condition(exc: BaseException, chain: list[BaseException]) -> tuple[str, BaseException]:
    """What the TLS/TCP layer reported, as one word, and the exception that reported it."""

    def find(cls: Any) -> Any:
        return next((e for e in chain if isinstance(e, cls)), None)

    timeout = find(requests.exceptions.Timeout | socket.timeout)
    if timeout is not None:
        return "timeout", timeout
    verify = find(ssl.SSLCertVerificationError)
    if verify is not None or any("Fingerprints did not match" in str(e) for e in chain):
        return "server-cert", verify or exc
    if find(requests.exceptions.InvalidURL | requests.exceptions.MissingSchema) is not None:
        return "bad-url", exc
    tls = find(ssl.SSLError) or (exc if isinstance(exc, requests.exceptions.SSLError) else None)
    if tls is not None:
        low = _reason(tls).lower()
        if isinstance(tls, ssl.SSLEOFError | ssl.SSLZeroReturnError):
            return "eof", tls
        return next((c for text, c in _REASONS if text in low), "tls"), tls
    reset = find(ConnectionResetError | BrokenPipeError | ConnectionAbortedError)
    if reset is not None:
        return "reset", reset
    if find(socket.gaierror) is not None:
        return "dns", find(socket.gaierror)
    os_error = next((e for e in chain if isinstance(e, OSError) and e.strerror), None)
    if os_error is not None or find(requests.exceptions.ConnectionError) is not None:
        return "unreachable", os_error or exc
    return "other", exc


def _describe(exc: BaseException, url: str, timeout: float, policy: TLSPolicy | None) -> _Failure:
    chain = _chain(exc)
    condition, source = _condition(exc, chain)
    marks = [getattr(e, STEP_ATTRIBUTE, None) for e in chain]
    step, answered = next((m for m in marks if m is not None), ("?", 0))
    if policy is None or not policy.has_client_cert:
        client = "none"
    else:
        client = "accepted" if step != "connect" and answered else "offered"
    return _Failure(condition, step, client, _reason(source), exc, url, timeout, policy)


def _timed_out(f: _Failure) -> RedfishError:
    connecting = f.step == "connect" or any(
        isinstance(e, requests.exceptions.ConnectTimeout) for e in _chain(f.exc)
    )
    phase = "connect to" if connecting else "get an answer from"
    return BMCUnreachable(
        f"Could not {phase} {f.where} within the {f.timeout:g} s timeout.", host=f.host, timeout=f.timeout
    )


def _server_cert(f: _Failure) -> RedfishError:
    found = next((e for e in _chain(f.exc) if isinstance(e, ssl.SSLCertVerificationError)), None)
    return _tls_failure(f.url, f.where, found, f.policy, f.timeout)


def _bad_url(f: _Failure) -> RedfishError:
    return NotRedfish(f"{f.url!r} is not a usable URL: {f.reason}", hint="Use https://<bmc address>[:port].")


def _plain_http(f: _Failure) -> RedfishError:
    return NotRedfish(
        f"{f.where} does not speak HTTPS ({f.reason}): it looks like a plain HTTP server.",
        hint="Check the URL and port: Redfish services answer on https://<bmc>/redfish/v1/.",
    )


def _client_cert_expired(f: _Failure) -> RedfishError:
    return CertificateExpired(
        f"{f.where} refused the client certificate ({f.reason}): by the BMC's clock it is expired or not yet "
        "valid.",
        hint="The certificate was valid by the local clock when the client loaded it, so compare it with the "
        "BMC's clock (redfishnb.oem.ilo.check_clock(admin, cert=...)): set the BMC's clock right (NTP) or issue "
        "a certificate valid by it.",
    )


def _client_cert_refused(f: _Failure) -> RedfishError:
    return CertificateNotTrusted(
        f"{f.where} ended the TLS connection after receiving the client certificate ({f.reason}): it does not "
        "trust the CA that signed it."
    )


def _client_cert_dropped(f: _Failure) -> RedfishError:
    return CertificateNotTrusted(
        f"{f.where} closed the connection after the TLS handshake in which the client certificate was offered, "
        f"before answering ({f.reason}): it most likely does not trust the CA that signed it."
    )


def _client_cert_missing(f: _Failure) -> RedfishError:
    return CertificateError(
        f"{f.where} requires a client certificate ({f.reason}) and none was given.",
        hint='Log in with a certificate: connect(..., auth="certificate", cert=..., key=...).',
    )


def _handshake_closed(f: _Failure) -> RedfishError:
    return TransportError(
        f"{f.where} closed the connection during the TLS handshake ({f.reason}).",
        hint="Check that the URL is the BMC's HTTPS address and that its TLS settings (protocol versions, "
        "ciphers) allow this client.",
    )


def _closed_while_sending(f: _Failure) -> RedfishError:
    request = getattr(f.exc, "request", None)
    if getattr(request, "body", None):
        return TransportError(
            f"{f.where} closed the connection while the request was being sent ({f.reason}): the BMC refused the "
            "request before reading all of it, for example a body larger than it accepts.",
            hint="Check the size of the request body (BMCs accept small JSON bodies) and retry.",
        )
    return _closed_before_answer(f)


def _closed_before_answer(f: _Failure) -> RedfishError:
    return TransportError(
        f"{f.where} closed the connection without answering ({f.reason}).",
        hint="Retry in a moment: the BMC's web server may be restarting (iLO restarts it after an HTTPS "
        "certificate change) or overloaded.",
    )


def _tls_error(f: _Failure) -> RedfishError:
    if f.step in ("connect", "?"):
        return TransportError(
            f"The TLS handshake with {f.where} failed: {f.reason}.",
            hint="Check that the URL is the BMC's HTTPS address and that its TLS settings allow modern clients.",
        )
    return TransportError(
        f"The TLS connection to {f.where} failed after the handshake: {f.reason}.",
        hint="Retry; if it persists, the BMC's web server may be restarting or misbehaving.",
    )


def _no_such_name(f: _Failure) -> RedfishError:
    return BMCUnreachable(
        f"Could not reach {f.where}: the name {f.host!r} does not resolve ({f.reason}).",
        host=f.host,
        timeout=f.timeout,
        hint="Check the spelling of the host name, or use the BMC's IP address.",
    )


def _unreachable(f: _Failure) -> RedfishError:
    refused = isinstance(f.exc, ConnectionRefusedError) or "refused" in f.reason.lower()
    if refused and f.host in ("127.0.0.1", "localhost", "::1"):
        hint = (
            f"Nothing accepts connections on {f.where}: check the port. On this machine that usually means the "
            "embedded mock BMC is resetting (wait a few seconds and try again) or has stopped (start it again and "
            "use its new URL)."
        )
    elif refused:
        hint = (
            f"Nothing accepts connections on {f.where}: check the port (iLO serves HTTPS on 443) and that the "
            "BMC's web server is enabled. Right after an iLO reset, wait a minute and try again."
        )
    else:
        hint = (
            "Check the address and port, and that the BMC is powered and reachable from here (ping, a VPN, a "
            "proxy: HTTPS_PROXY/NO_PROXY)."
        )
    return BMCUnreachable(
        f"Could not reach {f.where}: {f.reason}.", host=f.host, timeout=f.timeout, hint=hint
    )


def _other(f: _Failure) -> RedfishError:
    return TransportError(f"The request to {f.where} failed: {f.reason}")


# (condition, step, client certificate) -> error. "*" matches anything; the certificate column is tried before
# the step column, so a certificate refused after a TLS 1.3 handshake is CertificateNotTrusted in any step.
_Builder = Callable[[_Failure], RedfishError]
_TABLE: dict[tuple[str, str, str], _Builder] = {
    ("timeout", "*", "*"): _timed_out,
    ("server-cert", "*", "*"): _server_cert,
    ("bad-url", "*", "*"): _bad_url,
    ("plain-http", "*", "*"): _plain_http,
    ("cert-expired", "*", "none"): _tls_error,
    ("cert-expired", "*", "*"): _client_cert_expired,
    ("cert-rejected", "*", "none"): _tls_error,
    ("cert-rejected", "*", "*"): _client_cert_refused,
    ("cert-required", "*", "none"): _client_cert_missing,
    ("cert-required", "*", "*"): _client_cert_refused,
    ("eof", "*", "offered"): _client_cert_dropped,
    ("reset", "*", "offered"): _client_cert_dropped,
    ("eof", "connect", "*"): _handshake_closed,
    ("reset", "connect", "*"): _handshake_closed,
    ("eof", "send", "*"): _closed_while_sending,
    ("reset", "send", "*"): _closed_while_sending,
    ("eof", "*", "*"): _closed_before_answer,
    ("reset", "*", "*"): _closed_before_answer,
    ("tls", "*", "*"): _tls_error,
    ("dns", "*", "*"): _no_such_name,
    ("unreachable", "*", "*"): _unreachable,
}


def translate_exception(
    exc: BaseException, *, url: str, timeout: float, policy: TLSPolicy | None = None
) -> RedfishError:
    """Turn a requests/urllib3/ssl failure into the kit's typed error (never a raw traceback for the user)."""
    f = _describe(exc, url, timeout, policy)
    for key in (
        (f.condition, f.step, f.client),
        (f.condition, "*", f.client),
        (f.condition, f.step, "*"),
        (f.condition, "*", "*"),
    ):
        if key in _TABLE:
            return _TABLE[key](f)
    return _other(f)


def _tls_failure(
    url: str, where: str, verify_error: Any, policy: TLSPolicy | None, timeout: float
) -> TLSVerificationFailed:
    from .transport import peek_fingerprint  # the transport imports this module

    try:
        seen = peek_fingerprint(url, timeout=min(timeout, 5.0))
    except RedfishError:
        seen = None
    if policy is not None and policy.mode == "pin":
        return TLSVerificationFailed(
            f"The certificate of {where} does not match the pinned fingerprint.\n"
            f"  pinned: {policy.fingerprint}\n  seen:   {seen}\n"
            "Either the BMC's certificate was replaced (a new iLO certificate after a reset or a CSR import) or "
            "something is intercepting the connection.",
            fingerprint=seen,
            hint="Check the fingerprint the BMC itself shows (iLO web page: Security > SSL Certificate) before "
            "pinning a new value; never pin the one seen here without that check.",
        )
    reason = _reason(verify_error) if verify_error is not None else "certificate verify failed"
    code = getattr(verify_error, "verify_code", None)
    hint = _SERVER_CERT_HINTS.get(code) if isinstance(code, int) else None
    trust = (
        f"the CA file {policy.ca_file}" if policy is not None and policy.ca_file else "the system trust store"
    )
    if policy is not None and policy.mode == "ca" and not policy.ca_file:
        trust = "the CA given as PEM text"
    return TLSVerificationFailed(
        f"The certificate of {where} could not be verified with {trust}: {reason}.\n"
        f"Certificate seen: {seen or 'unknown'}",
        fingerprint=seen,
        hint=hint.format(host=where.rsplit(":", 1)[0]) if hint else None,
    )


# OpenSSL's verify codes whose cause is not "an unknown CA": the general hint (pass the CA, or pin) misleads.
_SERVER_CERT_HINTS = {
    62: "The certificate is from a CA you trust but does not name {host}: connect with a name or address it "
    "lists, or give the BMC a certificate that names {host} (redfishnb.oem.ilo.replace_https_certificate).",
    10: "The BMC's own certificate is expired by the local clock: give it a new one "
    "(redfishnb.oem.ilo.replace_https_certificate), or check the local clock if the dates look wrong.",
    9: "The BMC's own certificate is not yet valid by the local clock: check the local clock and the BMC's, "
    "or give it a certificate valid from now (redfishnb.oem.ilo.replace_https_certificate).",
}
