"""iLO SecurityService and its HTTPS certificate: details, ``GenerateCSR`` and ``ImportCertificate``.

After an import iLO restarts its web server; here new connections get the imported certificate at once, while
open keep-alive connections keep the old one until they close.
"""

from __future__ import annotations

from typing import Any

from ...certs import csr_to_pem
from ..flavors import Flavor
from ..routing import Route
from ..surface import odata_type
from ..wire import Problem
from .certificates import CERT_AUTH, SECURITY, certificate_info, import_pem
from .common import require_fields, success

HTTPS_CERT = f"{SECURITY}/HttpsCert"
GENERATE_CSR = f"{HTTPS_CERT}/Actions/HpeHttpsCert.GenerateCSR"
IMPORT_CERT = f"{HTTPS_CERT}/Actions/HpeHttpsCert.ImportCertificate"
_SUBJECT = {
    "City": "locality",
    "Country": "country",
    "OrgName": "organization",
    "OrgUnit": "organizational_unit",
    "State": "state",
}


def security_service(ctx: Any) -> dict[str, Any]:
    link = ctx.flavor.link
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeSecurityService.HpeSecurityService",
        "@odata.id": link(SECURITY),
        "@odata.type": odata_type(
            ctx.flavor, "HpeSecurityService", "#HpeSecurityService.v2_6_0.HpeSecurityService"
        ),
        "Id": "SecurityService",
        "Name": "iLO Security Service",
        "SecurityState": ctx.flavor.text("security_state"),
        "Links": {"CertAuth": {"@odata.id": link(CERT_AUTH)}, "HttpsCert": {"@odata.id": link(HTTPS_CERT)}},
    }


def https_cert(ctx: Any) -> dict[str, Any]:
    store = ctx.app.certs
    link = ctx.flavor.link
    csr = store.pending_csr
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeHttpsCert.HpeHttpsCert",
        "@odata.id": link(HTTPS_CERT),
        "@odata.type": odata_type(ctx.flavor, "HpeHttpsCert", "#HpeHttpsCert.v2_0_0.HpeHttpsCert"),
        "Id": "HttpsCert",
        "Name": "HTTPS Certificate",
        "CertificateSigningRequest": csr_to_pem(csr).decode() if csr is not None else None,
        "X509CertificateInformation": certificate_info(store.tls.server.cert),
        "Actions": {
            "#HpeHttpsCert.GenerateCSR": {"target": link(GENERATE_CSR)},
            "#HpeHttpsCert.ImportCertificate": {"target": link(IMPORT_CERT)},
        },
    }


def generate_csr(ctx: Any) -> dict[str, Any]:
    fields: dict[str, type] = {
        name: str for name in ("City", "CommonName", "Country", "OrgName", "OrgUnit", "State")
    }
    body = require_fields(ctx, fields, optional={"IncludeIP": bool, "Action": str})
    if len(body["Country"]) != 2:
        raise Problem(
            400, "ActionParameterValueFormatError", body["Country"], "Country", "HpeHttpsCert.GenerateCSR"
        )
    sans = [body["CommonName"]]
    if body.get("IncludeIP"):
        sans += [h for h in ctx.app.certs.tls.hosts if h not in sans]
    subject = {attr: body[name] for name, attr in _SUBJECT.items() if body[name]}
    ctx.app.certs.generate_csr(body["CommonName"], subject, sans)
    return success(ctx)


def import_certificate(ctx: Any) -> dict[str, Any]:
    import_pem(ctx, "HpeHttpsCert.ImportCertificate", ctx.app.certs.import_server_certificate)
    return success(ctx, "ImportCertSuccessfuliLOResetinProgress")


def delete_certificate(ctx: Any) -> dict[str, Any]:
    """DELETE HttpsCert: iLO drops its certificate and makes a new one. The lab's comes from the lab CA (iLO's
    would be self-signed), so clients that verify with the BMC's CA file keep working; the fingerprint changes."""
    tls = ctx.app.certs.tls
    tls.replace_server_certificate(tls.ca.issue_server(tls.hosts))
    return success(ctx, "ImportCertSuccessfuliLOResetinProgress")


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("security_service"):
        return []
    return [
        Route(SECURITY, {"GET": (security_service, "LoginPriv")}, name="SecurityService"),
        Route(
            HTTPS_CERT,
            {"GET": (https_cert, "LoginPriv"), "DELETE": (delete_certificate, "iLOConfigPriv")},
            name="HttpsCert",
        ),
        Route(GENERATE_CSR, {"POST": (generate_csr, "iLOConfigPriv")}, name="GenerateCSR"),
        Route(IMPORT_CERT, {"POST": (import_certificate, "iLOConfigPriv")}, name="ImportCertificate"),
    ]
