"""The lab PKI: keys, CSRs, a CA that signs them, and certificates written with their keys.

Certificate login on iLO needs a CA the BMC trusts and a user certificate that CA signed; HPE's walkthrough makes
them with ``openssl`` commands. Here each step is one call on ``cryptography`` (no function shells out), and the
embedded mock BMC uses the same CA for its own server certificates. No decrypted key is ever written to disk by
the kit: when a key held in memory must reach OpenSSL through a file, it is written encrypted with a one-time
passphrase.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
import secrets
import ssl
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..errors import CertificateError
from .fingerprints import fingerprint, format_fingerprint
from .inspection import _extension, _is_ca, _key_description, check_client_pair
from .loading import PrivateKey, Source, _now, _to_bytes, _utc, load_certificates

__all__ = [
    "KeyPair",
    "LabCA",
    "IssuedCert",
    "generate_key",
    "key_to_pem",
    "make_csr",
    "csr_to_pem",
    "load_cert_chain",
]


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


def csr_to_pem(csr: x509.CertificateSigningRequest) -> bytes:
    """The CSR as PEM, what a CA (or iLO's ``CertificateSigningRequest`` property) hands around."""
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

    def write_cert(self, path: str | os.PathLike[str]) -> Path:
        """Write the certificate alone (public), e.g. a CA file for ``connect(verify="ca.pem")``."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(self.cert_pem)
        return p

    def write(
        self, directory: str | os.PathLike[str], stem: str, passphrase: str | bytes | None = None
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


def _csr_sans(csr: x509.CertificateSigningRequest) -> list[x509.GeneralName]:
    return list(_extension(csr, x509.SubjectAlternativeName) or [])


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
