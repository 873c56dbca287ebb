"""HTTP transport for one BMC: one ``ssl.SSLContext`` carries the whole TLS policy, failures become typed errors.

Why this module exists: BMCs almost always present self-signed or lab-CA certificates, and the usual answers
(``--insecure``, ``verify=False``) teach people to switch checking off. requests also has traps that silently change
what gets verified: ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` override ``Session.verify``, the stock adapter merges
certifi into any custom context, and a custom ``X-Auth-Token`` header follows redirects to other hosts. Here:

* :func:`build_ssl_context` turns the caller's ``verify`` (True, a CA file, ``"sha256:<hex>"``, False) and an
  optional client certificate into one context; :class:`SSLContextAdapter` sends every HTTPS request through it
  and ignores whatever ``verify`` requests computed from the environment.
* Fingerprint pinning uses urllib3's own ``assert_fingerprint`` check on every new connection.
* :class:`RedfishHTTPSession` strips ``X-Auth-Token`` (requests already strips ``Authorization``) on a redirect
  to another host.
* :func:`translate_exception` maps requests/urllib3/ssl failures to :class:`~redfishnb.errors.BMCUnreachable`,
  :class:`~redfishnb.errors.TLSVerificationFailed`, :class:`~redfishnb.errors.NotRedfish` and friends.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import traceback
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import certs
from .errors import (
    BMCUnreachable,
    CertificateExpired,
    CertificateNotTrusted,
    NotRedfish,
    RedfishError,
    TLSVerificationFailed,
    TransportError,
)

__all__ = [
    "InsecureConnectionWarning",
    "TLSPolicy",
    "build_ssl_context",
    "SSLContextAdapter",
    "RedfishHTTPSession",
    "peek_fingerprint",
    "translate_exception",
    "warn_insecure",
    "warn_plain_http",
]


class InsecureConnectionWarning(UserWarning):
    """``verify=False``: the BMC's identity is not checked, so a machine in the middle could read the password."""


@dataclass(frozen=True)
class TLSPolicy:
    """What the caller asked for, in the form the adapter and the cURL rendering need.

    ``mode`` is ``"system"`` (verify=True), ``"ca"`` (a CA file or directory), ``"pin"`` (sha256 fingerprint) or
    ``"insecure"`` (verify=False). ``client_cert`` is the path of the client certificate when one is given as a
    path (shown in cURL); the certificate itself lives in ``context``.
    """

    context: ssl.SSLContext
    mode: str
    ca_file: str | None = None
    fingerprint: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    has_client_cert: bool = False
    key_encrypted: bool = False

    @property
    def cert_reqs(self) -> str:
        return "CERT_NONE" if self.context.verify_mode == ssl.CERT_NONE else "CERT_REQUIRED"

    def describe(self) -> str:
        """A short, secret-free phrase for reprs: ``ca=lab-ca.pem``, ``pinned sha256:ab12…``."""
        if self.mode == "ca":
            return f"ca={os.path.basename(self.ca_file or '')}"
        if self.mode == "pin":
            return f"pinned {(self.fingerprint or '')[:13]}…"
        return {"system": "system trust", "insecure": "NOT VERIFIED"}[self.mode]


_PIN = re.compile(r"^sha256:([0-9a-fA-F:]{64,95})$")


def _parse_pin(value: str) -> str | None:
    """``sha256:<hex>`` (hex may carry colons, as iLO's web page shows it) -> 64 lower-case hex digits."""
    match = _PIN.match(value.strip())
    if not match:
        return None
    digits = match.group(1).replace(":", "").lower()
    return digits if len(digits) == 64 else None


def build_ssl_context(
    verify: bool | str = True,
    *,
    cert: Any = None,
    key: Any = None,
    key_password: str | bytes | None = None,
) -> TLSPolicy:
    """The TLS policy for one client, as a context requests/urllib3 will use unchanged.

    ``verify``: True (the system trust store; environment bundles are not consulted), a CA file or directory
    path (or PEM text), ``"sha256:<hex>"`` to pin the BMC's certificate, or False (no checking, warns once).
    ``cert``/``key``/``key_password``: the client identity for certificate login (paths or PEM bytes); the key is
    decrypted into the context only, never onto disk.
    """
    ca_file = fingerprint = None
    if verify is True:
        ctx, mode = ssl.create_default_context(), "system"
    elif verify is False:
        ctx, mode = _unverified_context(), "insecure"
    elif isinstance(verify, str) and verify.lower().startswith("sha256:"):
        digits = _parse_pin(verify)
        if digits is None:
            raise ValueError(
                'verify="sha256:<64 hex digits>" expected (peek_fingerprint(url) shows the value)'
            )
        ctx, mode, fingerprint = _unverified_context(), "pin", f"sha256:{digits}"
    elif isinstance(verify, str | os.PathLike):
        text = os.fspath(verify)
        if "-----BEGIN CERTIFICATE-----" in text:
            ctx, mode = ssl.create_default_context(cadata=text), "ca"
        elif os.path.isdir(text):
            ctx, mode, ca_file = ssl.create_default_context(capath=text), "ca", text
        elif os.path.isfile(text):
            ctx, mode, ca_file = ssl.create_default_context(cafile=text), "ca", text
        else:
            raise FileNotFoundError(f"verify={text!r}: no such CA file or directory")
    else:
        raise TypeError("verify must be True, False, a CA file path or 'sha256:<hex>'")
    cert_path = key_path = None
    if cert is not None:
        _load_client_identity(ctx, cert, key, key_password)
        cert_path = _as_path(cert)
        key_path = _as_path(key)
    return TLSPolicy(
        ctx, mode, ca_file, fingerprint, cert_path, key_path, cert is not None, bool(key_password)
    )


def _unverified_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _as_path(value: Any) -> str | None:
    if isinstance(value, str | os.PathLike) and "-----BEGIN" not in os.fspath(value):
        return os.fspath(value)
    return None


def _load_client_identity(ctx: ssl.SSLContext, cert: Any, key: Any, key_password: str | bytes | None) -> None:
    """Check the pair with cryptography first (typed errors: passphrase, mismatch, dates), then load it."""
    certs.load_cert_chain(ctx, cert, key if key is not None else cert, key_password)


class _QuietHTTPSConnection(HTTPSConnection):
    """``verify=False`` connections: the client already warned once; urllib3 would warn again on every request."""

    def connect(self) -> None:
        super().connect()
        self.is_verified = True


class _QuietHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _QuietHTTPSConnection


class SSLContextAdapter(HTTPAdapter):
    """Send every HTTPS request through one pre-built context, whatever ``verify`` requests passes in.

    The stock adapter loads certifi (or ``REQUESTS_CA_BUNDLE``) into the pool and lets urllib3 rewrite the
    context per connection; the overrides below keep the caller's policy intact (see module docstring).
    """

    def __init__(self, policy: TLSPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.policy.context
        super().init_poolmanager(*args, **kwargs)
        if self.policy.mode == "insecure":
            self.poolmanager.pool_classes_by_scheme = {
                "http": HTTPConnectionPool,
                "https": _QuietHTTPSConnectionPool,
            }

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.policy.context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host, pool = super().build_connection_pool_key_attributes(request, verify, None)
        for key in ("ca_certs", "ca_cert_dir", "cert_file", "key_file"):
            pool.pop(key, None)
        pool["ssl_context"] = self.policy.context
        pool["cert_reqs"] = self.policy.cert_reqs
        if self.policy.fingerprint:
            pool["assert_fingerprint"] = self.policy.fingerprint.split(":", 1)[1]
        return host, pool

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        conn.cert_reqs = self.policy.cert_reqs
        conn.ca_certs = conn.ca_cert_dir = None


class RedfishHTTPSession(requests.Session):
    """A requests session that never forwards the session token to another host on a redirect."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url, prepared_request.url):
            prepared_request.headers.pop("X-Auth-Token", None)


def make_http_session(policy: TLSPolicy, base_url: str | None = None) -> RedfishHTTPSession:
    """One keep-alive session with the policy mounted for HTTPS; plain HTTP keeps the stock adapter.

    A client talks to one BMC, so the proxy settings (``HTTPS_PROXY``, ``NO_PROXY``) are read once here and the
    environment is not consulted again: requests would otherwise walk ``os.environ`` on every request (a fifth
    of the client's CPU in a fleet audit), let ``REQUESTS_CA_BUNDLE`` compete with the policy, and add
    ``~/.netrc`` credentials behind the caller's back.
    """
    http = RedfishHTTPSession()
    if base_url is not None:
        http.proxies.update(requests.utils.get_environ_proxies(base_url))
        http.trust_env = False
    http.mount("https://", SSLContextAdapter(policy))
    http.headers.update({"OData-Version": "4.0", "Accept": "application/json"})
    return http


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def peek_fingerprint(url: str, timeout: float = 5.0) -> str:
    """The ``sha256:<hex>`` fingerprint of the certificate the server at ``url`` presents, without verifying it.

    Trust on first use: compare it with the fingerprint the BMC's own web page (or its console) shows, then
    pin it with ``connect(url, ..., verify="sha256:...")``. Raises BMCUnreachable when nothing answers.
    """
    return certs.fingerprint(certs.server_certificate(url, timeout=timeout))


# ---------------------------------------------------------------------------------------------------------------
# Failure mapping


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


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return exc.verify_message or exc.reason or "certificate verify failed"
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return exc.reason.replace("_", " ").lower()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).split("\n")[0][:200]


def _while_sending(exc: BaseException) -> bool:
    """True when ``exc`` was raised writing the request to an established connection (not during the handshake).

    A BMC that refuses a request from its headers (a body over its size limit) may close before the body is all
    sent; the client then sees an EOF or a reset on ``send``, which looks like a handshake failure unless we
    look at where it happened."""
    names = {frame.name for frame in traceback.extract_tb(exc.__traceback__)}
    return bool(names & {"send", "sendall"}) and not names & {"do_handshake", "connect", "_validate_conn"}


def translate_exception(
    exc: BaseException, *, url: str, timeout: float, policy: TLSPolicy | None = None
) -> RedfishError:
    """Turn a requests/urllib3/ssl failure into the kit's typed error (never a raw traceback for the user)."""
    host, port = _host_port(url)
    where = f"{host}:{port}"
    chain = _chain(exc)
    kinds = tuple(type(e) for e in chain)

    def find(cls: type) -> Any:
        return next((e for e in chain if isinstance(e, cls)), None)

    if any(issubclass(k, requests.exceptions.Timeout) for k in kinds) or find(socket.timeout):
        phase = "connect to" if find(requests.exceptions.ConnectTimeout) else "get an answer from"
        return BMCUnreachable(
            f"Could not {phase} {where} within the {timeout:g} s timeout.", host=host, timeout=timeout
        )
    verify_error = find(ssl.SSLCertVerificationError)
    text = " ".join(str(e) for e in chain)
    if verify_error is not None or "Fingerprints did not match" in text:
        return _tls_failure(url, where, verify_error, policy, timeout)
    low_level = (e for e in chain if isinstance(e, OSError) and not isinstance(e, requests.RequestException))
    sending = next((e for e in low_level if _while_sending(e)), None)
    if sending is not None:
        return TransportError(
            f"{where} closed the connection while the request was being sent ({_reason(sending)}): the BMC "
            "refused the request before reading all of it, for example a body larger than it accepts.",
            hint="Check the size of the request body (BMCs accept small JSON bodies) and retry.",
        )
    ssl_error = find(ssl.SSLError)
    if ssl_error is not None or isinstance(exc, requests.exceptions.SSLError):
        reason = _reason(ssl_error) if ssl_error is not None else _reason(exc)
        low = reason.lower()
        if "wrong version number" in low or "record layer failure" in low or "http request" in low:
            return NotRedfish(
                f"{where} does not speak HTTPS ({reason}): it looks like a plain HTTP server.",
                hint="Check the URL and port: Redfish services answer on https://<bmc>/redfish/v1/.",
            )
        if policy is not None and policy.has_client_cert and ("alert" in low or "eof" in low):
            if "expired" in low:
                return CertificateExpired(
                    f"{where} refused the client certificate during the handshake: {reason}."
                )
            return CertificateNotTrusted(
                f"{where} ended the TLS connection after receiving the client certificate ({reason}): it does not "
                "trust the CA that signed it."
            )
        return TransportError(
            f"The TLS handshake with {where} failed: {reason}.",
            hint="Check that the URL is the BMC's HTTPS address and that its TLS settings allow modern clients.",
        )
    if any(issubclass(k, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema) for k in kinds):
        return NotRedfish(
            f"{url!r} is not a usable URL: {_reason(exc)}", hint="Use https://<bmc address>[:port]."
        )
    if policy is not None and policy.has_client_cert and find(ConnectionResetError) is not None:
        return CertificateNotTrusted(
            f"{where} reset the connection after receiving the client certificate: it most likely does not trust "
            "the CA that signed it."
        )
    os_error = next((e for e in chain if isinstance(e, OSError) and e.strerror), None)
    if any(issubclass(k, requests.exceptions.ConnectionError) for k in kinds) or os_error is not None:
        reason = _reason(os_error) if os_error is not None else "the connection failed"
        if isinstance(os_error, socket.gaierror):
            reason = f"the name {host!r} does not resolve ({os_error.strerror})"
        return BMCUnreachable(f"Could not reach {where}: {reason}.", host=host, timeout=timeout)
    return TransportError(f"The request to {where} failed: {_reason(exc)}")


def _tls_failure(
    url: str, where: str, verify_error: Any, policy: TLSPolicy | None, timeout: float
) -> TLSVerificationFailed:
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
    trust = (
        f"the CA file {policy.ca_file}" if policy is not None and policy.ca_file else "the system trust store"
    )
    if policy is not None and policy.mode == "ca" and not policy.ca_file:
        trust = "the CA given as PEM text"
    return TLSVerificationFailed(
        f"The certificate of {where} could not be verified with {trust}: {reason}.\n"
        f"Certificate seen: {seen or 'unknown'}",
        fingerprint=seen,
    )


def warn_insecure(url: str) -> None:
    """The one visible warning for ``verify=False`` (shown once per client, at connect)."""
    warnings.warn(
        f"TLS verification is OFF for {url}: the BMC's identity is not checked and the password could be read by "
        'a machine in the middle. Pass verify="bmc-ca.pem" or pin verify="sha256:..." '
        "(redfishnb.transport.peek_fingerprint(url) shows it).",
        InsecureConnectionWarning,
        stacklevel=3,
    )


def warn_plain_http(url: str) -> None:
    """The one visible warning for a Redfish service on plain ``http://`` (test rigs): credentials travel in clear.

    Shown once per client, after the unauthenticated service root has been read and before any credential is
    sent (a BMC that redirects http to https is refused before that point instead)."""
    warnings.warn(
        f"{url} is plain HTTP: the password and session token travel in clear, readable by anyone on the path. "
        "Use https:// whenever the service offers it.",
        InsecureConnectionWarning,
        stacklevel=4,
    )
