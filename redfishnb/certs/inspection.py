"""What a certificate says and whether it will do: dates, key, usage, issuer, the pair it forms with a key.

A certificate login fails for reasons OpenSSL reports badly (a wrong passphrase is ``PEM lib``, an expired
certificate a bare TLS alert), and iLO judges dates by its own clock. These checks run before any connection and
raise the kit's typed errors; :func:`certificates_frame` shows the same facts as a table for a notebook.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.x509.oid import NameOID

from ..errors import CertificateExpired, KeyMismatch
from .fingerprints import fingerprint, format_fingerprint
from .loading import (
    CertSource,
    PrivateKey,
    Source,
    _now,
    _utc,
    load_certificate,
    load_certificates,
    load_private_key,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "cn_of",
    "describe_certificate",
    "certificates_frame",
    "validity_status",
    "check_validity",
    "key_matches",
    "check_client_pair",
    "is_signed_by",
]


def _key_description(public_key: Any) -> str:
    if isinstance(public_key, rsa.RSAPublicKey):
        return f"RSA {public_key.key_size}"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"EC {names.get(public_key.curve.name, public_key.curve.name)}"
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(public_key, ed448.Ed448PublicKey):
        return "Ed448"
    return type(public_key).__name__


def _spki(public_key: PublicKeyTypes) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _extension(obj: x509.Certificate | x509.CertificateSigningRequest, kind: type) -> Any:
    """The value of one extension, or None when the certificate or CSR does not carry it."""
    try:
        return obj.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _is_ca(cert: x509.Certificate) -> bool:
    basic = _extension(cert, x509.BasicConstraints)
    return bool(basic and basic.ca)


def validity_status(cert: x509.Certificate, at: _dt.datetime | None = None) -> str:
    """``"valid"``, ``"expired"`` or ``"not yet valid"`` at ``at`` (default: now, UTC).

    Pass the BMC's clock as ``at`` to see the certificate as the BMC will: a BMC whose clock is behind rejects
    a freshly issued certificate as not yet valid.
    """
    when = _utc(at) if at else _now()
    if when < cert.not_valid_before_utc:
        return "not yet valid"
    if when > cert.not_valid_after_utc:
        return "expired"
    return "valid"


_CLOCKS = {"local": "the local clock", "BMC": "the BMC's clock"}


def check_validity(cert: x509.Certificate, at: _dt.datetime | None = None, *, clock: str = "local") -> None:
    """Raise :class:`~redfishnb.errors.CertificateExpired` unless the certificate is valid at ``at``.

    ``clock`` names where ``at`` came from (``"local"`` or ``"BMC"``): iLO judges a certificate by its own
    clock, so the message must say which clock this verdict is by, and the hint what that implies.
    """
    status = validity_status(cert, at)
    if status == "valid":
        return
    cn = cn_of(cert.subject) or cert.subject.rfc4514_string()
    window = (
        f"valid {cert.not_valid_before_utc:%Y-%m-%d %H:%M} to {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    )
    expired = status == "expired"
    if clock == "BMC":
        hint = (
            "Issue a new certificate: it is expired by the local clock too"
            if expired
            else "Issue a certificate whose validity has started: it is not yet valid by the local clock either"
        ) + ", so the BMC's clock is not the cause."
    else:
        hint = (
            "Issue a new certificate."
            if expired
            else "Wait until its validity starts, or issue one valid from now."
        ) + (
            " This check used the local clock; iLO judges certificates by its own clock, which "
            "redfishnb.oem.ilo.check_clock(admin, cert=...) compares with the local one."
        )
    raise CertificateExpired(
        f"The certificate for {cn!r} is {status} by {_CLOCKS.get(clock, clock)} ({window}).", hint=hint
    )


def key_matches(cert: x509.Certificate, key: PrivateKey) -> bool:
    """True when the private key is the one the certificate's public key belongs to."""
    return _spki(cert.public_key()) == _spki(key.public_key())


def is_signed_by(cert: x509.Certificate, ca: CertSource) -> bool:
    """True when ``ca`` directly issued ``cert`` (issuer name and signature both check out)."""
    ca_cert = load_certificate(ca)
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def check_client_pair(
    cert: Source | x509.Certificate,
    key: Source | PrivateKey,
    key_password: str | bytes | None = None,
    *,
    at: _dt.datetime | None = None,
    check_dates: bool = True,
) -> tuple[x509.Certificate, PrivateKey]:
    """Load and check a login certificate and its key before any connection is made.

    Raises :class:`~redfishnb.errors.KeyPassphraseError` (missing or wrong passphrase, or one given for a clear
    key), :class:`~redfishnb.errors.KeyMismatch` (the key is not the certificate's) and, with ``check_dates``,
    :class:`~redfishnb.errors.CertificateExpired`. OpenSSL would report all of these as ``PEM lib`` or a TLS alert.
    """
    certificate = load_certificate(cert)
    private_key = load_private_key(key, key_password)
    if not key_matches(certificate, private_key):
        cn = cn_of(certificate.subject) or certificate.subject.rfc4514_string()
        raise KeyMismatch(f"The private key does not belong to the certificate for {cn!r}.")
    if check_dates:
        check_validity(certificate, at)
    return certificate, private_key


def cn_of(name: x509.Name | x509.Certificate) -> str:
    """The CN of a name (or of a certificate's subject); empty when there is none."""
    if isinstance(name, x509.Certificate):
        name = name.subject
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""


def _usages(cert: x509.Certificate) -> str:
    eku = _extension(cert, x509.ExtendedKeyUsage) or []
    return ", ".join(getattr(oid, "_name", oid.dotted_string) for oid in eku)


def _sans(cert: x509.Certificate) -> str:
    return ", ".join(str(n.value) for n in _extension(cert, x509.SubjectAlternativeName) or [])


def describe_certificate(cert: CertSource, at: _dt.datetime | None = None) -> dict[str, Any]:
    """One certificate as a flat dict: the row :func:`certificates_frame` shows."""
    c = load_certificate(cert)
    when = _utc(at) if at else _now()
    return {
        "subject": cn_of(c.subject),
        "subject_dn": c.subject.rfc4514_string(),
        "issuer_dn": c.issuer.rfc4514_string(),
        "serial": format(c.serial_number, "X"),
        "not_before": c.not_valid_before_utc,
        "not_after": c.not_valid_after_utc,
        "status": validity_status(c, when),
        "days_left": (c.not_valid_after_utc - when).days,
        "key": _key_description(c.public_key()),
        "ca": _is_ca(c),
        "usage": _usages(c),
        "sans": _sans(c),
        "sha256": format_fingerprint(fingerprint(c, "sha256")),
        "sha1": format_fingerprint(fingerprint(c, "sha1")),
    }


def certificates_frame(*sources: CertSource, at: _dt.datetime | None = None) -> pd.DataFrame:
    """Inspect certificates as a table, one row per certificate (every certificate of a PEM bundle counts).

    Columns: subject (CN), subject_dn, issuer_dn, serial (hex), not_before, not_after (UTC), status at ``at``
    (valid / expired / not yet valid), days_left, key type, ca, usage (EKU), sans, and the SHA-256 and SHA-1
    fingerprints as browsers and iLO's web pages show them (colon-separated upper-case hex).
    """
    import pandas as pd

    rows = [describe_certificate(c, at) for source in sources for c in load_certificates(source)]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=_FRAME_COLUMNS)
    return frame


_FRAME_COLUMNS = [
    "subject",
    "subject_dn",
    "issuer_dn",
    "serial",
    "not_before",
    "not_after",
    "status",
    "days_left",
    "key",
    "ca",
    "usage",
    "sans",
    "sha256",
    "sha1",
]
