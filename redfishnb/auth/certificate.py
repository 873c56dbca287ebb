"""Certificate login: the client certificate (mutual TLS) is the credential; the BMC answers with a session.

iLO's way (:class:`CertificateSession`): ``GET /html/login_cert.html`` over mutual TLS, answered 200/201 with the
same ``X-Auth-Token`` and ``Location`` as a password login. The DMTF standard's way
(:class:`StandardCertificateSession`, overriding :meth:`CertificateSession._open`): the service maps a trusted
client certificate to an account (``AccountService.MultiFactorAuth.ClientCertificate``), and a session ``POST``
over mutual TLS without ``UserName``/``Password`` opens a session for that account. ``auth_for`` picks one from the
service root. The certificate and key live in the client's TLS context
(:func:`redfishnb.transport.build_ssl_context`), so a new login after a 401 needs no secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.x509.oid import NameOID

from ..errors import (
    BadRequest,
    CertificateError,
    CertificateNotMapped,
    CertificateNotTrusted,
    InsufficientPrivilege,
    InvalidCredentials,
    NoValidSession,
    RedfishError,
    error_from_response,
    retyped,
)
from .base import ClientIdentity, NoAuth, Wire
from .service import is_standard
from .session import SessionAuth, login_failed

__all__ = [
    "CertificateSession",
    "StandardCertificateSession",
    "ClientIdentity",
    "CERTIFICATE_LOGIN_URI",
    "untrusted_by",
]

CERTIFICATE_LOGIN_URI = "/html/login_cert.html"

_NO_TOKEN_HINT = (
    "This firmware's certificate login opened no Redfish session: update the iLO firmware, or log in with a "
    "user name and password."
)
_REFUSED_HINT = (
    "Check that certificate login is enabled and licensed, that the BMC trusts the CA of your certificate, and "
    "that the certificate is mapped to a user: redfishnb.oem.ilo.certificate_login_problems(admin, cert) lists "
    "what is missing."
)


class CertificateSession(SessionAuth):
    """A session opened by presenting a client certificate (paths or PEM bytes; the key may be encrypted)."""

    method = "certificate"
    standard: bool | None = False

    def __init__(
        self, cert: Any, key: Any = None, passphrase: str | bytes | None = None, *, refreshable: bool = False
    ) -> None:
        super().__init__(None, refreshable=refreshable)
        self._identity = ClientIdentity(cert, key, passphrase)

    @property
    def client_identity(self) -> ClientIdentity:
        return self._identity

    def login(self, wire: Wire) -> None:
        """Open the session; the user the certificate maps to is read from the session when the login did not
        name it."""
        self._open(wire)
        if not self.username and self.session_uri:
            body = wire.send("GET", self.session_uri).json or {}
            self.username = body.get("UserName") or self.username

    def _open(self, wire: Wire) -> None:
        """iLO: the login page, over mutual TLS. A refusal without a certificate-specific MessageId is still
        about the certificate login, and says what to check."""
        response = wire.send("GET", CERTIFICATE_LOGIN_URI, auth=NoAuth(), client_cert=True)
        if response.status < 400:
            self._adopt(response, wire.url, f"GET {CERTIFICATE_LOGIN_URI}", _NO_TOKEN_HINT)
            return
        error = login_failed(response, "GET", CERTIFICATE_LOGIN_URI, wire.login_delay)
        if isinstance(error, InsufficientPrivilege | InvalidCredentials | NoValidSession):
            raise retyped(error, CertificateError, hint=_REFUSED_HINT)
        raise error

    def drop_credentials(self) -> None:
        super().drop_credentials()
        self._identity = ClientIdentity(self._identity.cert, self._identity.key, None)


_STANDARD_TRUST_HINT = (
    "Make the BMC trust the CA that issued your certificate: an administrator POSTs the CA's PEM as "
    '{"CertificateString": ..., "CertificateType": "PEM"} to the manager\'s Truststore/Certificates (listed at '
    "/redfish/v1/AccountService/MultiFactorAuth/ClientCertificate/Certificates)."
)


class StandardCertificateSession(CertificateSession):
    """A DMTF-standard service's certificate login: a session POST over mutual TLS, no user name or password."""

    standard = True

    def _open(self, wire: Wire) -> None:
        """POST an empty login body presenting the certificate. The service answers a certificate it cannot map
        like a login without credentials (400 PropertyMissing, or 401): the error says what to check."""
        try:
            response = wire.send("POST", wire.login_uri, json={}, auth=NoAuth(), client_cert=True)
        except CertificateNotTrusted as refused:
            raise retyped(refused, CertificateNotTrusted, hint=_STANDARD_TRUST_HINT) from None
        if response.status < 400:
            self._adopt(response, wire.url, f"POST {wire.login_uri}", _NO_TOKEN_HINT)
            return
        error = error_from_response(
            response.status, response.json, method="POST", url=wire.login_uri, response=response
        )
        if type(error) in (BadRequest, InvalidCredentials, NoValidSession, InsufficientPrivilege):
            raise retyped(
                error,
                CertificateNotMapped,
                f"POST {wire.login_uri} over mutual TLS opened no session (HTTP {response.status}): the BMC did not "
                "take the client certificate as a login.",
                hint=not_mapped_hint(self.client_identity.cert),
            )
        raise error


def not_mapped_hint(cert: Any) -> str:
    """What an administrator checks on a standard service, naming this certificate's common name."""
    name = _common_name(cert)
    named = f" (yours is {name!r})" if name else ""
    return (
        "An administrator checks AccountService.MultiFactorAuth.ClientCertificate: Enabled must be true, the CA "
        "that issued the certificate must be in its Certificates (the manager's Truststore), and "
        "CertificateMappingAttribute must map the certificate to an account: CommonName: the subject's common "
        f"name{named} is the account's UserName; UserPrincipalName: the certificate carries a UPN "
        "<user>@<the BMC's domain>; Whole: the certificate itself is added to the account's Certificates. "
        "The certificate must also be valid on the BMC's own clock (compare its validity with the Date header "
        "of any answer)."
    )


def _common_name(cert: Any) -> str | None:
    from ..certs import load_certificate  # the certs package loads when a refusal needs it, not at import

    try:
        names = load_certificate(cert).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except (RedfishError, ValueError, OSError, TypeError):
        return None
    value = names[0].value if names else None
    return value if isinstance(value, str) else None


def untrusted_by(refused: CertificateNotTrusted, read_root: Callable[[], Any]) -> CertificateNotTrusted:
    """A handshake that refused the client certificate, worded for the service: the refusal came before the
    service root could be read, so ``read_root`` reads it without the certificate (iLO's wording when it fails)."""
    try:
        root = read_root()
    except RedfishError:
        return refused
    if not is_standard(root):
        return refused
    return retyped(refused, CertificateNotTrusted, hint=_STANDARD_TRUST_HINT)
