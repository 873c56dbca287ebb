"""Lab PKI on ``cryptography``: CAs, keys, CSRs, signing, fingerprints and PEM-in-JSON.

Certificate login on iLO needs a CA the BMC trusts, a user certificate that CA signed, and the certificate's
PEM pasted into a JSON string. HPE's walkthrough does this with ``openssl`` commands and ``sed``; here each step
is one call, tested end to end by real TLS handshakes against the embedded mock BMC (which uses this module for
its own server certificates). No function shells out, and no decrypted key is ever written to disk by the kit.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import ipaddress
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "KeyPair",
    "LabCA",
    "IssuedCert",
    "generate_key",
    "key_to_pem",
    "load_private_key",
    "make_csr",
    "load_certificate",
    "fingerprint",
    "format_fingerprint",
    "pem_to_json_string",
    "json_string_to_pem",
    "certificate_public_bytes",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def generate_key(kind: str = "ec") -> PrivateKey:
    """A new private key: ``"ec"`` (P-256, fast, the default) or ``"rsa"`` (2048 bits, what iLO's CSR uses)."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"key kind must be 'ec' or 'rsa', not {kind!r}")


def key_to_pem(key: PrivateKey, passphrase: str | bytes | None = None) -> bytes:
    """PKCS#8 PEM of a key, encrypted with the passphrase when one is given."""
    if passphrase:
        pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
        enc: serialization.KeySerializationEncryption = serialization.BestAvailableEncryption(pw)
    else:
        enc = serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


def load_private_key(data: bytes | str | os.PathLike, passphrase: str | bytes | None = None) -> PrivateKey:
    """Load a PEM key from bytes or a path, raising the kit's typed errors for passphrase problems."""
    from .errors import KeyPassphraseError

    raw = _read_bytes(data)
    pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        return serialization.load_pem_private_key(raw, password=pw or None)  # type: ignore[return-value]
    except TypeError as exc:
        if "encrypted" in str(exc) and not pw:
            raise KeyPassphraseError("The private key is encrypted and no passphrase was given.") from None
        if pw:
            raise KeyPassphraseError("A passphrase was given but the private key is not encrypted.") from None
        raise
    except ValueError as exc:
        if pw and ("password" in str(exc).lower() or "decrypt" in str(exc).lower()):
            raise KeyPassphraseError("The passphrase does not decrypt the private key.") from None
        raise ValueError("The data is not a PEM private key.") from None


def _read_bytes(data: bytes | str | os.PathLike) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str) and "-----BEGIN" in data:
        return data.encode()
    return Path(data).read_bytes()


def _name(common_name: str, **attrs: str | None) -> x509.Name:
    oids = {
        "country": NameOID.COUNTRY_NAME,
        "state": NameOID.STATE_OR_PROVINCE_NAME,
        "locality": NameOID.LOCALITY_NAME,
        "organization": NameOID.ORGANIZATION_NAME,
        "organizational_unit": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "email": NameOID.EMAIL_ADDRESS,
    }
    parts = [x509.NameAttribute(oids[k], v) for k, v in attrs.items() if v]
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
    """A CSR with the usual subject fields, as ``openssl req -new`` would make it."""
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


def _san_list(sans: Iterable[str]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for s in sans:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(s)))
        except ValueError:
            out.append(x509.DNSName(s))
    return out


@dataclass
class KeyPair:
    """A certificate with its key, as PEM bytes, plus the parsed certificate."""

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

    def write(self, directory: str | os.PathLike, stem: str, passphrase: str | bytes | None = None) -> tuple[Path, Path]:
        """Write ``stem.crt`` and ``stem.key`` (0600; encrypted when a passphrase is given)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        crt, keyfile = d / f"{stem}.crt", d / f"{stem}.key"
        crt.write_bytes(self.cert_pem)
        fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(self.key_pem(passphrase))
        return crt, keyfile

    def __repr__(self) -> str:
        return f"<{type(self).__name__} subject={self.cert.subject.rfc4514_string()!r} {format_fingerprint(self.fingerprint)[:23]}…>"


IssuedCert = KeyPair


class LabCA(KeyPair):
    """A self-signed certificate authority for a lab: signs BMC server certificates and user certificates.

    Real deployments use the organisation's CA; the API is the same (``sign_csr`` takes any CSR).
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
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(minutes=5))
            .not_valid_after(now + _dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(cert=cert, key=key)

    @classmethod
    def load(cls, cert: bytes | str | os.PathLike, key: bytes | str | os.PathLike, passphrase: str | None = None) -> LabCA:
        return cls(cert=load_certificate(cert), key=load_private_key(key, passphrase))

    def sign_csr(
        self,
        csr: x509.CertificateSigningRequest,
        *,
        usage: str = "client",
        days: int = 365,
        not_before: _dt.datetime | None = None,
        not_after: _dt.datetime | None = None,
    ) -> x509.Certificate:
        """Sign a CSR for ``usage`` ``"client"`` (user login) or ``"server"`` (a BMC's HTTPS certificate).

        ``not_before``/``not_after`` override the validity, e.g. to make an expired certificate for a test.
        """
        if not csr.is_signature_valid:
            raise ValueError("The CSR's signature does not verify: it was altered or made with another key.")
        now = _now()
        start = not_before or now - _dt.timedelta(minutes=5)
        end = not_after or now + _dt.timedelta(days=days)
        eku = ExtendedKeyUsageOID.CLIENT_AUTH if usage == "client" else ExtendedKeyUsageOID.SERVER_AUTH
        ca_ski = self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(self.cert.subject)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), critical=False)
        )
        try:
            san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            builder = builder.add_extension(san.value, critical=False)
        except x509.ExtensionNotFound:
            pass
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

    def issue_server(self, hosts: Iterable[str] = ("127.0.0.1", "localhost", "::1"), **kwargs) -> KeyPair:
        """A server certificate whose SANs cover the given host names and addresses."""
        hosts = list(hosts)
        return self.issue(hosts[0], usage="server", sans=hosts, **kwargs)


def load_certificate(data: bytes | str | os.PathLike) -> x509.Certificate:
    """A certificate from PEM (bytes, str or path) or DER bytes."""
    raw = _read_bytes(data)
    if b"-----BEGIN" in raw:
        return x509.load_pem_x509_certificate(raw)
    return x509.load_der_x509_certificate(raw)


def certificate_public_bytes(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert: x509.Certificate | bytes | str, algorithm: str = "sha256") -> str:
    """``sha256:<hex>`` of a certificate's DER: the form ``connect(verify=...)`` accepts for pinning."""
    if isinstance(cert, x509.Certificate):
        der = cert.public_bytes(serialization.Encoding.DER)
    elif isinstance(cert, bytes) and not cert.startswith(b"-----BEGIN"):
        der = cert
    else:
        der = load_certificate(cert).public_bytes(serialization.Encoding.DER)
    return f"{algorithm}:{hashlib.new(algorithm, der).hexdigest()}"


def format_fingerprint(fp: str, style: str = "colon") -> str:
    """Show a ``sha256:<hex>`` fingerprint as BMC web pages and browsers do: ``AB:CD:…`` (``colon``) or bare hex."""
    hexpart = fp.split(":", 1)[1] if fp.lower().startswith(("sha256:", "sha1:", "sha384:")) else fp
    hexpart = hexpart.replace(":", "").upper()
    if style == "colon":
        return ":".join(hexpart[i : i + 2] for i in range(0, len(hexpart), 2))
    if style == "hex":
        return hexpart.lower()
    raise ValueError("style must be 'colon' or 'hex'")


def pem_to_json_string(pem: bytes | str) -> str:
    """The PEM as a JSON string literal (what the seed's ``sed``/``awk`` step produces, done right).

    CR-LF and lone CR line endings are normalised to LF and the text ends with one newline; ``json.dumps`` does
    the escaping, so the result can be pasted into a request body.
    """
    text = pem.decode() if isinstance(pem, bytes) else pem
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"
    return json.dumps(text)


def json_string_to_pem(value: str) -> str:
    """The inverse of :func:`pem_to_json_string`: accepts the JSON literal (with quotes) or its decoded text."""
    text = json.loads(value) if value.startswith('"') else value
    return text.replace("\r\n", "\n")
