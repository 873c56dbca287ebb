"""Certificate-login state of an iLO: the switch, imported CAs, user certificate mappings, the HTTPS CSR.

iLO's certificate ("CAC/Smartcard") login works when five things hold, checked in this order: the feature is
enabled (``CertificateLoginEnabled``), the license is iLO Advanced, the client presented a certificate in the
TLS handshake, that certificate was issued by an imported CA and is valid on the BMC's clock, and it is mapped to
a user (``UserCertificateMapping``, whose ``Fingerprint`` property takes the whole PEM). Each failure has its own
403 message so a student can tell which step is missing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .. import certs
from ..certs import KeyPair
from ..errors import CertificateError
from .pki import TLSIdentity
from .state import Account, BMCState
from .wire import Problem


@dataclass
class CertificateMapping:
    id: str  # the account id, as iLO numbers mappings
    username: str
    sha256: str  # lower-case hex of the certificate's DER
    certificate: x509.Certificate | None  # None when only a fingerprint was given


def _parse(pem: str) -> list[x509.Certificate]:
    """Certificates from PEM text a client sent; ValueError (never a traceback) for anything unreadable."""
    try:
        found = certs.load_certificates(pem.encode())
    except (ValueError, TypeError, CertificateError):
        raise ValueError("the data is not a PEM certificate") from None
    if not found:
        raise ValueError("no certificate in the data")
    return found


def _invalid(reason: str) -> Problem:
    return Problem(403, "InvalidClientCertificate", reason)


class CertificateStore:
    """What certificate login and the HTTPS-certificate actions change, kept in step with the TLS context."""

    def __init__(self, state: BMCState, tls: TLSIdentity) -> None:
        self.state = state
        self.tls = tls
        self.login_enabled = False
        self.cas: dict[str, x509.Certificate] = {}
        self.mappings: dict[str, CertificateMapping] = {}
        self.pending_key: certs.PrivateKey | None = None
        self.pending_csr: x509.CertificateSigningRequest | None = None
        self.crl: x509.CertificateRevocationList | None = None  # HpeCertAuth.ImportCRL
        self._next_ca = 1
        self._lock = threading.RLock()

    # --- CAs and mappings -----------------------------------------------------------------------------------

    def import_ca(self, pem: str) -> list[str]:
        """Import the CA certificate(s) in ``pem``; ValueError if it is not a CA certificate."""
        found = _parse(pem)
        for cert in found:
            try:
                basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
            except x509.ExtensionNotFound:
                basic = None
            if basic is None or not basic.ca:
                raise ValueError("not a CA certificate")
        ids = []
        with self._lock:
            for cert in found:
                ident = str(self._next_ca)
                self._next_ca += 1
                self.cas[ident] = cert
                ids.append(ident)
            self._refresh()
        return ids

    def delete_ca(self, ident: str) -> bool:
        return self._remove(self.cas, ident)

    def map_certificate(self, account: Account, value: str) -> CertificateMapping:
        """Map a certificate (whole PEM, as iLO takes it, or a SHA-256 fingerprint) to ``account``."""
        certificate: x509.Certificate | None = None
        if "-----BEGIN" in value:
            certificate = _parse(value)[0]
            digest = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
        else:
            try:
                parsed = certs.parse_fingerprint(value)
            except (ValueError, CertificateError):
                raise ValueError("not a certificate or a fingerprint") from None
            algorithm, _, digest = parsed.partition(":")
            if algorithm != "sha256":
                raise ValueError("only SHA-256 fingerprints can be mapped")
        mapping = CertificateMapping(account.id, account.username, digest.lower(), certificate)
        with self._lock:
            self.mappings[account.id] = mapping
            self._refresh()
        return mapping

    def unmap(self, ident: str) -> bool:
        return self._remove(self.mappings, ident)

    def _remove(self, table: dict[str, Any], ident: str) -> bool:
        """Drop ``table[ident]`` (a CA or a mapping) and rebuild the TLS trust; False when there was none."""
        with self._lock:
            removed = table.pop(ident, None) is not None
            if removed:
                self._refresh()
            return removed

    def install_crl(self, data: bytes) -> x509.CertificateRevocationList:
        """Install a CRL (PEM or DER); ValueError for anything else. Certificates it revokes cannot log in."""
        try:
            crl = (
                x509.load_pem_x509_crl(data)
                if b"-----BEGIN X509 CRL" in data
                else x509.load_der_x509_crl(data)
            )
        except ValueError:
            raise ValueError("not a certificate revocation list (PEM or DER)") from None
        with self._lock:
            self.crl = crl
        return crl

    def crl_properties(self) -> dict[str, str | None]:
        """``CRLIssuer`` and ``CRLSerial`` (the CRL number, hex) of the installed CRL, or nulls."""
        crl = self.crl
        if crl is None:
            return {"CRLIssuer": None, "CRLSerial": None}
        try:
            number: str | None = format(
                crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number, "X"
            )
        except x509.ExtensionNotFound:
            number = None
        return {"CRLIssuer": crl.issuer.rfc4514_string(), "CRLSerial": number}

    def delete_crl(self) -> bool:
        with self._lock:
            removed, self.crl = self.crl is not None, None
        return removed

    def _revoked(self, cert: x509.Certificate) -> bool:
        crl = self.crl
        return (
            crl is not None
            and crl.issuer == cert.issuer
            and crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
        )

    def _refresh(self) -> None:
        trusted = list(self.cas.values()) + [m.certificate for m in self.mappings.values() if m.certificate]
        self.tls.set_client_trust(trusted)

    # --- the login ------------------------------------------------------------------------------------------

    def account_for(self, peer_der: bytes | None) -> Account:
        """The account a client certificate logs in as, or a 403 Problem naming the first missing step."""
        if not self.login_enabled:
            raise Problem(403, "CertificateLoginDisabled")
        if not self.state.licensed:
            raise Problem(403, "LicenseKeyRequired")
        if not peer_der:
            raise _invalid("no client certificate was presented")
        cert = x509.load_der_x509_certificate(peer_der)
        with self._lock:
            cas = list(self.cas.values())
            mappings = list(self.mappings.values())
        if not any(certs.is_signed_by(cert, ca) for ca in cas):
            raise _invalid("the certificate is not signed by a trusted CA")
        now = _dt.datetime.fromtimestamp(self.state.clock.now(), _dt.timezone.utc)
        status = certs.validity_status(cert, now)
        if status == "expired":
            raise _invalid("the certificate has expired")
        if status != "valid":
            raise _invalid("the certificate is not yet valid")
        if self._revoked(cert):
            raise _invalid("the certificate is revoked by the installed CRL")
        digest = hashlib.sha256(peer_der).hexdigest()
        mapping = next((m for m in mappings if m.sha256 == digest), None)
        account = self.state.accounts.get(mapping.id) if mapping else None
        if account is None or not account.enabled:
            raise _invalid("the certificate is not mapped to a user")
        return account

    # --- the HTTPS certificate ------------------------------------------------------------------------------

    def generate_csr(
        self, common_name: str, subject: dict[str, str], sans: list[str]
    ) -> x509.CertificateSigningRequest:
        key = certs.generate_key("ec")
        csr = certs.make_csr(key, common_name, sans=sans, **subject)
        with self._lock:
            self.pending_key, self.pending_csr = key, csr
        return csr

    def import_server_certificate(self, pem: str) -> x509.Certificate:
        """Install the signed certificate for the pending CSR; ValueError when it does not match."""
        chain = _parse(pem)
        with self._lock:
            key = self.pending_key
            if key is None:
                raise ValueError("no certificate signing request is pending: run GenerateCSR first")
            if not certs.key_matches(chain[0], key):
                raise ValueError("the certificate does not belong to the pending certificate signing request")
            self.tls.replace_server_certificate(KeyPair(cert=chain[0], key=key), chain[1:])
            self.pending_key = self.pending_csr = None
        return chain[0]
