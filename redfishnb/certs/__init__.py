"""Lab PKI on ``cryptography``: CAs, keys, CSRs, signing, inspection, fingerprints and PEM-in-JSON.

Certificate login on iLO needs a CA the BMC trusts, a user certificate that CA signed, and the certificate's
PEM pasted into a JSON string. HPE's walkthrough does this with ``openssl`` commands and ``sed``; here each step
is one call, tested end to end by real TLS handshakes against the embedded mock BMC (which uses this package for
its own server certificates). The parts, each with one job:

* :mod:`~redfishnb.certs.loading`: certificates, keys and CSRs from bytes, PEM text or paths, with typed errors;
* :mod:`~redfishnb.certs.pki`: keys, CSRs, :class:`LabCA`, :class:`KeyPair` (written 0600), ``load_cert_chain``;
* :mod:`~redfishnb.certs.inspection`: validity, key/certificate pairs, issuers, :func:`certificates_frame`;
* :mod:`~redfishnb.certs.fingerprints`: fingerprints in every pasted form, PEM <-> JSON string.

``server_certificate`` (what a TLS server presents) opens a socket, so it lives in :mod:`redfishnb.transport`;
it is still reachable here, loaded on first use.
"""

from __future__ import annotations

from typing import Any

from .fingerprints import (
    fingerprint,
    fingerprints_match,
    format_fingerprint,
    json_string_to_pem,
    parse_fingerprint,
    pem_to_json_string,
)
from .inspection import (
    certificates_frame,
    check_client_pair,
    check_validity,
    cn_of,
    describe_certificate,
    is_signed_by,
    key_matches,
    validity_status,
)
from .loading import (
    HoldsCertificate,
    PrivateKey,
    Source,
    certificate_public_bytes,
    load_certificate,
    load_certificates,
    load_csr,
    load_private_key,
)
from .pki import IssuedCert, KeyPair, LabCA, csr_to_pem, generate_key, key_to_pem, load_cert_chain, make_csr

__all__ = [
    "KeyPair",
    "LabCA",
    "IssuedCert",
    "HoldsCertificate",
    "PrivateKey",
    "Source",
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


def __getattr__(name: str) -> Any:
    """``certs.server_certificate``, from :mod:`redfishnb.transport` (which imports this package: hence lazily)."""
    if name == "server_certificate":
        from ..transport import server_certificate

        return server_certificate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
