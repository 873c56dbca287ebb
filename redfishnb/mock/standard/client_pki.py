"""Client certificates carrying a User Principal Name, signed by the lab CA (which itself only writes DNS/IP SANs).

Why here: the ``UserPrincipalName`` mapping mode reads a Microsoft UPN ``otherName`` from the certificate's
subject alternative names, so a lab that wants to try it needs such a certificate. The CSR is built with the
UPN SAN and handed to :meth:`redfishnb.certs.LabCA.sign_csr`, which keeps the CSR's SANs.
"""

from __future__ import annotations

import datetime as _dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from ...certs import KeyPair, LabCA, generate_key
from .client_cert import UPN_OID


def utf8string_der(text: str) -> bytes:
    """DER encoding of an ASN.1 UTF8String (the value type of a UPN otherName)."""
    body = text.encode("utf-8")
    if len(body) < 0x80:
        return bytes([0x0C, len(body)]) + body
    size = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return bytes([0x0C, 0x80 | len(size)]) + size + body


def issue_client(
    ca: LabCA,
    common_name: str,
    *,
    upn: str | None = None,
    not_before: _dt.datetime | None = None,
    not_after: _dt.datetime | None = None,
) -> KeyPair:
    """A client-authentication certificate for ``common_name``, with a UPN SAN when ``upn`` is given."""
    key = generate_key("ec")
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    )
    if upn is not None:
        san = x509.SubjectAlternativeName([x509.OtherName(UPN_OID, utf8string_der(upn))])
        builder = builder.add_extension(san, critical=False)
    csr = builder.sign(key, hashes.SHA256())
    cert = ca.sign_csr(csr, usage="client", not_before=not_before, not_after=not_after)
    return KeyPair(cert=cert, key=key)
