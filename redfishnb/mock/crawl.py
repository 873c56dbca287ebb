"""Walk the mock's own resource tree from the service root, as a client would, through the app's internal GET.

Why: iLO's ResourceDirectory lists every resource with its type, ETag and methods, and its JsonSchemas collection
has one file per type it serves. Both must follow whatever the mock actually serves (accounts come and go, a CA
appears in a collection after an import), so both are derived from a walk at request time, never a hand-kept list.
The stores (schemas, registries, the directory itself) are not walked: they describe the tree rather than belong
to it, and walking them would recurse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .routing import Route, normalize

ROOT = "/redfish/v1/"
# Described separately (their own types are added by the handlers that serve them).
NOT_WALKED = (
    "/redfish/v1/jsonschemas",
    "/redfish/v1/schemastore",
    "/redfish/v1/registries",
    "/redfish/v1/registrystore",
    "/redfish/v1/resourcedirectory",
)
MAX_RESOURCES = 2000  # a bound, not a limit a lab reaches: the walk must stop whatever links a bug creates


@dataclass(frozen=True)
class Found:
    """One resource the walk reached: its path as the BMC writes it, body, ETag and route."""

    path: str
    body: dict[str, Any]
    etag: str
    route: Route


def _links(value: Any) -> list[str]:
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, sub in item.items():
                if key == "@odata.id" and isinstance(sub, str):
                    out.append(sub)
                elif isinstance(sub, (dict, list)):
                    stack.append(sub)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _walked(path: str) -> bool:
    lowered = normalize(path).lower()
    if not lowered.startswith("/redfish/v1") or "#" in path:
        return False
    return not any(lowered == p or lowered.startswith(p + "/") for p in NOT_WALKED)


def walk(ctx: Any) -> list[Found]:
    """Every resource reachable from the root that the caller may read, in breadth-first order (once a request)."""
    memo = ctx.request.memo
    if "walk" not in memo:
        memo["walk"] = _walk(ctx)
    found: list[Found] = memo["walk"]
    return found


def _walk(ctx: Any) -> list[Found]:
    app = ctx.app
    seen: set[str] = set()
    queue = [ROOT]
    found: list[Found] = []
    while queue and len(found) < MAX_RESOURCES:
        path = queue.pop(0)
        key = normalize(path).lower()
        if key in seen or not _walked(path):
            continue
        seen.add(key)
        got = app.internal_get(path, ctx.principal, ctx.request)
        if got is None:
            continue
        body, etag, route = got
        found.append(Found(str(body.get("@odata.id", path)), body, etag, route))
        queue.extend(link for link in _links(body) if normalize(link).lower() not in seen)
    return found


def served_types(ctx: Any) -> dict[str, str]:
    """Versioned ``@odata.type`` of each type the walk meets, by bare name (``HpeCertAuth``), OEM blocks too."""
    memo = ctx.request.memo
    if "types" not in memo:
        memo["types"] = _types(walk(ctx))
    return dict(memo["types"])


def _types(found: list[Found]) -> dict[str, str]:
    types: dict[str, str] = {}
    for item in found:
        stack: list[Any] = [item.body]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                odata_type = value.get("@odata.type")
                if isinstance(odata_type, str) and odata_type.startswith("#"):
                    types.setdefault(type_name(odata_type), odata_type)
                stack.extend(v for v in value.values() if isinstance(v, dict))
    return types


def type_name(odata_type: str) -> str:
    """``#HpeCertAuth.v1_1_0.HpeCertAuth`` -> ``HpeCertAuth``."""
    return odata_type.lstrip("#").split(".")[0]
