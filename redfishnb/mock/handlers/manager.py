"""The Manager's actions: ``Manager.Reset``, the iLO reset that ends every session.

Why: besides DELETE and the idle timeout, an iLO reset is the only way to free a BMC at its session limit. HPE
documents ``ResetType`` ``ForceRestart`` and ``GracefulRestart`` (the same on iLO) and the Configure Manager
privilege (iLOConfigPriv). The allowed values are read from the Manager's own data (its
``ResetType@Redfish.AllowableValues``), so the resource and the action cannot disagree; without one iLO does a
GracefulRestart (HPE's iLOrest ``iloreset`` sends none). iLO answers
``ResetInProgress`` at once and then goes away: the reply leaves before the web server stops.
"""

from __future__ import annotations

from typing import Any

from ..flavors import Flavor
from ..routing import Route
from ..wire import Problem
from .common import success

ACTION = "Manager.Reset"


def _action(flavor: Flavor) -> tuple[str, dict[str, Any]] | None:
    """(path of the Manager, its ``#Manager.Reset`` entry) when this flavour's Manager has the action."""
    for path, body in flavor.data("resources")["resources"].items():
        entry = body.get("Actions", {}).get(f"#{ACTION}")
        if entry is not None and str(body.get("@odata.type", "")).startswith("#Manager."):
            return path, entry
    return None


def manager_reset(ctx: Any) -> dict[str, Any]:
    found = _action(ctx.flavor)
    if found is None:  # pragma: no cover - the route exists only when the action does
        raise Problem(404, "ResourceMissingAtURI", ctx.request.path)
    _, entry = found
    body = ctx.body if isinstance(ctx.body, dict) else None
    if body is None:
        raise Problem(400, "MalformedJSON")
    allowed = entry["ResetType@Redfish.AllowableValues"]
    reset_type = body.get("ResetType", allowed[-1])  # iLOrest's ``iloreset`` sends only {"Action": ...}
    if reset_type not in allowed:
        raise Problem(400, "ActionParameterValueFormatError", str(reset_type), "ResetType", ACTION)
    if ctx.app.on_reset is None:
        raise Problem(503, "ServiceTemporarilyUnavailable", "1")
    ctx.app.on_reset()
    return success(ctx, "ResetInProgress")


def routes(flavor: Flavor) -> list[Route]:
    found = _action(flavor)
    if found is None:
        return []
    target = found[1]["target"]
    return [Route(target.rstrip("/"), {"POST": (manager_reset, "iLOConfigPriv")}, name="ManagerReset")]
