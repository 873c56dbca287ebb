"""ManagerNetworkProtocol: the manager's services, its HTTPS certificates link, and NTP servers.

NTP matters to certificate login (validity is judged by the BMC's clock, and HPE's setup starts with NTP), and its
``NTPServers`` array is where Redfish's array PATCH rules apply: ``null`` removes an element, ``{}`` keeps it, a
shorter list truncates. The names are only stored; the mock never contacts a time server.

``NTP`` and ``HTTPS.Certificates`` are shown only when the declared ManagerNetworkProtocol version defines them
(v1_2_0 and v1_4_0): iLO 6 and 7 declare v1_0_0 and keep their NTP servers in ``Managers/1/DateTime``
(:mod:`.timeservice`), over the same stored list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import twofactor
from ..flavors import Flavor
from ..routing import Route
from ..versions import defines
from ..wire import Problem, Response
from .certservice import certificate_paths, protocol_type, serves_https_certificates
from .common import PatchSpec, apply_patch

MAX_NTP_SERVERS = 8


def network_protocol(ctx: Any) -> Response:
    protocol, collection, _ = certificate_paths(ctx.flavor)
    link = ctx.flavor.link
    state = ctx.state
    https: dict[str, Any] = {"Port": ctx.app.port, "ProtocolEnabled": True}
    if serves_https_certificates(ctx.flavor):
        https["Certificates"] = {"@odata.id": link(collection)}
    body: dict[str, Any] = {
        "@odata.id": link(protocol),
        "@odata.type": protocol_type(ctx.flavor),
        "Id": "NetworkProtocol",
        "Name": "Manager Network Protocol",
        "HostName": ctx.flavor.text("hostname"),
        "HTTP": {"Port": 80, "ProtocolEnabled": True},
        "HTTPS": https,
        "IPMI": {"Port": 623, "ProtocolEnabled": False},
        "SSH": {"Port": 22, "ProtocolEnabled": True},
    }
    if _has_ntp(ctx.flavor):
        body["NTP"] = {"ProtocolEnabled": state.ntp_enabled, "NTPServers": list(state.ntp_servers)}
    body["Status"] = {"Health": "OK", "State": "Enabled"}
    if ctx.flavor.has(
        "two_factor_settings"
    ):  # the other documented Oem.Hpe settings come from the surface data
        body["Oem"] = {"Hpe": {"SMTPForTFAEnabled": state.smtp_for_tfa}}
    return Response(200, body)


def _has_ntp(flavor: Flavor) -> bool:
    return defines(protocol_type(flavor), "NTP")


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


def server_list_check(name: str, pointer: str) -> Callable[[list[Any]], None]:
    """A PATCH constraint for an array of NTP server names (array PATCH elements ``null``/``{}`` allowed)."""

    def check(value: list[Any]) -> None:
        if not all(item is None or item == {} or (isinstance(item, str) and item.strip()) for item in value):
            raise Problem(400, "PropertyValueFormatError", name, pointer)
        if len(value) > MAX_NTP_SERVERS:
            raise Problem(400, "PropertyValueOutOfRange", len(value), pointer)

    return check


def patch_network_protocol(ctx: Any) -> Response:
    state = ctx.state

    def set_servers(value: list[Any]) -> None:
        state.ntp_servers = merge_array(state.ntp_servers, value)

    spec: PatchSpec = {}
    if _has_ntp(ctx.flavor):
        spec["NTP.NTPServers"] = (list, set_servers, server_list_check("NTPServers", "NTP/NTPServers"))
        spec["NTP.ProtocolEnabled"] = (bool, lambda v: setattr(state, "ntp_enabled", v), None)
    if ctx.flavor.has("two_factor_settings"):
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
