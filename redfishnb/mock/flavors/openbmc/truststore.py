"""Certificate collections of the openbmc flavour: the client-CA trust store and each account's certificates.

bmcweb uploads CAs to ``Managers/bmc/Truststore/Certificates`` and lists the same store, read-only, under
``AccountService/MultiFactorAuth/ClientCertificate/Certificates`` (``account_service.hpp``,
``certificate_service.hpp``); the TLS listener trusts exactly these CAs for client certificates. An account's
``Certificates`` hold its identity certificates, which the ``Whole`` mapping compares byte for byte. Every
operation here needs ConfigureManager (registry entities Certificate / CertificateCollection).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from ...handlers.common import collection, require_fields, success
from ...routing import Route
from ...wire import Problem, Response
from .settings import StandardAuth, settings_of

CLIENT_CAS = "/redfish/v1/AccountService/MultiFactorAuth/ClientCertificate/Certificates"
TRUSTSTORE = "/redfish/v1/Managers/bmc/Truststore/Certificates"
ACCOUNT_CERTS = "/redfish/v1/AccountService/Accounts/{account_id}/Certificates"

Store = Callable[[Any], dict[str, x509.Certificate]]


def _iso(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _cn(name: x509.Name) -> dict[str, str]:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return {"CommonName": str(values[0].value)} if values else {}


def certificate_body(path: str, ident: str, cert: x509.Certificate) -> dict[str, Any]:
    return {
        "@odata.id": f"{path}/{ident}",
        "@odata.type": "#Certificate.v1_8_0.Certificate",
        "Id": ident,
        "Name": "Certificate",
        "CertificateString": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "CertificateType": "PEM",
        "Subject": _cn(cert.subject),
        "Issuer": _cn(cert.issuer),
        "ValidNotBefore": _iso(cert.not_valid_before_utc),
        "ValidNotAfter": _iso(cert.not_valid_after_utc),
    }


def parse_certificate(ctx: Any) -> x509.Certificate:
    body = require_fields(ctx, {"CertificateString": str}, optional={"CertificateType": str})
    if body.get("CertificateType", "PEM") != "PEM":
        raise Problem(400, "PropertyValueNotInList", str(body["CertificateType"]), "CertificateType")
    try:
        return x509.load_pem_x509_certificate(body["CertificateString"].encode())
    except ValueError:
        raise Problem(400, "PropertyValueFormatError", "CertificateString", "CertificateString") from None


def refresh_tls_trust(ctx: Any, settings: StandardAuth) -> None:
    """New TLS connections request and verify client certificates against exactly the trusted CAs."""
    certs = getattr(ctx.app, "certs", None)
    cc = settings.client_cert
    if certs is not None:
        authorities = list(cc.authorities.values())
        strict = bool(authorities) and cc.enabled and not cc.respond_to_unauthenticated
        certs.tls.set_client_trust(authorities, required=strict)


def _cas(ctx: Any) -> dict[str, x509.Certificate]:
    return settings_of(ctx.state).client_cert.authorities


def _account_certs(ctx: Any) -> dict[str, x509.Certificate]:
    settings = settings_of(ctx.state)
    if ctx.state.find_account(ctx.params["account_id"]) is None:
        raise Problem(404, "ResourceNotFound", "ManagerAccount", ctx.params["account_id"])
    ders = settings.identity_certs.get(ctx.params["account_id"], {})
    return {ident: x509.load_der_x509_certificate(der) for ident, der in ders.items()}


def _collection_handlers(path: str, store: Store, name: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def list_(ctx: Any) -> dict[str, Any]:
        base = path.format(**ctx.params)
        members = [f"{base}/{ident}" for ident in store(ctx)]
        return collection(ctx, base, "CertificateCollection", name, members)

    def get(ctx: Any) -> dict[str, Any]:
        cert = store(ctx).get(ctx.params["cert_id"])
        if cert is None:
            raise Problem(404, "ResourceNotFound", "Certificate", ctx.params["cert_id"])
        return certificate_body(path.format(**ctx.params), ctx.params["cert_id"], cert)

    return list_, get


def _add_ca(ctx: Any) -> Response:
    cert = parse_certificate(ctx)
    settings = settings_of(ctx.state)
    ident = str(settings.next_certificate_id)
    settings.next_certificate_id += 1
    settings.client_cert.authorities[ident] = cert
    refresh_tls_trust(ctx, settings)
    return Response(
        201, certificate_body(TRUSTSTORE, ident, cert), headers={"Location": f"{TRUSTSTORE}/{ident}"}
    )


def _delete_ca(ctx: Any) -> dict[str, Any]:
    settings = settings_of(ctx.state)
    if settings.client_cert.authorities.pop(ctx.params["cert_id"], None) is None:
        raise Problem(404, "ResourceNotFound", "Certificate", ctx.params["cert_id"])
    refresh_tls_trust(ctx, settings)
    return success(ctx)


def _add_identity(ctx: Any) -> Response:
    _account_certs(ctx)  # 404 for an unknown account
    cert = parse_certificate(ctx)
    settings = settings_of(ctx.state)
    ident = str(settings.next_certificate_id)
    settings.next_certificate_id += 1
    user = ctx.params["account_id"]
    settings.identity_certs.setdefault(user, {})[ident] = cert.public_bytes(serialization.Encoding.DER)
    base = ACCOUNT_CERTS.format(account_id=user)
    return Response(201, certificate_body(base, ident, cert), headers={"Location": f"{base}/{ident}"})


def _delete_identity(ctx: Any) -> dict[str, Any]:
    certs = settings_of(ctx.state).identity_certs.get(ctx.params["account_id"], {})
    if certs.pop(ctx.params["cert_id"], None) is None:
        raise Problem(404, "ResourceNotFound", "Certificate", ctx.params["cert_id"])
    return success(ctx)


def routes(flavor: Any) -> list[Route]:
    coll = "CertificateCollection"
    one = "Certificate"
    list_cas, get_ca = _collection_handlers(CLIENT_CAS, _cas, "Client Certificate Authorities")
    list_ts, get_ts = _collection_handlers(TRUSTSTORE, _cas, "TrustStore Certificates Collection")
    list_ids, get_id = _collection_handlers(ACCOUNT_CERTS, _account_certs, "User Certificates")
    return [
        Route(CLIENT_CAS, {"GET": (list_cas, coll)}, name="ClientCertificates"),
        Route(f"{CLIENT_CAS}/{{cert_id}}", {"GET": (get_ca, one)}, name="ClientCertificate"),
        Route(TRUSTSTORE, {"GET": (list_ts, coll), "POST": (_add_ca, coll)}, name="TrustStoreCertificates"),
        Route(
            f"{TRUSTSTORE}/{{cert_id}}",
            {"GET": (get_ts, one), "DELETE": (_delete_ca, one)},
            name="TrustStoreCertificate",
        ),
        Route(
            ACCOUNT_CERTS,
            {"GET": (list_ids, coll), "POST": (_add_identity, coll)},
            name="AccountCertificates",
        ),
        Route(
            f"{ACCOUNT_CERTS}/{{cert_id}}",
            {"GET": (get_id, one), "DELETE": (_delete_identity, one)},
            name="AccountCertificate",
        ),
    ]
