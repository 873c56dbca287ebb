"""HpeiLODateTime (``/redfish/v1/Managers/{id}/DateTime``): where an iLO keeps its clock and NTP servers.

iLO 6 and 7 declare ManagerNetworkProtocol v1_0_0, which has no ``NTP``; HPE documents the NTP servers here
instead (HPE iLO 6 v1.70 / iLO 7 v1.14 HPE resource definitions, HpeiLODateTime): ``NTPServers`` is read-only and
shows the servers in use, ``StaticNTPServers`` is what an administrator sets, and both it and ``TimeZone`` can be
set only while DHCP does not supply the time settings (else iLO answers ``SNTPConfigurationManagedByDHCPAndIsReadOnly``).
``StaticNTPServers`` follows Redfish's array PATCH rules (:func:`.network.merge_array`) over the same stored list
a DMTF-style BMC shows as ``NetworkProtocol.NTP.NTPServers``. The route exists where the flavour's documented
types list HpeiLODateTime; its other documented properties (TimeZone, TimeZoneList, PropagateTimeToHost...) come
from the surface data.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..clock import iso
from ..flavors import Flavor
from ..routing import Route
from ..surface import documented, odata_type
from ..wire import Problem, Response
from .common import PatchSpec, apply_patch, odata_context
from .network import merge_array, server_list_check

TYPE = "HpeiLODateTime"
DHCP_MANAGED = (
    "StaticNTPServers",
    "TimeZone",
)  # settable only with static time settings (HPE's descriptions)


def date_time_path(flavor: Flavor) -> str:
    return f"/redfish/v1/Managers/{flavor.manager_id}/DateTime"


def serves_date_time(flavor: Flavor) -> bool:
    return TYPE in documented(flavor)


def _writable(flavor: Flavor, prop: str) -> bool:
    spec = documented(flavor)[TYPE]["properties"].get(prop)
    return bool(spec) and not spec["readonly"]


def date_time(ctx: Any) -> dict[str, Any]:
    state = ctx.state
    return {
        **odata_context(ctx, TYPE),
        "@odata.id": ctx.flavor.link(date_time_path(ctx.flavor)),
        "@odata.type": odata_type(ctx.flavor, TYPE, f"#{TYPE}.v2_0_1.{TYPE}"),
        "Id": "DateTime",
        "Name": "Date Time",
        "ConfigurationSettings": "Current",
        "DateTime": iso(state.clock.now()),
        "NTPServers": [] if state.sntp_from_dhcp else list(state.ntp_servers),
        "StaticNTPServers": list(state.ntp_servers),
    }


def _set_clock(ctx: Any) -> Any:
    """A setter for a writable ``DateTime`` (iLO 7): the mock's clock only moves forward."""

    def check(value: str) -> None:
        try:
            when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise Problem(400, "PropertyValueFormatError", value, "DateTime") from None
        if when.tzinfo is None or when.timestamp() < ctx.state.clock.now():
            raise Problem(400, "PropertyValueIncorrect", "DateTime", value)

    def apply(value: str) -> None:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        ctx.state.clock.advance(when.timestamp() - ctx.state.clock.now())

    return str, apply, check


def patch_date_time(ctx: Any) -> Response:
    state = ctx.state
    body = ctx.body if isinstance(ctx.body, dict) else {}
    managed = [name for name in DHCP_MANAGED if name in body]
    if state.sntp_from_dhcp and managed:
        raise Problem(400, "SNTPConfigurationManagedByDHCPAndIsReadOnly", managed[0])

    def set_static(value: list[Any]) -> None:
        state.ntp_servers = merge_array(state.ntp_servers, value)

    spec: PatchSpec = {
        "StaticNTPServers": (list, set_static, server_list_check("StaticNTPServers", "StaticNTPServers")),
    }
    if _writable(ctx.flavor, "DateTime"):
        spec["DateTime"] = _set_clock(ctx)
    notes = apply_patch(ctx, spec, readonly={"Id", "Name", "ConfigurationSettings", "NTPServers"})
    response = Response(200, date_time(ctx))
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def routes(flavor: Flavor) -> list[Route]:
    if not serves_date_time(flavor):
        return []
    return [
        Route(
            date_time_path(flavor),
            {"GET": (date_time, "LoginPriv"), "PATCH": (patch_date_time, "iLOConfigPriv")},
            name="DateTime",
        )
    ]
