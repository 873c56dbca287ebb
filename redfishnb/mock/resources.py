"""The read-mostly resources: /redfish, the service root, the OData documents, and the hardware views.

Hardware resources (Systems, Chassis, Managers) are JSON data files per flavour under ``data/``; their
collections are generated from them. The service root is built per request because it shows live settings
(certificate login, login-failure delay, the BMC's time) just as iLO's does, unauthenticated.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources as _ires
from typing import Any

from .clock import iso
from .flavors import Flavor
from .handlers.common import collection
from .routing import Route
from .surface import setting
from .wire import Response

SESSIONS = "/redfish/v1/SessionService/Sessions"


@cache
def load_data(name: str) -> Any:
    text = _ires.files("redfishnb.mock").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


def _ref(flavor: Flavor, path: str) -> dict[str, str]:
    return {"@odata.id": flavor.link(path)}


def service_root(ctx: Any) -> dict[str, Any]:
    flavor: Flavor = ctx.flavor
    root: dict[str, Any] = {}
    if flavor.terse_errors:
        root["@odata.context"] = "/redfish/v1/$metadata#ServiceRoot.ServiceRoot"
    root.update(
        {
            "@odata.id": "/redfish/v1/",
            "@odata.type": "#ServiceRoot.v1_14_0.ServiceRoot"
            if flavor.terse_errors
            else "#ServiceRoot.v1_5_1.ServiceRoot",
            "Id": "RootService",
            "Name": "HPE RESTful Root Service" if flavor.terse_errors else "Root Service",
            "RedfishVersion": "1.13.0" if flavor.terse_errors else "1.6.0",
            "UUID": ctx.app.uuid,
            "Vendor": "HPE",
            "Product": flavor.product,
            "AccountService": _ref(flavor, "/redfish/v1/AccountService"),
            "CertificateService": _ref(flavor, "/redfish/v1/CertificateService"),
            "Chassis": _ref(flavor, "/redfish/v1/Chassis"),
            "Managers": _ref(flavor, "/redfish/v1/Managers"),
            "SessionService": _ref(flavor, "/redfish/v1/SessionService"),
            "Systems": _ref(flavor, "/redfish/v1/Systems"),
            "Links": {"Sessions": _ref(flavor, SESSIONS)},
            "ProtocolFeaturesSupported": {
                "ExpandQuery": {
                    "ExpandAll": False,
                    "Levels": True,
                    "Links": False,
                    "MaxLevels": 1,
                    "NoLinks": True,
                },
                "FilterQuery": False,
                "OnlyMemberQuery": True,
                "SelectQuery": True,
            },
        }
    )
    if flavor.hpe_oem_services:
        root["JsonSchemas"] = _ref(flavor, "/redfish/v1/JsonSchemas")
        root["Registries"] = _ref(flavor, "/redfish/v1/Registries")
        root["Oem"] = {"Hpe": _ilo_root_oem(ctx)}
    return root


def _ilo_root_oem(ctx: Any) -> dict[str, Any]:
    state = ctx.state
    policy = state.policy
    return {
        "@odata.context": "/redfish/v1/$metadata#HpeiLOServiceExt.HpeiLOServiceExt",
        "@odata.type": "#HpeiLOServiceExt.v2_3_0.HpeiLOServiceExt",
        "Links": {"ResourceDirectory": {"@odata.id": "/redfish/v1/ResourceDirectory/"}},
        "Manager": [
            {
                "DefaultLanguage": "en",
                "FQDN": "ilo-lab.example.net",
                "HostName": "ilo-lab",
                "Languages": [{"Language": "en", "TranslationName": "English", "Version": "1.70"}],
                "ManagerFirmwareVersion": "1.70",
                "ManagerType": "iLO 6",
                "Status": {"Health": "OK"},
            }
        ],
        "Moniker": {
            "ADVLIC": "iLO Advanced",
            "BMC": "iLO",
            "PRODABR": "iLO",
            "PRODFAM": "Integrated Lights-Out",
            "PRODGEN": "iLO 6",
            "PRODNAM": "Integrated Lights-Out 6",
            "STDLIC": "iLO Standard",
            "VENDABR": "HPE",
            "VENDNAM": "Hewlett Packard Enterprise",
        },
        "Sessions": {
            "CertCommonName": "ilo-lab.example.net",
            "CertificateLoginEnabled": bool(ctx.app.certs.login_enabled),
            "KerberosEnabled": False,
            "LDAPAuthLicenced": bool(state.licensed),
            "LDAPEnabled": bool(setting(state, "/redfish/v1/AccountService", "LDAP.ServiceEnabled")),
            "LocalLoginEnabled": True,
            "LoginFailureDelay": int(policy.login_failure_delay),
            "LoginHint": {
                "Hint": "POST to /Sessions to login using the following JSON object:",
                "HintPOSTData": {"Password": "password", "UserName": "username"},
            },
            "SecurityOverride": False,
            "ServerName": "",
        },
        "System": [{"Status": {"Health": "OK"}}],
        "Time": iso(state.clock.now()),
    }


def redfish_versions(ctx: Any) -> dict[str, str]:
    return {"v1": "/redfish/v1/"}


def odata_service(ctx: Any) -> dict[str, Any]:
    flavor = ctx.flavor
    tops = ["AccountService", "CertificateService", "Chassis", "Managers", "SessionService", "Systems"]
    value = [{"name": "Service", "kind": "Singleton", "url": "/redfish/v1/"}]
    value += [{"name": t, "kind": "Singleton", "url": flavor.link(f"/redfish/v1/{t}")} for t in tops]
    return {"@odata.context": "/redfish/v1/$metadata", "value": value}


def metadata(ctx: Any) -> Response:
    return Response(200, load_data("metadata.xml").encode(), content_type="application/xml; charset=utf-8")


def _live_system(ctx: Any, body: dict[str, Any]) -> None:
    body["PowerState"] = ctx.state.power_state


def _live_manager(ctx: Any, body: dict[str, Any]) -> None:
    body["DateTime"] = iso(ctx.state.clock.now())
    body["DateTimeLocalOffset"] = "+00:00"
    hpe = body.get("Oem", {}).get("Hpe")
    if hpe is not None and ctx.flavor.hpe_oem_services:  # iLO shows its license on the Manager too
        state = ctx.state
        key = f"XXXXX-XXXXX-XXXXX-XXXXX-{state.license_key_tail}" if state.licensed else ""
        kind = "iLO Advanced" if state.licensed else "iLO Standard"
        body["Oem"] = {
            **body["Oem"],
            "Hpe": {
                **hpe,
                "License": {
                    "LicenseKey": key,
                    "LicenseString": kind,
                    "LicenseType": "Perpetual" if state.licensed else "Unlicensed",
                },
            },
        }


# Live properties laid over the static data, by resource type.
_OVERLAYS = {"ComputerSystem": _live_system, "Manager": _live_manager}


def _static(body: dict[str, Any]):
    overlay = _OVERLAYS.get(str(body.get("@odata.type", "")).lstrip("#").split(".")[0])

    def handler(ctx: Any) -> dict[str, Any]:
        out = dict(body)  # shallow: the pipeline builds new dicts and never mutates nested values
        if overlay is not None:
            overlay(ctx, out)
        return out

    return handler


def _collection(path: str, spec: dict[str, str], members: list[str]):
    type_name = spec["type"].lstrip("#").split(".")[0]

    def handler(ctx: Any) -> dict[str, Any]:
        return collection(ctx, path, type_name, spec["name"], members, spec["description"])

    return handler


def routes(flavor: Flavor) -> list[Route]:
    data = load_data(f"{flavor.name}.json")
    out = [
        Route("/redfish", {"GET": (redfish_versions, None)}, name="Versions", public=frozenset({"GET"})),
        Route("/redfish/v1", {"GET": (service_root, None)}, name="ServiceRoot", public=frozenset({"GET"})),
        Route("/redfish/v1/odata", {"GET": (odata_service, None)}, name="OData", public=frozenset({"GET"})),
        Route(
            "/redfish/v1/$metadata",
            {"GET": (metadata, None)},
            name="Metadata",
            public=frozenset({"GET"}),
            media_type="application/xml",
        ),
    ]
    for cpath, spec in data["collections"].items():
        members = [p for p in data["resources"] if p.rsplit("/", 1)[0] == cpath]
        out.append(Route(cpath, {"GET": (_collection(cpath, spec, members), "LoginPriv")}, name="Collection"))
    for rpath, body in data["resources"].items():
        out.append(Route(rpath, {"GET": (_static(body), "LoginPriv")}, name="Static"))
    return out
