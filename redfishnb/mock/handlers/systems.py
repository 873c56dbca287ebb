"""The one hardware action the mock performs: ``ComputerSystem.Reset``, which needs VirtualPowerAndResetPriv.

It gives the privilege lessons a write that an Operator may do and a ReadOnly user may not.
"""

from __future__ import annotations

from typing import Any

from ..flavors import Flavor
from ..routing import Route
from ..wire import Problem
from .common import require_fields, success

_NEXT_STATE = {
    "On": "On",
    "ForceOff": "Off",
    "GracefulShutdown": "Off",
    "ForceRestart": "On",
    "GracefulRestart": "On",
    "Nmi": None,
    "PushPowerButton": "toggle",
}


def reset(ctx: Any) -> dict[str, Any]:
    body = require_fields(ctx, {"ResetType": str})
    kind = body["ResetType"]
    if kind not in _NEXT_STATE:
        raise Problem(400, "ActionParameterValueFormatError", kind, "ResetType", "ComputerSystem.Reset")
    state = ctx.state
    with state.lock:
        target = _NEXT_STATE[kind]
        if target == "toggle":
            target = "Off" if state.power_state == "On" else "On"
        if target:
            state.power_state = target
    return success(ctx)


def routes(flavor: Flavor) -> list[Route]:
    base = f"/redfish/v1/Systems/{flavor.system_id}/Actions/ComputerSystem.Reset"
    return [Route(base, {"POST": (reset, "VirtualPowerAndResetPriv")}, name="SystemReset")]
