"""iLO certificate login: CertificateAuthentication, imported CAs, UserCertificateMapping, /html/login_cert.html.

``GET /html/login_cert.html`` over mutual TLS is how HPE's library logs in with a certificate: no body, no
credentials; 200 with ``X-Auth-Token`` and ``Location`` when every condition holds, a 403 naming the first one
that does not otherwise. The session it opens is tagged ``Web UI``, as on a real iLO. Configuration needs
iLOConfigPriv; mapping certificates to users needs UserConfigPriv.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography import x509

from ...certs import format_fingerprint
from ..clock import iso
from ..flavors import Flavor
from ..routing import Route, collection_routes
from ..wire import Problem, Response
from .common import apply_patch, collection, require_fields, success
from .sessions import created_session_response, open_session

SECURITY = "/redfish/v1/Managers/1/SecurityService"
CERT_AUTH = f"{SECURITY}/CertificateAuthentication"
CA_CERTS = f"{CERT_AUTH}/CACertificates"
IMPORT_CA = f"{CERT_AUTH}/Actions/HpeCertAuth.ImportCACertificate"
IMPORT_CRL = f"{CERT_AUTH}/Actions/HpeCertAuth.ImportCRL"
DELETE_CRL = f"{CERT_AUTH}/Actions/HpeCertAuth.DeleteCRL"
MAPPINGS = "/redfish/v1/AccountService/UserCertificateMapping"
LOGIN_CERT = "/html/login_cert.html"


def _link(ctx: Any, path: str) -> dict[str, str]:
    return {"@odata.id": ctx.flavor.link(path)}


def certificate_info(cert: x509.Certificate) -> dict[str, str]:
    """iLO's description of a certificate (HpeCertificate / X509CertificateInformation)."""
    return {
        "Issuer": cert.issuer.rfc4514_string(),
        "SerialNumber": format(cert.serial_number, "X"),
        "Subject": cert.subject.rfc4514_string(),
        "ValidNotAfter": iso(cert.not_valid_after_utc.timestamp()),
        "ValidNotBefore": iso(cert.not_valid_before_utc.timestamp()),
    }


# --- CertificateAuthentication ----------------------------------------------------------------------------------


def cert_auth(ctx: Any) -> Response:
    store = ctx.app.certs
    body = {
        "@odata.context": "/redfish/v1/$metadata#HpeCertAuth.HpeCertAuth",
        "@odata.id": ctx.flavor.link(CERT_AUTH),
        "@odata.type": "#HpeCertAuth.v1_1_0.HpeCertAuth",
        "Id": "CertificateAuthentication",
        "Name": "Certificate Authentication",
        "CertificateLoginEnabled": store.login_enabled,
        "StrictCACModeEnabled": False,
        "LDAPCertificateNameMapping": "SubjectCN",
        "OCSPUri": "",
        **store.crl_properties(),
        "CACertificates": _link(ctx, CA_CERTS),
        "Links": {"UserCertificateMapping": _link(ctx, MAPPINGS)},
        "Actions": {
            "#HpeCertAuth.DeleteCRL": {"target": ctx.flavor.link(DELETE_CRL)},
            "#HpeCertAuth.ImportCACertificate": {"target": ctx.flavor.link(IMPORT_CA)},
            "#HpeCertAuth.ImportCRL": {"target": ctx.flavor.link(IMPORT_CRL)},
        },
    }
    return Response(200, body)


def patch_cert_auth(ctx: Any) -> Response:
    store = ctx.app.certs

    if (
        isinstance(ctx.body, dict)
        and ctx.body.get("CertificateLoginEnabled") is True
        and not ctx.state.licensed
    ):
        raise Problem(403, "LicenseKeyRequired")
    notes = apply_patch(
        ctx,
        {"CertificateLoginEnabled": (bool, lambda v: setattr(store, "login_enabled", v), None)},
        # StrictCACModeEnabled, LDAPCertificateNameMapping and OCSPUri are documented writable: the surface
        # (data/ilo6_types.json) checks and keeps them; the kit's logins do not depend on them.
        readonly={"CACertificates", "Links", "Id", "Actions"},
    )
    response = cert_auth(ctx)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def import_pem(ctx: Any, action: str, install: Callable[[str], Any]) -> None:
    """Hand the action's ``Certificate`` PEM to the store; a PEM it rejects is iLO's 400 naming the parameter."""
    body = require_fields(ctx, {"Certificate": str}, optional={"Action": str})
    try:
        install(body["Certificate"])
    except ValueError as exc:
        raise Problem(400, "ActionParameterValueFormatError", str(exc), "Certificate", action) from None


def import_ca(ctx: Any) -> dict[str, Any]:
    import_pem(ctx, "HpeCertAuth.ImportCACertificate", ctx.app.certs.import_ca)
    return success(ctx)


def list_cas(ctx: Any) -> dict[str, Any]:
    members = [f"{CA_CERTS}/{i}" for i in sorted(ctx.app.certs.cas, key=int)]
    return collection(
        ctx, CA_CERTS, "HpeCertificateCollection", "Certificate Authentication CA Certificates", members
    )


def _ca(ctx: Any) -> tuple[str, x509.Certificate]:
    ident = ctx.params["ca_id"]
    cert = ctx.app.certs.cas.get(ident)
    if cert is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    return ident, cert


def get_ca(ctx: Any) -> dict[str, Any]:
    ident, cert = _ca(ctx)
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeCertificate.HpeCertificate",
        "@odata.id": ctx.flavor.link(f"{CA_CERTS}/{ident}"),
        "@odata.type": "#HpeCertificate.v1_0_0.HpeCertificate",
        "Id": ident,
        "Name": "CA Certificate",
        **certificate_info(cert),
    }


def delete_ca(ctx: Any) -> dict[str, Any]:
    ident, _ = _ca(ctx)
    ctx.app.certs.delete_ca(ident)
    return success(ctx)


# --- UserCertificateMapping -------------------------------------------------------------------------------------


def list_mappings(ctx: Any) -> dict[str, Any]:
    members = [f"{MAPPINGS}/{i}" for i in sorted(ctx.app.certs.mappings, key=int)]
    return collection(
        ctx, MAPPINGS, "HpeiLOAccountCertificateMapCollection", "User Certificate Mappings", members
    )


def _mapping_body(ctx: Any, mapping: Any) -> dict[str, Any]:
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeiLOAccountCertificateMap.HpeiLOAccountCertificateMap",
        "@odata.id": ctx.flavor.link(f"{MAPPINGS}/{mapping.id}"),
        "@odata.type": "#HpeiLOAccountCertificateMap.v1_0_1.HpeiLOAccountCertificateMap",
        "Id": mapping.id,
        "Name": "User Certificate Mapping",
        "UserName": mapping.username,
        "Fingerprint": format_fingerprint(f"sha256:{mapping.sha256}"),
        "FingerprintDigestAlgorithm": "SHA256",
    }


def create_mapping(ctx: Any) -> Response:
    body = require_fields(ctx, {"UserName": str, "Fingerprint": str})
    account = ctx.state.find_account(body["UserName"])
    if account is None:
        raise Problem(400, "PropertyValueIncorrect", "UserName", body["UserName"], related=["#/UserName"])
    try:
        mapping = ctx.app.certs.map_certificate(account, body["Fingerprint"])
    except ValueError:
        raise Problem(
            400, "PropertyValueFormatError", "(certificate)", "Fingerprint", related=["#/Fingerprint"]
        ) from None
    path = ctx.flavor.link(f"{MAPPINGS}/{mapping.id}")
    return Response(
        201, _mapping_body(ctx, mapping), headers={"Location": ctx.app.absolute_url(ctx.request, path)}
    )


def _mapping(ctx: Any) -> Any:
    mapping = ctx.app.certs.mappings.get(ctx.params["mapping_id"])
    if mapping is None:
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    return mapping


def get_mapping(ctx: Any) -> dict[str, Any]:
    return _mapping_body(ctx, _mapping(ctx))


def delete_mapping(ctx: Any) -> dict[str, Any]:
    ctx.app.certs.unmap(_mapping(ctx).id)
    return success(ctx)


# --- the login --------------------------------------------------------------------------------------------------


def login_cert(ctx: Any) -> Response:
    account = ctx.app.certs.account_for(ctx.request.peer_cert_der)
    session = open_session(ctx, account, "Web UI")
    response = created_session_response(ctx, session)
    response.status = 200
    return response


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("certificate_login"):
        return []
    login = [
        Route(LOGIN_CERT, {"GET": (login_cert, None)}, name="CertificateLogin", public=frozenset({"GET"}))
    ]
    return [
        Route(
            CERT_AUTH,
            {"GET": (cert_auth, "LoginPriv"), "PATCH": (patch_cert_auth, "iLOConfigPriv")},
            name="CertificateAuthentication",
        ),
        Route(IMPORT_CA, {"POST": (import_ca, "iLOConfigPriv")}, name="ImportCACertificate"),
        *collection_routes(
            CA_CERTS,
            f"{CA_CERTS}/{{ca_id}}",
            ("CACertificates", "CACertificate"),
            read=(list_cas, get_ca),
            delete=(delete_ca, "iLOConfigPriv"),
        ),
        *collection_routes(
            MAPPINGS,
            f"{MAPPINGS}/{{mapping_id}}",
            ("UserCertificateMappings", "UserCertificateMapping"),
            read=(list_mappings, get_mapping),
            create=(create_mapping, "UserConfigPriv"),
            delete=(delete_mapping, "UserConfigPriv"),
        ),
        *(login if flavor.allows("ilo_certificate_login") else []),
    ]
