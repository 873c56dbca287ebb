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

# The package's API is its parts' APIs: each part's __all__ says what it offers, and nothing is restated here.
from . import fingerprints, inspection, loading, pki
from .fingerprints import *  # noqa: F403
from .inspection import *  # noqa: F403
from .loading import *  # noqa: F403
from .pki import *  # noqa: F403

__all__ = [*pki.__all__, *loading.__all__, *inspection.__all__, *fingerprints.__all__, "server_certificate"]  # noqa: F405


def __getattr__(name: str) -> Any:
    """``certs.server_certificate``, from :mod:`redfishnb.transport` (which imports this package: hence lazily)."""
    if name == "server_certificate":
        from ..transport import server_certificate

        return server_certificate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
