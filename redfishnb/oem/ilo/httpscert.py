"""The BMC's own HTTPS certificate: replaced by one the lab CA signs, so clients verify it instead of trusting blindly."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from ... import certs
from ...errors import RedfishError, ServiceError, TLSVerificationFailed
from ...transport import server_certificate
from ._resources import _HTTPS_CERT, _ILO_CONFIG, _action_target, _body
from .accounts import require_privilege

__all__ = ["https_certificate", "replace_https_certificate"]


def https_certificate(client: Any) -> dict[str, Any]:
    """The ``HttpsCert`` resource: ``X509CertificateInformation`` of the certificate iLO serves, any pending CSR."""
    return _body(client.get(_HTTPS_CERT))


def replace_https_certificate(
    client: Any,
    ca: certs.LabCA,
    *,
    common_name: str | None = None,
    country: str = "US",
    state: str = "Lab",
    city: str = "Lab",
    org_name: str = "redfishnb lab",
    org_unit: str = "",
    include_ip: bool = True,
    days: int = 365,
    timeout: float = 120.0,
    poll: float = 1.0,
) -> x509.Certificate:
    """Give the BMC a certificate signed by ``ca``, then verify the BMC against that CA.

    The seed's "SSL Certificate Signing Request" step: ``HpeHttpsCert.GenerateCSR`` (iLO makes a new key and a
    CSR, which appears in ``CertificateSigningRequest`` when ready), sign it with the lab CA (server usage; the
    host name of the client's URL is added to the SANs), ``HpeHttpsCert.ImportCertificate``, then wait until a
    fresh TLS connection presents the new certificate and it verifies against the CA with the host name
    checked — iLO restarts its web server to switch. Afterwards connect with ``verify=<the CA file>``
    instead of trusting the old self-signed certificate. Needs iLOConfigPriv.
    """
    require_privilege(client, _ILO_CONFIG, "replace the HTTPS certificate")
    host = urlsplit(client.url).hostname or ""
    resource = https_certificate(client)
    previous_csr = resource.get("CertificateSigningRequest")
    body = {
        "City": city,
        "CommonName": common_name or host,
        "Country": country,
        "OrgName": org_name,
        "OrgUnit": org_unit,
        "State": state,
        "IncludeIP": include_ip,
    }
    client.post(_action_target(resource, "HpeHttpsCert.GenerateCSR", _HTTPS_CERT), json=body)
    deadline = time.monotonic() + timeout
    resource, pem = _wait_for_csr(client, previous_csr, deadline, timeout, poll)
    csr = certs.load_csr(certs.json_string_to_pem(pem))
    signed = ca.sign_csr(csr, usage="server", days=days, sans=[host] if host else ())
    import_target = _action_target(resource, "HpeHttpsCert.ImportCertificate", _HTTPS_CERT)
    client.post(import_target, json={"Certificate": certs.certificate_public_bytes(signed).decode()})
    _wait_until_served(client.url, ca, signed, deadline, timeout, poll)
    return signed


def _wait_for_csr(
    client: Any, previous: Any, deadline: float, timeout: float, poll: float
) -> tuple[dict[str, Any], str]:
    """The ``HttpsCert`` resource and its new CSR, once iLO has made the key (a few seconds to minutes)."""
    while True:
        resource = https_certificate(client)
        pem = resource.get("CertificateSigningRequest")
        if pem and pem != previous:
            return resource, str(pem)
        if time.monotonic() > deadline:
            raise ServiceError(
                f"iLO did not publish the new CSR within {timeout:g} s.",
                hint="iLO can take a few minutes to generate a key: call again with a larger timeout=.",
            )
        time.sleep(poll)


def _wait_until_served(
    url: str, ca: certs.LabCA, signed: x509.Certificate, deadline: float, timeout: float, poll: float
) -> None:
    """Return once a fresh handshake presents ``signed`` and it verifies against ``ca`` (iLO restarts its web
    server to switch, so the port may refuse or still show the old certificate for a while)."""
    wanted = certs.fingerprint(signed)
    seen = "nothing yet"
    while True:
        try:
            served = server_certificate(url, ca=ca, timeout=min(10.0, timeout))
            if certs.fingerprint(served) == wanted:
                return
            seen = f"still the old certificate {certs.format_fingerprint(certs.fingerprint(served))[:23]}…"
        except RedfishError as exc:  # restarting, or still the old certificate (not from the lab CA)
            seen = exc.message
        if time.monotonic() > deadline:
            raise TLSVerificationFailed(
                f"The BMC does not serve the imported certificate {certs.format_fingerprint(wanted)[:23]}… "
                f"within {timeout:g} s (last seen: {seen}).",
                fingerprint=wanted,
            )
        time.sleep(poll)
