"""ManagerNetworkProtocol: the manager's services, its HTTPS certificates link, and NTP servers.

NTP matters to certificate login (validity is judged by the BMC's clock, and HPE's setup starts with NTP), and its
``NTPServers`` array is where Redfish's array PATCH rules apply: ``null`` removes an element, ``{}`` keeps it, a
shorter list truncates. The names are only stored; the mock never contacts a time server.
"""

from __future__ import annotations

from typing import Any

from .. import twofactor
from ..flavors import Flavor
from ..routing import Route
from ..surface import odata_type
from ..wire import Problem, Response
from .certservice import certificate_paths
from .common import apply_patch

MAX_NTP_SERVERS = 8


def network_protocol(ctx: Any) -> Response:
    protocol, collection, _ = certificate_paths(ctx.flavor)
    link = ctx.flavor.link
    state = ctx.state
    body = {
        "@odata.id": link(protocol),
        "@odata.type": odata_type(
            ctx.flavor, "ManagerNetworkProtocol", "#ManagerNetworkProtocol.v1_5_0.ManagerNetworkProtocol"
        ),
        "Id": "NetworkProtocol",
        "Name": "Manager Network Protocol",
        "HostName": "ilo-lab" if ctx.flavor.hpe_oem_services else "rmc-lab",
        "HTTP": {"Port": 80, "ProtocolEnabled": True},
        "HTTPS": {
            "Port": ctx.app.port,
            "ProtocolEnabled": True,
            "Certificates": {"@odata.id": link(collection)},
        },
        "IPMI": {"Port": 623, "ProtocolEnabled": False},
        "SSH": {"Port": 22, "ProtocolEnabled": True},
        "NTP": {"ProtocolEnabled": state.ntp_enabled, "NTPServers": list(state.ntp_servers)},
        "Status": {"Health": "OK", "State": "Enabled"},
    }
    if ctx.flavor.hpe_oem_services:  # the other documented Oem.Hpe settings come from the surface data
        body["Oem"] = {"Hpe": {"SMTPForTFAEnabled": state.smtp_for_tfa}}
    return Response(200, body)


def merge_array(current: list[Any], update: list[Any]) -> list[Any]:
    """Redfish array PATCH: per position, null removes, {} keeps, a value replaces or adds; the rest is cut off."""
    merged: list[Any] = []
    for index, item in enumerate(update):
        if item is None:
            continue
        if item == {}:
            if index < len(current):
                merged.append(current[index])
            continue
        merged.append(item)
    return merged


def _check_servers(value: list[Any]) -> None:
    if not all(item is None or item == {} or (isinstance(item, str) and item.strip()) for item in value):
        raise Problem(400, "PropertyValueFormatError", "NTPServers", "NTP/NTPServers")
    if len(value) > MAX_NTP_SERVERS:
        raise Problem(400, "PropertyValueOutOfRange", len(value), "NTP/NTPServers")


def patch_network_protocol(ctx: Any) -> Response:
    state = ctx.state

    def set_servers(value: list[Any]) -> None:
        state.ntp_servers = merge_array(state.ntp_servers, value)

    spec = {
        "NTP.NTPServers": (list, set_servers, _check_servers),
        "NTP.ProtocolEnabled": (bool, lambda v: setattr(state, "ntp_enabled", v), None),
    }
    if ctx.flavor.hpe_oem_services:
        spec.update(twofactor.network_protocol_patch(ctx))
    readonly = {"HTTP", "HTTPS", "IPMI", "SSH", "HostName", "Id", "Name", "Status"}
    notes = apply_patch(ctx, spec, readonly=readonly)
    response = network_protocol(ctx)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def routes(flavor: Flavor) -> list[Route]:
    protocol, _, _ = certificate_paths(flavor)
    return [
        Route(
            protocol,
            {"GET": (network_protocol, "LoginPriv"), "PATCH": (patch_network_protocol, "iLOConfigPriv")},
            name="NetworkProtocol",
        )
    ]
