"""The mock's TLS identity and the client-certificate trust that certificate login needs.

Each run makes its own CA (``redfishnb.certs.LabCA``) and a server certificate for 127.0.0.1, localhost and ::1.
The TLS layer *requests* a client certificate but does not require one, so password clients and certificate
clients share the port. Python's ``ssl`` has no verification callback, so the trust store is rebuilt as a fresh
``SSLContext`` whenever it changes (a CA imported, a certificate mapped, the HTTPS certificate replaced); new
connections use the new context, open ones keep theirs — as iLO's web server does after a restart.

The store trusts the imported CAs *and* the mapped user certificates themselves (partial-chain mode, clock
checks off), and the login handler then checks chain and validity itself against the BMC's clock. That way a
mapped certificate from an untrusted CA, or an expired one, gets a clear 403 instead of a bare TLS alert; only a
certificate the BMC has never heard of is refused during the handshake. While nothing is trusted, no client
certificate is requested at all.
"""

from __future__ import annotations

import socket
import ssl
import threading

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .. import certs
from ..certs import KeyPair, LabCA, fingerprint

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_NO_CHECK_TIME = 0x200000  # X509_V_FLAG_NO_CHECK_TIME: validity is checked against the mock's clock instead


class TLSIdentity:
    """The server certificate and key, the trusted client certificates, and the current SSLContext."""

    def __init__(
        self,
        ca: LabCA,
        hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1"),
        minimum: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    ) -> None:
        self.ca = ca
        self.hosts = hosts
        self.minimum = minimum  # the flavour's oldest TLS version (iLO 7 dropped 1.0 and 1.1)
        self._lock = threading.Lock()
        self._client_trust: list[x509.Certificate] = []
        self._require_client = False
        self.server: KeyPair = ca.issue_server(hosts)
        self.chain: list[x509.Certificate] = [self.server.cert]
        self.context = self._build()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.server.cert)

    def set_client_trust(self, certificates: list[x509.Certificate], *, required: bool = False) -> None:
        """Trust these certificates (imported CAs and mapped user certificates) for new connections.

        ``required``: refuse handshakes without a client certificate (a DMTF service whose
        ``RespondToUnauthenticatedClients`` is false)."""
        with self._lock:
            self._client_trust = list(certificates)
            self._require_client = required
            self.context = self._build()

    def replace_server_certificate(
        self, keypair: KeyPair, chain: list[x509.Certificate] | None = None
    ) -> None:
        """Serve a new certificate (after ``HpeHttpsCert.ImportCertificate``) on new connections."""
        with self._lock:
            self.server = keypair
            self.chain = [keypair.cert, *(chain or [])]
            self.context = self._build()

    def _build(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = self.minimum
        pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)
        certs.load_cert_chain(ctx, pem, self.server.key, check_dates=False)
        if self._client_trust:
            trust = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in self._client_trust)
            ctx.load_verify_locations(cadata=trust)
            ctx.verify_flags = ctx.verify_flags | ssl.VERIFY_X509_PARTIAL_CHAIN | _NO_CHECK_TIME
            ctx.verify_mode = ssl.CERT_REQUIRED if self._require_client else ssl.CERT_OPTIONAL
        return ctx


def certificate_hosts(host: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Names the server certificate covers: loopback, plus the bind address and the machine's names when the
    mock is reachable from elsewhere (so students can verify it with the CA file), plus any given names."""
    names = ["127.0.0.1", "localhost", "::1"]
    if host not in LOOPBACK:
        names.append(socket.gethostname())
        if host not in ("0.0.0.0", "::"):
            names.insert(0, host)  # the first name is the BMC's own address in absolute URLs
    names += extra
    if host == "::1":
        names.insert(0, "::1")
    return tuple(dict.fromkeys(n.lower() for n in names if n))
