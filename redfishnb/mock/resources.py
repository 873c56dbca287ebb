"""The read-mostly resources: /redfish, the service root, the OData documents, and the hardware views.

Hardware resources (Systems, Chassis, Managers) are each flavour's ``resources.json`` (``flavors/<name>/``); their
collections are generated from them. The service root is built per request because it shows live settings
(certificate login, login-failure delay, the BMC's time) just as iLO's does, unauthenticated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources as _ires
from typing import Any

from .clock import iso
from .flavors import FLAVORS, Flavor
from .handlers.common import collection
from .routing import Route
from .surface import setting
from .wire import Response

SESSIONS = "/redfish/v1/SessionService/Sessions"


@cache
def load_data(name: str) -> Any:
    """A shared data file (``data/metadata.xml``), or a flavour's by its old name: ``ilo6.json`` is the
    ``ilo6`` flavour's resources, ``ilo6_surface.json`` / ``ilo6_types.json`` its surface and types."""
    folder = _ires.files("redfishnb.mock").joinpath("data")
    if folder.joinpath(name).is_file():
        text = folder.joinpath(name).read_text(encoding="utf-8")
        return json.loads(text) if name.endswith(".json") else text
    stem = name.removesuffix(".json")
    flavor_name, _, kind = stem.partition("_")
    return FLAVORS[flavor_name].data(kind or "resources")


def _ref(flavor: Flavor, path: str) -> dict[str, str]:
    return {"@odata.id": flavor.link(path)}


def service_root(ctx: Any) -> dict[str, Any]:
    flavor: Flavor = ctx.flavor
    identity = flavor.root
    root: dict[str, Any] = {}
    if flavor.odata_context:
        root["@odata.context"] = "/redfish/v1/$metadata#ServiceRoot.ServiceRoot"
    root.update(
        {
            "@odata.id": "/redfish/v1/",
            "@odata.type": identity["@odata.type"],
            "Id": "RootService",
            "Name": identity["Name"],
            "RedfishVersion": identity["RedfishVersion"],
            "UUID": ctx.app.uuid,
            "Vendor": identity["Vendor"],
            "Product": flavor.product,
            **{name: _ref(flavor, f"/redfish/v1/{name}") for name in _ROOT_SERVICES},
            "Links": {"Sessions": _ref(flavor, SESSIONS)},
            "ProtocolFeaturesSupported": _PROTOCOL_FEATURES,
        }
    )
    if flavor.has("hpe_oem"):
        root["JsonSchemas"] = _ref(flavor, "/redfish/v1/JsonSchemas")
        root["Registries"] = _ref(flavor, "/redfish/v1/Registries")
        root["Oem"] = {"Hpe": _ilo_root_oem(ctx)}
    return root


_ROOT_SERVICES = ("AccountService", "CertificateService", "Chassis", "Managers", "SessionService", "Systems")
_PROTOCOL_FEATURES = {
    "ExpandQuery": {"ExpandAll": False, "Levels": True, "Links": False, "MaxLevels": 1, "NoLinks": True},
    "FilterQuery": False,
    "OnlyMemberQuery": True,
    "SelectQuery": True,
}


def _ilo_root_oem(ctx: Any) -> dict[str, Any]:
    """iLO's ``HpeiLOServiceExt`` block: the flavour's template with the live settings filled in."""
    state = ctx.state
    oem: dict[str, Any] = ctx.flavor.block("root_oem")
    sessions = oem["Sessions"]
    sessions["CertificateLoginEnabled"] = bool(ctx.app.certs.login_enabled)
    sessions["LDAPAuthLicenced"] = bool(state.licensed)
    sessions["LDAPEnabled"] = bool(setting(state, "/redfish/v1/AccountService", "LDAP.ServiceEnabled"))
    sessions["LoginFailureDelay"] = int(state.policy.login_failure_delay)
    oem["Time"] = iso(state.clock.now())
    return oem


def redfish_versions(ctx: Any) -> dict[str, str]:
    return {"v1": "/redfish/v1/"}


def odata_service(ctx: Any) -> dict[str, Any]:
    flavor = ctx.flavor
    value = [{"name": "Service", "kind": "Singleton", "url": "/redfish/v1/"}]
    value += [
        {"name": t, "kind": "Singleton", "url": flavor.link(f"/redfish/v1/{t}")} for t in _ROOT_SERVICES
    ]
    return {"@odata.context": "/redfish/v1/$metadata", "value": value}


def metadata(ctx: Any) -> Response:
    return Response(200, load_data("metadata.xml").encode(), content_type="application/xml; charset=utf-8")


def _live_system(ctx: Any, body: dict[str, Any]) -> None:
    body["PowerState"] = ctx.state.power_state


def _live_manager(ctx: Any, body: dict[str, Any]) -> None:
    body["DateTime"] = iso(ctx.state.clock.now())
    body["DateTimeLocalOffset"] = "+00:00"
    hpe = body.get("Oem", {}).get("Hpe")
    if hpe is not None and ctx.flavor.has("license"):  # iLO shows its license on the Manager too
        state = ctx.state
        key = f"XXXXX-XXXXX-XXXXX-XXXXX-{state.license_key_tail}" if state.licensed else ""
        kind = ctx.flavor.text("license_advanced" if state.licensed else "license_standard")
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


def _static(body: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    overlay = _OVERLAYS.get(str(body.get("@odata.type", "")).lstrip("#").split(".")[0])

    def handler(ctx: Any) -> dict[str, Any]:
        out = dict(body)  # shallow: the pipeline builds new dicts and never mutates nested values
        if overlay is not None:
            overlay(ctx, out)
        return out

    return handler


def _collection(path: str, spec: dict[str, str], members: list[str]) -> Callable[[Any], dict[str, Any]]:
    type_name = spec["type"].lstrip("#").split(".")[0]

    def handler(ctx: Any) -> dict[str, Any]:
        return collection(ctx, path, type_name, spec["name"], members, spec["description"])

    return handler


def routes(flavor: Flavor) -> list[Route]:
    data = flavor.data("resources")
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
