"""Client-certificate authentication: which user a TLS client certificate names, and whether it is trusted.

``AccountService.MultiFactorAuth.ClientCertificate.CertificateMappingAttribute`` picks the field:

* ``CommonName`` — the subject's commonName is the user name (bmcweb's default mode, ``meson.options``
  ``mutual-tls-common-name-parsing-default``).
* ``UserPrincipalName`` — the first Microsoft UPN otherName SAN (UTF8String ``user@domain``) whose domain is a
  label-wise suffix of the BMC's host name, compared case-insensitively; the user is the part before ``@``
  (bmcweb ``http/mutual_tls.cpp``).
* ``Whole`` — the entire certificate must equal one of the identity certificates of the account
  (``ManagerAccount.Certificates``), as the schema defines it. bmcweb does not implement this mode; the mock does.

Trust (:func:`trusted`): the certificate must be issued directly by one of the CAs in
``ClientCertificate/Certificates``, be within its validity period on the mock's clock, and, when it carries an
extended key usage, allow TLS client authentication (bmcweb checks the SSL-client purpose).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

UPN_OID = ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")  # Microsoft User Principal Name
MAPPING_ATTRIBUTES: tuple[str, ...] = ("CommonName", "UserPrincipalName", "Whole")
DEFAULT_MAPPING = "CommonName"


def common_name(cert: x509.Certificate) -> str | None:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else None
    return value if isinstance(value, str) and value else None


def user_principal_names(cert: x509.Certificate) -> list[str]:
    """Every UPN otherName in the certificate's SAN, decoded from its DER UTF8String."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    out = []
    for other in san.get_values_for_type(x509.OtherName):
        if other.type_id == UPN_OID and (text := _utf8string(other.value)) is not None:
            out.append(text)
    return out


def _utf8string(der: bytes) -> str | None:
    """Decode a short-form or long-form DER UTF8String (tag 0x0C); None for anything else."""
    if len(der) < 2 or der[0] != 0x0C:
        return None
    length, offset = der[1], 2
    if length & 0x80:
        count = length & 0x7F
        length, offset = int.from_bytes(der[2 : 2 + count], "big"), 2 + count
    body = der[offset : offset + length]
    if len(body) != length:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def upn_matches_host(upn: str, hostname: str) -> bool:
    """True when the UPN's domain labels equal the last labels of ``hostname`` (case-insensitive)."""
    _, sep, domain = upn.partition("@")
    if not sep or not domain:
        return False
    upn_labels = domain.lower().split(".")
    host_labels = hostname.lower().split(".")
    return len(upn_labels) <= len(host_labels) and host_labels[-len(upn_labels) :] == upn_labels


def mapped_username(
    cert: x509.Certificate,
    attribute: str,
    *,
    hostname: str,
    identity_certificates: Mapping[str, Iterable[bytes]] | None = None,
) -> str | None:
    """The user name ``cert`` maps to under ``attribute``, or None when it maps to nobody."""
    if attribute == "CommonName":
        return common_name(cert)
    if attribute == "UserPrincipalName":
        for upn in user_principal_names(cert):
            if upn_matches_host(upn, hostname):
                return upn.partition("@")[0] or None
        return None
    if attribute == "Whole":
        der = cert.public_bytes(serialization.Encoding.DER)
        for username, certs in (identity_certificates or {}).items():
            if any(der == known for known in certs):
                return username
        return None
    return None


def trusted(cert: x509.Certificate, authorities: Iterable[x509.Certificate], now: float) -> bool:
    """Issued by one of ``authorities``, valid at ``now`` and usable for client authentication."""
    when = _dt.datetime.fromtimestamp(now, _dt.timezone.utc)
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        return False
    if not _client_usage(cert):
        return False
    for ca in authorities:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _client_usage(cert: x509.Certificate) -> bool:
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return ExtendedKeyUsageOID.CLIENT_AUTH in usages or ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE in usages
