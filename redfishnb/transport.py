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
* :func:`server_certificate` does one bare handshake to show what a server presents (:func:`peek_fingerprint`
  for trust on first use, or a check against a CA before switching ``verify=``).
* Every HTTPS connection records the step a failure happened in (connect, send, read) and whether it had
  answered yet; :func:`~redfishnb.failures.translate_exception` (re-exported here) maps the failure to a typed
  error from that and from what the TLS/TCP layer reported.
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import certs
from .errors import BMCUnreachable, CAFileNotFound, NotRedfish, TLSVerificationFailed
from .failures import STEP_ATTRIBUTE, translate_exception
from .trust import parse_verify

__all__ = [
    "InsecureConnectionWarning",
    "TLSPolicy",
    "build_ssl_context",
    "SSLContextAdapter",
    "RedfishHTTPSession",
    "peek_fingerprint",
    "server_certificate",
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


def build_ssl_context(
    verify: bool | str = True,
    *,
    cert: Any = None,
    key: Any = None,
    key_password: str | bytes | None = None,
) -> TLSPolicy:
    """The TLS policy for one client, as a context requests/urllib3 will use unchanged.

    ``verify``: True (the system trust store; environment bundles are not consulted), a CA file or directory
    path (or PEM text), ``"sha256:<hex>"`` to pin the BMC's certificate, or False (no checking, warns once);
    the words and pasted fingerprint forms :func:`redfishnb.trust.parse_verify` reads are taken too.
    ``cert``/``key``/``key_password``: the client identity for certificate login (paths or PEM bytes); the key is
    decrypted into the context only, never onto disk.
    """
    setting = parse_verify(verify)  # every spelling of verify= is read one way (redfishnb.trust)
    ca_file = fingerprint = None
    if setting.mode == "system":
        ctx = ssl.create_default_context()
    elif setting.mode == "insecure":
        ctx = _unverified_context()
    elif setting.mode == "pin":
        ctx, fingerprint = _unverified_context(), setting.pin
    elif setting.pem is not None:
        ctx = ssl.create_default_context(cadata=setting.pem)
    else:
        ctx, ca_file = _ca_context(setting.path or "", verify)
    cert_path = key_path = None
    if cert is not None:
        _load_client_identity(ctx, cert, key, key_password)
        cert_path = _as_path(cert)
        key_path = _as_path(key)
    return TLSPolicy(
        ctx, setting.mode, ca_file, fingerprint, cert_path, key_path, cert is not None, bool(key_password)
    )


def _ca_context(path: str, given: object) -> tuple[ssl.SSLContext, str]:
    """The context trusting the CA file or directory ``path``; a missing one is named as the caller wrote it."""
    if os.path.isdir(path):
        return ssl.create_default_context(capath=path), path
    if os.path.isfile(path):
        return ssl.create_default_context(cafile=path), path
    text = os.fspath(given) if isinstance(given, str | os.PathLike) else path
    raise CAFileNotFound(f"verify={text!r}: the CA file or directory does not exist.", path=text)


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


def _mark(exc: BaseException, step: str, answered: int) -> None:
    """Record on ``exc`` the step it came from and how many answers its connection had given (first mark wins).

    An exception type without a ``__dict__`` cannot carry the mark; the failure mapping then says ``?``.
    """
    if getattr(exc, STEP_ATTRIBUTE, None) is None:
        with contextlib.suppress(AttributeError, TypeError):
            setattr(exc, STEP_ATTRIBUTE, (step, answered))


class _TrackedHTTPSConnection(HTTPSConnection):
    """Records where a failure happened: ``connect`` (TCP and TLS handshake), ``send`` or ``read``.

    It also counts the answers this connection has produced. With TLS 1.3 the client's side of the handshake
    ends before the server has judged the client certificate, so a refusal surfaces on the first write or read;
    an answer already read on the connection proves the certificate was accepted.
    """

    answered = 0

    def connect(self) -> None:
        self.answered = 0
        try:
            super().connect()
        except Exception as exc:
            _mark(exc, "connect", 0)
            raise

    def request(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().request(*args, **kwargs)
        except Exception as exc:
            _mark(exc, "send", self.answered)
            raise

    def getresponse(self) -> Any:
        try:
            response = super().getresponse()
        except Exception as exc:
            _mark(exc, "read", self.answered)
            raise
        self.answered += 1
        return response


class _TrackedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _QuietHTTPSConnection(_TrackedHTTPSConnection):
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
        quiet = self.policy.mode == "insecure"
        self.poolmanager.pool_classes_by_scheme = {
            "http": HTTPConnectionPool,
            "https": _QuietHTTPSConnectionPool if quiet else _TrackedHTTPSConnectionPool,
        }

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.policy.context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(  # type: ignore[override]  # urllib3 pool kwargs, a boundary
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host, stock = super().build_connection_pool_key_attributes(request, verify, None)
        pool: dict[str, Any] = dict(stock)
        for key in ("ca_certs", "ca_cert_dir", "cert_file", "key_file"):
            pool.pop(key, None)
        pool["ssl_context"] = self.policy.context
        pool["cert_reqs"] = self.policy.cert_reqs
        if self.policy.fingerprint:
            pool["assert_fingerprint"] = self.policy.fingerprint.split(":", 1)[1]
        return dict(host), pool

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        conn.cert_reqs = self.policy.cert_reqs
        conn.ca_certs = conn.ca_cert_dir = None


class RedfishHTTPSession(requests.Session):
    """A requests session that never forwards the session token to another host on a redirect."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]
        if self.should_strip_auth(response.request.url, prepared_request.url):  # type: ignore[no-untyped-call]
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


def peek_fingerprint(url: str, timeout: float = 5.0) -> str:
    """The ``sha256:<hex>`` fingerprint of the certificate the server at ``url`` presents, without verifying it.

    Trust on first use: compare it with the fingerprint the BMC's own web page (or its console) shows, then
    pin it with ``connect(url, ..., verify="sha256:...")``. Raises BMCUnreachable when nothing answers.
    """
    return certs.fingerprint(server_certificate(url, timeout=timeout))


def server_certificate(
    target: str,
    *,
    ca: certs.Source | x509.Certificate | certs.KeyPair | None = None,
    timeout: float = 5.0,
) -> x509.Certificate:
    """The certificate a TLS server presents, e.g. to see its fingerprint before pinning it (trust on first use).

    One bare handshake on its own socket, outside the requests session: it answers "what does this server show?"
    even when the client's own policy would refuse the connection.

    ``target`` is a URL (``https://10.0.0.5``, ``https://[::1]:8443``) or ``host:port``. With ``ca`` the
    certificate must chain to that CA and name the host, as ``connect(verify="ca.pem")`` requires; failure raises
    :class:`~redfishnb.errors.TLSVerificationFailed` with the fingerprint that was seen.
    """
    host, port = _host_port(target)
    if ca is None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        cadata = b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in certs.load_certificates(ca)
        ).decode()
        context = ssl.create_default_context(cadata=cadata)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        seen = certs.fingerprint(server_certificate(target, timeout=timeout))
        raise TLSVerificationFailed(
            f"The certificate of {host}:{port} does not verify against the given CA: {exc.verify_message}.",
            fingerprint=seen,
        ) from None
    except ssl.SSLError as exc:
        raise NotRedfish(f"{host}:{port} did not complete a TLS handshake ({exc.reason or exc}).") from None
    except OSError as exc:
        raise BMCUnreachable(
            f"Cannot connect to {host}:{port}: {exc.strerror or exc}.", host=host, timeout=timeout
        ) from None
    if not der:
        raise NotRedfish(f"{host}:{port} completed a TLS handshake without presenting a certificate.")
    return x509.load_der_x509_certificate(der)


def _host_port(target: str) -> tuple[str, int]:
    parts = urlsplit(target if "://" in target else f"https://{target}")
    if not parts.hostname:
        raise ValueError(f"not a URL or host:port: {target!r}")
    return parts.hostname, parts.port or 443


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
