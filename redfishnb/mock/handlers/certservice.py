"""The DMTF view of the HTTPS certificate: NetworkProtocol's HTTPS Certificates, and CertificateService.

Standard clients (and DMTF's protocol validator) look for the HTTPS certificate at
``NetworkProtocol.HTTPS.Certificates`` and replace it with ``CertificateService.GenerateCSR`` /
``ReplaceCertificate``. That link exists from ManagerNetworkProtocol v1_4_0, so only a BMC declaring such a
version serves it (RMC, OpenBMC). iLO 6 and 7 declare v1_0_0 and HPE documents no standard Certificate resource
for the web server: their HTTPS certificate is ``HpeHttpsCert`` (``Managers/1/SecurityService/HttpsCert``,
:mod:`.httpscert`), and ``CertificateService`` offers only the actions HPE documents (GenerateCSR, whose
collections are the SecurityService device identities the mock does not model). Where both paths exist they
share one pending key and one import, so replacing the certificate either way changes what new connections see.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from ...certs import csr_to_pem
from ..flavors import Flavor
from ..routing import Route, normalize
from ..surface import documented, odata_type
from ..versions import defines
from ..wire import Problem
from .common import collection, require_fields, success

CERT_SERVICE = "/redfish/v1/CertificateService"
GENERATE_CSR = f"{CERT_SERVICE}/Actions/CertificateService.GenerateCSR"
REPLACE = f"{CERT_SERVICE}/Actions/CertificateService.ReplaceCertificate"
_NAME_FIELDS = {
    "CommonName": NameOID.COMMON_NAME,
    "Organization": NameOID.ORGANIZATION_NAME,
    "OrganizationalUnit": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "City": NameOID.LOCALITY_NAME,
    "State": NameOID.STATE_OR_PROVINCE_NAME,
    "Country": NameOID.COUNTRY_NAME,
}


def certificate_paths(flavor: Flavor) -> tuple[str, str, str]:
    protocol = protocol_path(flavor)
    collection = f"{protocol}/HTTPS/Certificates"
    return protocol, collection, f"{collection}/1"


def protocol_path(flavor: Flavor) -> str:
    return f"/redfish/v1/Managers/{flavor.manager_id}/NetworkProtocol"


def protocol_type(flavor: Flavor) -> str:
    """The ManagerNetworkProtocol version the flavour declares (HPE's documented one on iLO)."""
    return odata_type(
        flavor, "ManagerNetworkProtocol", "#ManagerNetworkProtocol.v1_5_0.ManagerNetworkProtocol"
    )


def serves_https_certificates(flavor: Flavor) -> bool:
    """Whether ``NetworkProtocol.HTTPS.Certificates`` exists in the declared type (from v1_4_0)."""
    return defines(protocol_type(flavor), "HTTPS.Certificates")


def dmtf_serial(number: int) -> str:
    """A certificate serial as DMTF's Certificate.SerialNumber wants it: colon-separated hex byte pairs."""
    digits = format(number, "X")
    digits = digits.zfill(len(digits) + len(digits) % 2)
    return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def _actions(flavor: Flavor) -> dict[str, Any]:
    """The CertificateService actions: HPE's documented ones on iLO, both DMTF ones where the link exists."""
    link = flavor.link
    offered = {
        "#CertificateService.GenerateCSR": {"target": link(GENERATE_CSR)},
        "#CertificateService.ReplaceCertificate": {
            "target": link(REPLACE),
            "CertificateType@Redfish.AllowableValues": ["PEM"],
        },
    }
    if not flavor.has("documented_surface"):
        return offered
    listed = documented(flavor)["CertificateService"]["actions"]
    return {name: body for name, body in offered.items() if name[1:] in listed}


def _name(name: x509.Name) -> dict[str, str]:
    out = {}
    for key, oid in _NAME_FIELDS.items():
        attrs = name.get_attributes_for_oid(oid)
        if attrs:
            out[key] = str(attrs[0].value)
    return out


def https_certificates(ctx: Any) -> dict[str, Any]:
    _, path, member = certificate_paths(ctx.flavor)
    return collection(ctx, path, "CertificateCollection", "HTTPS Certificates", [member])


def https_certificate(ctx: Any) -> dict[str, Any]:
    _, _, member = certificate_paths(ctx.flavor)
    cert = ctx.app.certs.tls.server.cert
    declared = odata_type(ctx.flavor, "Certificate", "#Certificate.v1_2_0.Certificate")
    return {
        "@odata.id": ctx.flavor.link(member),
        "@odata.type": declared,
        "Id": "1",
        "Name": "HTTPS Certificate",
        "CertificateString": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "CertificateType": "PEM",
        "Issuer": _name(cert.issuer),
        "Subject": _name(cert.subject),
        "ValidNotBefore": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ValidNotAfter": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **({"SerialNumber": dmtf_serial(cert.serial_number)} if defines(declared, "SerialNumber") else {}),
    }


def certificate_service(ctx: Any) -> dict[str, Any]:
    return {
        "@odata.id": ctx.flavor.link(CERT_SERVICE),
        "@odata.type": odata_type(
            ctx.flavor, "CertificateService", "#CertificateService.v1_0_0.CertificateService"
        ),
        "Id": "CertificateService",
        "Name": "Certificate Service",
        "Actions": _actions(ctx.flavor),
    }


def _same(uri: Any, path: str) -> bool:
    return isinstance(uri, dict) and normalize(str(uri.get("@odata.id", ""))).lower() == path.lower()


def generate_csr(ctx: Any) -> dict[str, Any]:
    optional = {k: str for k in _NAME_FIELDS if k != "CommonName"}
    body = require_fields(
        ctx,
        {"CertificateCollection": dict, "CommonName": str},
        optional={**optional, "AlternativeNames": list, "KeyPairAlgorithm": str},
    )
    _, collection, _ = certificate_paths(ctx.flavor)
    if not serves_https_certificates(ctx.flavor) or not _same(body["CertificateCollection"], collection):
        raise Problem(
            400,
            "ActionParameterValueFormatError",
            "CertificateCollection",
            "CertificateCollection",
            "CertificateService.GenerateCSR",
        )
    names = body.get("AlternativeNames") or []
    if not all(isinstance(n, str) for n in names):
        raise Problem(
            400,
            "ActionParameterValueFormatError",
            "AlternativeNames",
            "AlternativeNames",
            "CertificateService.GenerateCSR",
        )
    subject = {
        attr: body[key]
        for key, attr in (
            ("City", "locality"),
            ("Country", "country"),
            ("Organization", "organization"),
            ("OrganizationalUnit", "organizational_unit"),
            ("State", "state"),
        )
        if body.get(key)
    }
    csr = ctx.app.certs.generate_csr(body["CommonName"], subject, [body["CommonName"], *names])
    return {
        "CSRString": csr_to_pem(csr).decode(),
        "CertificateCollection": {"@odata.id": ctx.flavor.link(collection)},
    }


def replace_certificate(ctx: Any) -> dict[str, Any]:
    body = require_fields(ctx, {"CertificateUri": dict, "CertificateString": str, "CertificateType": str})
    _, _, member = certificate_paths(ctx.flavor)
    action = "CertificateService.ReplaceCertificate"
    if not _same(body["CertificateUri"], member):
        raise Problem(400, "ActionParameterValueFormatError", "CertificateUri", "CertificateUri", action)
    if body["CertificateType"] != "PEM":
        raise Problem(
            400, "ActionParameterValueFormatError", body["CertificateType"], "CertificateType", action
        )
    try:
        ctx.app.certs.import_server_certificate(body["CertificateString"])
    except ValueError as exc:
        raise Problem(400, "ActionParameterValueFormatError", str(exc), "CertificateString", action) from None
    return success(ctx)


def routes(flavor: Flavor) -> list[Route]:
    _, collection, member = certificate_paths(flavor)
    served = []
    if serves_https_certificates(flavor):
        served += [
            Route(collection, {"GET": (https_certificates, "LoginPriv")}, name="HttpsCertificates"),
            Route(member, {"GET": (https_certificate, "LoginPriv")}, name="HttpsCertificate"),
        ]
    served += [
        Route(CERT_SERVICE, {"GET": (certificate_service, "LoginPriv")}, name="CertificateService"),
        Route(GENERATE_CSR, {"POST": (generate_csr, "iLOConfigPriv")}, name="CertificateServiceGenerateCSR"),
    ]
    if "#CertificateService.ReplaceCertificate" in _actions(flavor):
        served.append(
            Route(REPLACE, {"POST": (replace_certificate, "iLOConfigPriv")}, name="ReplaceCertificate")
        )
    return served
