"""Helpers every handler shares: reading a JSON body, validating a PATCH, answering with a success message.

PATCH follows DSP0266: validate everything first; if nothing can be applied answer 400 listing each bad property;
if some properties apply and others do not, apply the good ones and answer 200 with the resource and messages
naming the rest. Wrong types, unknown and read-only properties each get their own registry message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from ..messages import message, success_body
from ..surface import patch_unmodelled
from ..wire import Problem

Constraint = tuple[int, int] | Collection[Any] | Callable[[Any], None] | None
PatchSpec = dict[str, tuple[type, Callable[[Any], None], Constraint]]


def odata_context(ctx: Any, type_name: str) -> dict[str, str]:
    """iLO's ``@odata.context`` for a resource type (the RMC sends none)."""
    if not ctx.flavor.odata_context:
        return {}
    return {"@odata.context": f"/redfish/v1/$metadata#{type_name}.{type_name}"}


def collection(
    ctx: Any, path: str, type_name: str, name: str, members: list[str], description: str | None = None
) -> dict[str, Any]:
    """A resource collection in the flavour's shape: member links as the BMC writes them, with the count."""
    link = ctx.flavor.link
    body: dict[str, Any] = {
        **odata_context(ctx, type_name),
        "@odata.id": link(path),
        "@odata.type": f"#{type_name}.{type_name}",
        "Name": name,
    }
    if description:
        body["Description"] = description
    body["Members"] = [{"@odata.id": link(m)} for m in members]
    body["Members@odata.count"] = len(members)
    return body


def success(ctx: Any, key: str = "Success", *args: Any) -> dict[str, Any]:
    return success_body(ctx.flavor, key, *args)


def _type_ok(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def json_type_name(value: Any) -> str:
    return str(value) if not isinstance(value, (dict, list)) else type(value).__name__


def require_fields(
    ctx: Any, required: dict[str, type], optional: dict[str, type] | None = None
) -> dict[str, Any]:
    """The request body with ``required`` properties present and every known property of the right type."""
    body = ctx.body
    if not isinstance(body, dict):
        raise Problem(400, "MalformedJSON")
    for name in required:
        if name not in body or body[name] is None:
            raise Problem(400, "PropertyMissing", name, related=[f"#/{name}"])
    for name, kind in {**required, **(optional or {})}.items():
        if name in body and body[name] is not None and not _type_ok(body[name], kind):
            raise Problem(
                400, "PropertyValueTypeError", json_type_name(body[name]), name, related=[f"#/{name}"]
            )
    return body


def _flatten(body: dict[str, Any], spec_keys: set[str], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in body.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and any(k.startswith(path + ".") for k in spec_keys):
            out.extend(_flatten(value, spec_keys, path + "."))
        else:
            out.append((path, value))
    return out


def _ignoring_value(apply: Callable[[], None]) -> Callable[[Any], None]:
    """A setter for the PATCH loop that runs ``apply`` (the surface's deferred write)."""

    def setter(_value: Any) -> None:
        apply()

    return setter


def apply_patch(ctx: Any, spec: PatchSpec, readonly: Collection[str] = ()) -> list[dict[str, Any]]:
    """Validate and apply a PATCH body; return messages for properties that were not applied (mixed case)."""
    body = ctx.body
    if not isinstance(body, dict):
        raise Problem(400, "MalformedJSON")
    items = [(k, v) for k, v in _flatten(body, set(spec)) if not k.startswith("@odata.")]
    if not items:
        raise Problem(400, "NoOperation")
    flavor = ctx.flavor
    good: list[tuple[Callable[[Any], None], Any]] = []
    bad: list[dict[str, Any]] = []
    for path, value in items:
        pointer = "#/" + path.replace(".", "/")
        if path not in spec:
            if path in readonly or path.split(".")[0] in readonly:
                bad.append(message(flavor, "PropertyNotWritable", path, related=[pointer]))
            elif not flavor.has("documented_surface"):
                bad.append(message(flavor, "PropertyUnknown", path, related=[pointer]))
            else:  # a documented iLO property no handler models: the surface decides
                for leaf, verdict in patch_unmodelled(ctx, path, value):
                    if callable(verdict):
                        good.append((_ignoring_value(verdict), None))
                    else:
                        leaf_pointer = "#/" + leaf.replace(".", "/")
                        bad.append(message(flavor, verdict[0], *verdict[1], related=[leaf_pointer]))
            continue
        kind, setter, constraint = spec[path]
        if not _type_ok(value, kind):
            bad.append(
                message(flavor, "PropertyValueTypeError", json_type_name(value), path, related=[pointer])
            )
            continue
        if isinstance(constraint, tuple) and len(constraint) == 2 and kind is int:
            lo, hi = constraint
            if not lo <= value <= hi:
                bad.append(message(flavor, "PropertyValueOutOfRange", value, path, related=[pointer]))
                continue
        elif callable(constraint):
            try:
                constraint(value)
            except Problem as p:
                bad.append(message(flavor, p.key, *p.args_, related=[pointer]))
                continue
        elif constraint is not None and value not in constraint:
            bad.append(
                message(flavor, "PropertyValueNotInList", json_type_name(value), path, related=[pointer])
            )
            continue
        good.append((setter, value))
    if not good:
        raise Problem(400, "GeneralError", items=bad)
    with ctx.state.lock:
        for setter, value in good:
            setter(value)
    return bad
