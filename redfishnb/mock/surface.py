"""The documented iLO surface around what the handlers model: extra properties, writable settings, Allow.

Why: the kit models the requests it teaches (sessions, accounts, certificate login); an iLO's resources carry many
more properties (LDAP, two-factor, TLS settings...), and a lab browsing the tree or running iLOrest should meet
them, behaving as iLO does. Two data files describe that surface, so a correction is a data change:

- ``flavors/<name>/types.json`` (generated from HPE's pages by ``tools/ilo_reference.py``): each type's
  ``@odata.type``, URIs with their ``Allow`` methods, and properties with JSON types and read-only flags;
- ``flavors/<name>/surface.json``: per route, the documented properties the handlers do not build, with plausible
  values, laid under the handler's body (the handler's own values win).

Behaviour, for a property a handler does not model: a PATCH of a documented read-only property gets iLO's
``PropertyNotWritable``, of a documented writable one that the resource shows is type-checked and persists (it
survives an iLO reset, like iLO's flash), of anything else ``PropertyUnknown``. A route whose URI HPE documents
with PATCH but whose handler has none gets a PATCH doing exactly that.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from .routing import Route, Router
from .wire import Response

_KINDS: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
    "object": dict,
    "array": list,
}


def _default_flavor() -> Any:
    from .flavors import ILO6  # flavors -> hooks -> handlers -> this module: import at first use

    return ILO6


def documented(flavor: Any = None) -> dict[str, dict[str, Any]]:
    """HPE's documented shape of each type the mock models, by bare type name (the flavour's ``types.json``)."""
    flavor = flavor or _default_flavor()
    types: dict[str, dict[str, Any]] = flavor.data("types")["types"] if flavor.has_data("types") else {}
    return types


@cache
def _extras(flavor: Any) -> dict[str, dict[str, Any]]:
    if not flavor.has_data("surface"):
        return {}
    return {k.lower(): v for k, v in flavor.data("surface")["resources"].items()}


def odata_type(flavor: Any, name: str, default: str) -> str:
    """The documented ``@odata.type`` of ``name`` on iLO; ``default`` on a BMC without iLO's surface (RMC)."""
    if not flavor.has("documented_surface"):
        return default
    return str(documented(flavor)[name]["odata_type"])


@cache
def _uri_patterns(flavor: Any) -> list[tuple[re.Pattern[str], str, list[str]]]:
    out = []
    for name, doc in documented(flavor).items():
        for uri, methods in doc["uris"].items():
            pattern = re.escape(uri.rstrip("/")).replace(r"\{item\}", "[^/]+")
            out.append((re.compile(pattern, re.IGNORECASE), name, methods))
    return out


def doc_for(path: str, flavor: Any = None) -> tuple[str, list[str]] | None:
    """(documented type, documented methods) of the URI ``path`` (a route pattern or a concrete path)."""
    concrete = re.sub(r"\{\w+\}", "x", path.rstrip("/"))
    for regex, name, methods in _uri_patterns(flavor or _default_flavor()):
        if regex.fullmatch(concrete):
            return name, methods
    return None


def _lookup(props: dict[str, Any], dotted: str) -> dict[str, Any] | None:
    """The documented entry for ``LDAP.ServiceEnabled`` or ``Oem.Hpe.TwoFactorAuth`` (nested members too)."""
    if dotted in props:
        found: dict[str, Any] = props[dotted]
        return found
    head, _, rest = dotted.rpartition(".")
    while head:
        parent = props.get(head)
        if parent is not None:
            node: dict[str, Any] | None = parent
            for part in rest.split("."):
                node = node.get("members", {}).get(part) if node is not None else None
                if node is None:
                    return None
            return node
        head, _, tail = head.rpartition(".")
        rest = f"{tail}.{rest}"
    return None


def setting(state: Any, path: str, dotted: str) -> Any:
    """The value a documented setting no handler models shows at ``path``: as PATCHed, else the data's default.

    For behaviour that depends on such a setting (two-factor login needs the directory settings)."""
    overrides = state.overrides.get(path.lower(), {})
    if dotted in overrides:
        return copy.deepcopy(overrides[dotted])
    node: Any = _extras(state.flavor).get(path.lower(), {})
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return copy.deepcopy(node)


def _concrete(route: Route, params: dict[str, str]) -> str:
    return route.pattern.format_map(params).lower() if params else route.pattern.lower()


def _merge_under(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """Fill ``base`` with ``extra`` where ``base`` has nothing (nested objects merged the same way)."""
    for key, value in extra.items():
        if key not in base:
            base[key] = copy.deepcopy(value)
        elif isinstance(base[key], dict) and isinstance(value, dict):
            base[key] = dict(base[key])
            _merge_under(base[key], value)


def _set(body: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = body
    for part in parts[:-1]:
        node[part] = dict(node.get(part) or {})
        node = node[part]
    node[parts[-1]] = value


def overlay(ctx: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The handler's body with the documented extras under it and the persisted settings over it."""
    out = dict(body)
    extra = _extras(ctx.flavor).get(ctx.route.pattern.lower())
    if extra:
        _merge_under(out, extra)
    for dotted, value in ctx.state.overrides.get(_concrete(ctx.route, ctx.params), {}).items():
        _set(out, dotted, copy.deepcopy(value))
    return out


def _with_overlay(handler: Any) -> Any:
    """A GET or PATCH handler whose resource body (not a message body) gets :func:`overlay`."""

    def read(ctx: Any) -> Any:
        result = handler(ctx)
        body = result.body if isinstance(result, Response) else result
        if not isinstance(body, dict) or "@odata.id" not in body:
            return result
        if isinstance(result, Response):
            result.body = overlay(ctx, body)
            return result
        return overlay(ctx, body)

    return read


def _type_ok(value: Any, kinds: list[str]) -> bool:
    if value is None:
        return "null" in kinds
    wanted: list[type] = []
    for kind in kinds:
        entry = _KINDS.get(kind)
        if isinstance(entry, tuple):
            wanted += list(entry)
        elif isinstance(entry, type):
            wanted.append(entry)
    if isinstance(value, bool):
        return bool in wanted
    return isinstance(value, tuple(wanted))


Applied = Callable[[], None]
Refusal = tuple[str, tuple[Any, ...]]


def patch_unmodelled(ctx: Any, dotted: str, value: Any) -> list[tuple[str, Applied | Refusal]]:
    """Check a PATCH of a property no handler models: per leaf property, a deferred setter or a refusal.

    An object value for a documented object is taken member by member, so ``{"ActiveDirectory":
    {"ServiceEnabled": true}}`` changes that one member and keeps the others, as iLO does."""
    found = doc_for(ctx.route.pattern, ctx.flavor) if ctx.route is not None else None
    props = documented(ctx.flavor)[found[0]]["properties"] if found else {}
    spec = _lookup(props, dotted)
    if spec is None and isinstance(value, dict) and value and any(p.startswith(dotted + ".") for p in props):
        # ``Oem`` and ``Oem.Hpe`` are containers of documented properties, not properties themselves
        return [item for key, sub in value.items() for item in patch_unmodelled(ctx, f"{dotted}.{key}", sub)]
    if spec is None:
        return [(dotted, ("PropertyUnknown", (dotted,)))]
    if isinstance(value, dict) and spec.get("members") and value:
        return [item for key, sub in value.items() for item in patch_unmodelled(ctx, f"{dotted}.{key}", sub)]
    if spec["readonly"] or spec["type"] == ["link"]:
        return [(dotted, ("PropertyNotWritable", (dotted,)))]
    if _shown_value(ctx, dotted) is _MISSING:
        return [(dotted, ("PropertyUnknown", (dotted,)))]  # documented, but not something this BMC shows
    if not _type_ok(value, spec["type"]):
        return [(dotted, ("PropertyValueTypeError", (_shown(value), dotted)))]
    if "enum" in spec and value is not None and value not in spec["enum"] and str(value) not in spec["enum"]:
        return [(dotted, ("PropertyValueNotInList", (_shown(value), dotted)))]
    key = _concrete(ctx.route, ctx.params)
    overrides = ctx.state.overrides

    def apply() -> None:
        overrides.setdefault(key, {})[dotted] = copy.deepcopy(value)

    return [(dotted, apply)]


def _shown_value(ctx: Any, dotted: str) -> Any:
    current = ctx.route.methods["GET"][0](ctx)
    node: Any = current.body if isinstance(current, Response) else current
    for part in dotted.split("."):
        node = node.get(part, _MISSING) if isinstance(node, dict) else _MISSING
    return node


_MISSING = object()


def _shown(value: Any) -> str:
    return str(value) if not isinstance(value, (dict, list)) else type(value).__name__


def _generic_patch(ctx: Any) -> Response:
    from .handlers.common import apply_patch  # the handlers import this module

    notes = apply_patch(ctx, {})
    result = ctx.route.methods["GET"][0](ctx)
    response = result if isinstance(result, Response) else Response(200, result)
    if notes:
        response.body["@Message.ExtendedInfo"] = notes
    return response


def extend(router: Router, flavor: Any) -> None:
    """Lay the documented surface over ``router``'s routes (iLO flavours only); hot routes stay untouched."""
    if not flavor.has("documented_surface"):
        return
    extras = _extras(flavor)
    for route in router.routes:
        if "GET" not in route.methods:
            continue
        found = doc_for(route.pattern, flavor)
        if route.pattern.lower() not in extras and not (found and "PATCH" in found[1]):
            continue
        handler, privilege = route.methods["GET"]
        route.methods["GET"] = route.methods["HEAD"] = (_with_overlay(handler), privilege)
        if "PATCH" in route.methods:
            handler, privilege = route.methods["PATCH"]
            route.methods["PATCH"] = (_with_overlay(handler), privilege)
        elif found and "PATCH" in found[1]:
            route.add_method("PATCH", _generic_patch, "iLOConfigPriv")
