"""Lab PKI on ``cryptography``: CAs, keys, CSRs, signing, inspection, fingerprints and PEM-in-JSON.

Certificate login on iLO needs a CA the BMC trusts, a user certificate that CA signed, and the certificate's
PEM pasted into a JSON string. HPE's walkthrough does this with ``openssl`` commands and ``sed``; here each step
is one call, tested end to end by real TLS handshakes against the embedded mock BMC (which uses this module for
its own server certificates). No function shells out, and no decrypted key is ever written to disk by the kit:
when a key held in memory must reach OpenSSL through a file, it is written encrypted with a one-time passphrase.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import ipaddress
import json
import os
import re
import secrets
import socket
import ssl
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .errors import (
    BMCUnreachable,
    CertificateError,
    CertificateExpired,
    KeyMismatch,
    KeyPassphraseError,
    NotRedfish,
    TLSVerificationFailed,
)
from .wording import missing_file_hint

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "KeyPair",
    "LabCA",
    "IssuedCert",
    "generate_key",
    "key_to_pem",
    "load_private_key",
    "make_csr",
    "load_csr",
    "csr_to_pem",
    "load_certificate",
    "load_certificates",
    "certificate_public_bytes",
    "cn_of",
    "describe_certificate",
    "certificates_frame",
    "validity_status",
    "check_validity",
    "key_matches",
    "check_client_pair",
    "load_cert_chain",
    "is_signed_by",
    "server_certificate",
    "fingerprint",
    "format_fingerprint",
    "parse_fingerprint",
    "fingerprints_match",
    "pem_to_json_string",
    "json_string_to_pem",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
Source = bytes | str | os.PathLike
_DIGEST_SIZES = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _utc(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


def _to_bytes(secret: str | bytes | None) -> bytes | None:
    return secret.encode() if isinstance(secret, str) else secret


# ---------------------------------------------------------------------------------------------------------------
# Keys


def generate_key(kind: str = "ec") -> PrivateKey:
    """A new private key: ``"ec"`` (P-256, fast, the default) or ``"rsa"`` (2048 bits, what iLO's CSR uses)."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"key kind must be 'ec' or 'rsa', not {kind!r}")


def key_to_pem(key: PrivateKey, passphrase: str | bytes | None = None) -> bytes:
    """PKCS#8 PEM of a key, encrypted (AES-256) with the passphrase when one is given."""
    pw = _to_bytes(passphrase)
    enc: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(pw) if pw else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


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


def _spki(public_key: Any) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# ---------------------------------------------------------------------------------------------------------------
# CSRs


_NAME_OIDS = {
    "country": NameOID.COUNTRY_NAME,
    "state": NameOID.STATE_OR_PROVINCE_NAME,
    "locality": NameOID.LOCALITY_NAME,
    "organization": NameOID.ORGANIZATION_NAME,
    "organizational_unit": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "email": NameOID.EMAIL_ADDRESS,
}


def _name(common_name: str, **attrs: str | None) -> x509.Name:
    unknown = set(attrs) - set(_NAME_OIDS)
    if unknown:
        raise ValueError(f"unknown subject field(s) {sorted(unknown)}; use {sorted(_NAME_OIDS)}")
    parts = [x509.NameAttribute(_NAME_OIDS[k], v) for k, v in attrs.items() if v]
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def make_csr(
    key: PrivateKey,
    common_name: str,
    *,
    organization: str | None = None,
    organizational_unit: str | None = None,
    country: str | None = None,
    state: str | None = None,
    locality: str | None = None,
    email: str | None = None,
    sans: Iterable[str] = (),
) -> x509.CertificateSigningRequest:
    """A CSR with the usual subject fields, as ``openssl req -new`` would make it.

    For a user certificate the common name is usually the iLO user name (``student``); the BMC maps the
    certificate itself, not the name, so any subject works.
    """
    if country is not None and len(country) != 2:
        raise ValueError("country must be a two-letter code such as 'FR' or 'US'")
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        _name(
            common_name,
            country=country,
            state=state,
            locality=locality,
            organization=organization,
            organizational_unit=organizational_unit,
            email=email,
        )
    )
    names = _san_list(sans)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(key, hashes.SHA256())


def load_csr(data: Source) -> x509.CertificateSigningRequest:
    """A CSR from PEM (bytes, text, path) or DER, e.g. the ``CertificateSigningRequest`` iLO's HttpsCert shows."""
    return _parse(
        _read_bytes(data, "CSR"),
        x509.load_pem_x509_csr,
        x509.load_der_x509_csr,
        "The data is not a certificate signing request.",
        "Pass the text between -----BEGIN CERTIFICATE REQUEST----- and -----END CERTIFICATE REQUEST-----.",
    )


def _parse(raw: bytes, pem: Any, der: Any, problem: str, hint: str) -> Any:
    """PEM (any line endings) or DER through the matching loader; a typed error for anything else."""
    try:
        return pem(raw.replace(b"\r\n", b"\n")) if b"-----BEGIN" in raw else der(raw)
    except ValueError:
        raise CertificateError(problem, hint=hint) from None


def csr_to_pem(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.PEM)


def _san_list(sans: Iterable[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for s in sans:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(s)))
        except ValueError:
            out.append(x509.DNSName(s))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Certificates with their keys, and the lab CA


@dataclass
class KeyPair:
    """A certificate with its key. The key never appears in the repr."""

    cert: x509.Certificate
    key: PrivateKey = field(repr=False)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, passphrase: str | bytes | None = None) -> bytes:
        return key_to_pem(self.key, passphrase)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.cert)

    def write_cert(self, path: str | os.PathLike) -> Path:
        """Write the certificate alone (public), e.g. a CA file for ``connect(verify="ca.pem")``."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(self.cert_pem)
        return p

    def write(
        self, directory: str | os.PathLike, stem: str, passphrase: str | bytes | None = None
    ) -> tuple[Path, Path]:
        """Write ``stem.crt`` and ``stem.key`` (mode 0600; encrypted when a passphrase is given).

        The unencrypted pair is what ``ilorest login --usercert stem.crt --userkey stem.key`` and HPE's library
        (``ca_cert_data={"cert_file": ..., "key_file": ...}``) read.
        """
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        crt, keyfile = self.write_cert(d / f"{stem}.crt"), d / f"{stem}.key"
        _write_private(keyfile, self.key_pem(passphrase))
        return crt, keyfile

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} subject={self.cert.subject.rfc4514_string()!r} "
            f"{_key_description(self.cert.public_key())} {format_fingerprint(self.fingerprint)[:23]}…>"
        )


IssuedCert = KeyPair


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class LabCA(KeyPair):
    """A self-signed certificate authority for a lab: signs BMC server certificates and user certificates.

    Real deployments use the organisation's CA; the API is the same (``sign_csr`` takes any CSR, including the
    one iLO generates for its own HTTPS certificate).
    """

    @classmethod
    def create(
        cls,
        common_name: str = "redfishnb lab CA",
        *,
        organization: str | None = "redfishnb lab",
        days: int = 3650,
        key_kind: str = "ec",
    ) -> LabCA:
        key = generate_key(key_kind)
        name = _name(common_name, organization=organization)
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(minutes=5))
            .not_valid_after(now + _dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(cert=cert, key=key)

    @classmethod
    def load(cls, cert: Source, key: Source, passphrase: str | bytes | None = None) -> LabCA:
        """The CA from its certificate and key files (as :meth:`KeyPair.write` stores them)."""
        ca_cert, ca_key = check_client_pair(cert, key, passphrase, check_dates=False)
        if not _is_ca(ca_cert):
            raise CertificateError(
                "This certificate is not a CA certificate (BasicConstraints CA is not true).",
                hint="Pass the CA's own certificate and key, not a certificate it issued.",
            )
        return cls(cert=ca_cert, key=ca_key)

    def sign_csr(
        self,
        csr: x509.CertificateSigningRequest,
        *,
        usage: str = "client",
        days: int = 365,
        not_before: _dt.datetime | None = None,
        not_after: _dt.datetime | None = None,
        sans: Iterable[str] = (),
    ) -> x509.Certificate:
        """Sign a CSR for ``usage`` ``"client"`` (user login) or ``"server"`` (a BMC's HTTPS certificate).

        The subject, public key and subject alternative names come from the CSR; ``sans`` adds names (iLO's CSR
        carries only its host name, while a lab reaches it by IP address). ``not_before``/``not_after`` override
        the validity, e.g. to make an expired or not-yet-valid certificate for a test.
        """
        if usage not in ("client", "server"):
            raise ValueError(f"usage must be 'client' or 'server', not {usage!r}")
        if not csr.is_signature_valid:
            raise CertificateError(
                "The CSR's signature does not verify: it was altered or made with another key.",
                hint="Generate the CSR again and sign that one.",
            )
        now = _now()
        start = _utc(not_before) if not_before else now - _dt.timedelta(minutes=5)
        end = _utc(not_after) if not_after else max(start, now) + _dt.timedelta(days=days)
        if end <= start:
            raise ValueError("not_after must be later than not_before")
        eku = ExtendedKeyUsageOID.CLIENT_AUTH if usage == "client" else ExtendedKeyUsageOID.SERVER_AUTH
        ca_ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        public_key = csr.public_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                _key_usage(ca=False, rsa_key=isinstance(public_key, rsa.RSAPublicKey)), critical=True
            )
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        names = _csr_sans(csr) + [n for n in _san_list(sans) if n not in _csr_sans(csr)]
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(self.key, hashes.SHA256())

    def issue(
        self,
        common_name: str,
        *,
        usage: str = "client",
        sans: Iterable[str] = (),
        key_kind: str = "ec",
        days: int = 365,
        not_before: _dt.datetime | None = None,
        not_after: _dt.datetime | None = None,
        **subject: str,
    ) -> KeyPair:
        """Make a key, a CSR and sign it in one step (for fixtures and the mock's own certificate)."""
        key = generate_key(key_kind)
        csr = make_csr(key, common_name, sans=sans, **subject)
        cert = self.sign_csr(csr, usage=usage, days=days, not_before=not_before, not_after=not_after)
        return KeyPair(cert=cert, key=key)

    def issue_server(
        self, hosts: Iterable[str] = ("127.0.0.1", "localhost", "::1"), **kwargs: Any
    ) -> KeyPair:
        """A server certificate whose SANs cover the given host names and addresses."""
        hosts = list(hosts)
        return self.issue(hosts[0], usage="server", sans=hosts, **kwargs)


def _key_usage(*, ca: bool, rsa_key: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=rsa_key and not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _extension(obj: x509.Certificate | x509.CertificateSigningRequest, kind: type) -> Any:
    """The value of one extension, or None when the certificate or CSR does not carry it."""
    try:
        return obj.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _csr_sans(csr: x509.CertificateSigningRequest) -> list[x509.GeneralName]:
    return list(_extension(csr, x509.SubjectAlternativeName) or [])


def _is_ca(cert: x509.Certificate) -> bool:
    basic = _extension(cert, x509.BasicConstraints)
    return bool(basic and basic.ca)


# ---------------------------------------------------------------------------------------------------------------
# Loading and inspecting certificates


def load_certificate(data: Source | x509.Certificate | KeyPair) -> x509.Certificate:
    """A certificate from PEM (bytes, text or path), DER bytes, or a :class:`KeyPair`; the first of a bundle."""
    return load_certificates(data)[0]


def load_certificates(data: Source | x509.Certificate | KeyPair) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle (a chain file, a CA file), or the one certificate of a DER blob."""
    if isinstance(data, x509.Certificate):
        return [data]
    if isinstance(data, KeyPair):
        return [data.cert]
    return _parse(
        _read_bytes(data, "certificate"),
        x509.load_pem_x509_certificates,
        lambda der: [x509.load_der_x509_certificate(der)],
        "The data is not a PEM or DER certificate.",
        "Pass the text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- (or its file).",
    )


def certificate_public_bytes(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


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


def is_signed_by(cert: x509.Certificate, ca: x509.Certificate | KeyPair) -> bool:
    """True when ``ca`` directly issued ``cert`` (issuer name and signature both check out)."""
    ca_cert = ca.cert if isinstance(ca, KeyPair) else ca
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


def load_cert_chain(
    context: ssl.SSLContext,
    cert: Source | x509.Certificate,
    key: Source | PrivateKey,
    key_password: str | bytes | None = None,
    *,
    check_dates: bool = True,
) -> x509.Certificate:
    """Load a client identity into an ``ssl.SSLContext`` for mutual TLS, with typed errors.

    ``ssl`` only reads keys from files. The key is checked with :func:`check_client_pair`, then handed to OpenSSL
    through a private temporary directory, re-encrypted with a one-time random passphrase, and the files are
    removed at once: the decrypted key exists only in memory, whatever form it was given in.
    """
    certificate, private_key = check_client_pair(cert, key, key_password, check_dates=check_dates)
    chain = [certificate]
    if not isinstance(cert, x509.Certificate):
        chain += load_certificates(cert)[1:]
    one_time = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="redfishnb-") as tmp:
        crt, keyfile = Path(tmp, "client.crt"), Path(tmp, "client.key")
        crt.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
        _write_private(keyfile, key_to_pem(private_key, one_time))
        context.load_cert_chain(str(crt), str(keyfile), password=lambda: one_time)
    return certificate


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


def describe_certificate(cert: Source | x509.Certificate | KeyPair, at: _dt.datetime | None = None) -> dict:
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


def certificates_frame(
    *sources: Source | x509.Certificate | KeyPair, at: _dt.datetime | None = None
) -> pd.DataFrame:
    """Inspect certificates as a table, one row per certificate (every certificate of a PEM bundle counts).

    Columns: subject (CN), subject_dn, issuer_dn, serial (hex), not_before, not_after (UTC), status at ``at``
    (valid / expired / not yet valid), days_left, key type, ca, usage (EKU), sans, and the SHA-256 and SHA-1
    fingerprints as browsers and iLO's web pages show them (colon-separated upper-case hex).
    """
    import pandas as pd

    rows = [describe_certificate(c, at) for source in sources for c in load_certificates(source)]
    return pd.DataFrame(rows, columns=_FRAME_COLUMNS)


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


# ---------------------------------------------------------------------------------------------------------------
# A server's certificate, read from the TLS handshake


def server_certificate(
    target: str,
    *,
    ca: Source | x509.Certificate | KeyPair | None = None,
    timeout: float = 5.0,
) -> x509.Certificate:
    """The certificate a TLS server presents, e.g. to see its fingerprint before pinning it (trust on first use).

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
        cadata = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in load_certificates(ca)).decode()
        context = ssl.create_default_context(cadata=cadata)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        seen = fingerprint(server_certificate(target, timeout=timeout))
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
    return x509.load_der_x509_certificate(der)


def _host_port(target: str) -> tuple[str, int]:
    parts = urlsplit(target if "://" in target else f"https://{target}")
    if not parts.hostname:
        raise ValueError(f"not a URL or host:port: {target!r}")
    return parts.hostname, parts.port or 443


# ---------------------------------------------------------------------------------------------------------------
# Fingerprints


def fingerprint(cert: Source | x509.Certificate | KeyPair, algorithm: str = "sha256") -> str:
    """``sha256:<hex>`` of a certificate's DER: the form ``connect(verify=...)`` accepts for pinning."""
    if algorithm not in _DIGEST_SIZES.values():
        raise ValueError(f"algorithm must be one of {sorted(_DIGEST_SIZES.values())}, not {algorithm!r}")
    if isinstance(cert, bytes) and not cert.lstrip().startswith(b"-----BEGIN"):
        der = cert
    else:
        der = load_certificate(cert).public_bytes(serialization.Encoding.DER)
    return f"{algorithm}:{hashlib.new(algorithm, der).hexdigest()}"


_FP_PREFIX = re.compile(r"^\s*(?:(sha-?(?:1|256|384|512))\s*(?:fingerprint)?\s*[:=]?)?\s*", re.IGNORECASE)


def parse_fingerprint(text: str) -> str:
    """Read a fingerprint in any form people paste and return the canonical ``sha256:<hex>`` (or sha1/384/512).

    Accepts ``sha256:ab12…``, ``AB:12:…`` (Firefox, iLO, ``openssl x509 -fingerprint``), ``AB 12 …`` (Chrome),
    ``SHA256 Fingerprint=AB:12:…`` (openssl's output line) and bare hex; the algorithm is taken from the prefix
    or, without one, from the length.
    """
    match = _FP_PREFIX.match(text)
    named = match.group(1).lower().replace("-", "") if match and match.group(1) else None
    hexpart = re.sub(r"[\s:]", "", text[match.end() if match else 0 :]).lower()
    if not hexpart or not re.fullmatch(r"[0-9a-f]+", hexpart):
        raise ValueError(f"not a certificate fingerprint: {text[:80]!r}")
    algorithm = _DIGEST_SIZES.get(len(hexpart))
    if algorithm is None or (named and named != algorithm):
        raise ValueError(
            f"{len(hexpart)} hex digits is not a {named or 'SHA-1/256/384/512'} fingerprint: {text[:80]!r}"
        )
    return f"{algorithm}:{hexpart}"


def format_fingerprint(fp: str, style: str = "colon") -> str:
    """Show a fingerprint as BMCs and browsers do.

    ``colon``: ``AB:CD:…`` (iLO's web pages, Firefox, ``openssl``); ``space``: ``AB CD …`` (Chrome);
    ``openssl``: ``SHA256 Fingerprint=AB:CD:…``; ``hex``: bare lower-case hex; ``pin``: ``sha256:<hex>``.
    """
    canonical = parse_fingerprint(fp)
    algorithm, hexpart = canonical.split(":", 1)
    pairs = [hexpart[i : i + 2].upper() for i in range(0, len(hexpart), 2)]
    styles = {
        "colon": ":".join(pairs),
        "space": " ".join(pairs),
        "openssl": f"{algorithm.upper()} Fingerprint={':'.join(pairs)}",
        "hex": hexpart,
        "pin": canonical,
    }
    if style not in styles:
        raise ValueError(f"style must be one of {sorted(styles)}, not {style!r}")
    return styles[style]


def fingerprints_match(a: str, b: str) -> bool:
    """True when two fingerprints, in any of the forms :func:`parse_fingerprint` reads, are the same."""
    try:
        return parse_fingerprint(a) == parse_fingerprint(b)
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# PEM inside JSON


def pem_to_json_string(pem: bytes | str | x509.Certificate | KeyPair) -> str:
    """The PEM as a JSON string literal (what the seed's ``sed``/``awk`` step produces, done right).

    CR-LF and lone CR line endings are normalised to LF and the text ends with one newline; ``json.dumps`` does
    the escaping, so the result can be pasted into a request body. (Request bodies built with ``json=`` in
    Python need no such step: pass the PEM text itself.)
    """
    if isinstance(pem, (x509.Certificate, KeyPair)):
        pem = load_certificate(pem).public_bytes(serialization.Encoding.PEM)
    text = pem.decode() if isinstance(pem, bytes) else pem
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"
    return json.dumps(text)


def json_string_to_pem(value: str) -> str:
    """The inverse of :func:`pem_to_json_string`.

    Accepts the JSON literal (with its quotes), the seed's ``sed`` output (literal ``\\n`` sequences without
    quotes) or plain PEM text.
    """
    text = value.strip()
    if text.startswith('"'):
        text = json.loads(text)
    elif "\\n" in text and "\n" not in text:
        text = json.loads(f'"{text}"')
    return text.replace("\r\n", "\n").strip() + "\n"
