"""Certificates, keys and CSRs read from what people have: bytes, PEM text, a path, or the objects themselves.

Every other part of :mod:`redfishnb.certs` starts here, so a missing file, a key that needs a passphrase or text
that is not PEM at all is reported once, with the kit's typed errors and a hint, instead of OpenSSL's
``[SSL] PEM lib``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ..errors import CertificateError, KeyPassphraseError
from ..wording import missing_file_hint

__all__ = [
    "PrivateKey",
    "Source",
    "HoldsCertificate",
    "load_private_key",
    "load_csr",
    "load_certificate",
    "load_certificates",
    "certificate_public_bytes",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
Source = bytes | str | os.PathLike[str]


class HoldsCertificate(Protocol):
    """Anything carrying a certificate as ``.cert`` (:class:`~redfishnb.certs.KeyPair`, :class:`~redfishnb.certs.LabCA`).

    Loading accepts these by shape, so this module needs nothing from the PKI that builds on it.
    """

    cert: x509.Certificate


CertSource = Source | x509.Certificate | HoldsCertificate
_T = TypeVar("_T")


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _utc(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


def _to_bytes(secret: str | bytes | None) -> bytes | None:
    return secret.encode() if isinstance(secret, str) else secret


def load_private_key(data: Source | PrivateKey, passphrase: str | bytes | None = None) -> PrivateKey:
    """Load a PEM (or DER) key from bytes, text or a path, with the kit's typed errors for passphrase problems.

    OpenSSL's own message for a wrong passphrase is ``[SSL] PEM lib``; checking here first gives
    :class:`~redfishnb.errors.KeyPassphraseError` with a hint instead.
    """
    if isinstance(data, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return data
    raw = _read_bytes(data, "private key")
    pw = _to_bytes(passphrase) or None
    loader = (
        serialization.load_pem_private_key if b"-----BEGIN" in raw else serialization.load_der_private_key
    )
    try:
        return loader(raw, password=pw)  # type: ignore[return-value]
    except TypeError:
        if pw is None:
            raise KeyPassphraseError("The private key is encrypted and no passphrase was given.") from None
        raise KeyPassphraseError(
            "A passphrase was given but the private key is not encrypted.",
            hint="Leave key_password out for an unencrypted key (or check that you passed the right key file).",
        ) from None
    except ValueError:
        if pw is not None and (b"ENCRYPTED" in raw or b"-----BEGIN" not in raw):
            raise KeyPassphraseError("The passphrase does not decrypt the private key.") from None
        raise CertificateError(
            "The data is not a PEM or DER private key.",
            hint="Pass the key file made with the CSR (it starts with -----BEGIN PRIVATE KEY----- or similar).",
        ) from None


def _read_bytes(data: Source, what: str) -> bytes:
    """Bytes of PEM/DER given as bytes, PEM text, or a path to a file."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str) and "-----BEGIN" in data:
        return data.encode()
    path = Path(data)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CertificateError(
            f"Cannot read the {what} file {str(path)!r}: it does not exist.",
            hint=missing_file_hint(str(path), f"the {what} file") + " The PEM text itself works too.",
        ) from None
    except OSError as exc:
        raise CertificateError(
            f"Cannot read the {what} file {str(path)!r}: {exc.strerror or exc}.",
            hint="Check that the file is readable by this user (and is a file), or pass the PEM text itself.",
        ) from None


def load_csr(data: Source) -> x509.CertificateSigningRequest:
    """A CSR from PEM (bytes, text, path) or DER, e.g. the ``CertificateSigningRequest`` iLO's HttpsCert shows."""
    return _parse(
        _read_bytes(data, "CSR"),
        x509.load_pem_x509_csr,
        x509.load_der_x509_csr,
        "The data is not a certificate signing request.",
        "Pass the text between -----BEGIN CERTIFICATE REQUEST----- and -----END CERTIFICATE REQUEST-----.",
    )


def _parse(raw: bytes, pem: Callable[[bytes], _T], der: Callable[[bytes], _T], problem: str, hint: str) -> _T:
    """PEM (any line endings) or DER through the matching loader; a typed error for anything else."""
    try:
        return pem(raw.replace(b"\r\n", b"\n")) if b"-----BEGIN" in raw else der(raw)
    except ValueError:
        raise CertificateError(problem, hint=hint) from None


def load_certificate(data: CertSource) -> x509.Certificate:
    """A certificate from PEM (bytes, text or path), DER bytes, or a :class:`~redfishnb.certs.KeyPair`; the first of a bundle."""
    return load_certificates(data)[0]


def load_certificates(data: CertSource) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle (a chain file, a CA file), or the one certificate of a DER blob."""
    if isinstance(data, x509.Certificate):
        return [data]
    if not isinstance(data, (bytes, str, os.PathLike)):
        return [data.cert]
    return _parse(
        _read_bytes(data, "certificate"),
        x509.load_pem_x509_certificates,
        lambda der: [x509.load_der_x509_certificate(der)],
        "The data is not a PEM or DER certificate.",
        "Pass the text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- (or its file).",
    )


def certificate_public_bytes(cert: x509.Certificate) -> bytes:
    """The certificate as PEM, the form iLO's import actions and ``UserCertificateMapping`` take."""
    return cert.public_bytes(serialization.Encoding.PEM)
