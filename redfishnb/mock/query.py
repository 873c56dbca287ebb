"""OData query options as iLO implements them: ``only``, ``$expand`` (one level) and ``$select``.

Unknown options that start with ``$`` answer 501 (DSP0266); other unknown options are ignored. ``only`` takes no
value (``?only=foo`` is a 400) and returns the single member of a one-member collection in its place, which is
how HPE reads the license: ``GET /redfish/v1/Managers/1/LicenseService/?only``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .wire import Problem

_EXPAND = re.compile(r"^(?P<kind>[.*~])(?:\(\$levels=(?P<levels>\d+)\))?$")
_SELECT_ITEM = re.compile(r"^[A-Za-z@#][\w@#.]*(/[A-Za-z@#][\w@#.]*)*$")
SUPPORTED = {"only", "$expand", "$select"}
_KEEP = ("@odata.context", "@odata.etag", "@odata.id", "@odata.type")


@dataclass
class QueryOptions:
    only: bool = False
    expand: bool = False
    select: list[str] | None = None

    @property
    def any(self) -> bool:
        return self.only or self.expand or self.select is not None


def parse(query: list[tuple[str, str | None]]) -> QueryOptions:
    """Validate the query options of a GET; raise 501/400 Problems as DSP0266 asks."""
    opts = QueryOptions()
    for name, value in query:
        if name.startswith("$") and name not in SUPPORTED:
            raise Problem(501, "QueryParameterUnsupported", name)
        if name == "only":
            if value is not None:
                raise Problem(400, "QueryParameterValueFormatError", value, name)
            opts.only = True
        elif name == "$expand":
            m = _EXPAND.match(value or "")
            if not m:
                raise Problem(400, "QueryParameterValueFormatError", value or "", name)
            if m.group("kind") == "~":
                raise Problem(501, "QueryParameterUnsupported", f"{name}=~")
            if m.group("levels") is not None and int(m.group("levels")) != 1:
                raise Problem(400, "QueryParameterValueFormatError", value, name)
            opts.expand = True
        elif name == "$select":
            items = [v.strip() for v in (value or "").split(",")]
            if not items or not all(_SELECT_ITEM.match(i) for i in items):
                raise Problem(400, "QueryParameterValueFormatError", value or "", name)
            opts.select = items
    return opts


def is_single_member_collection(body: dict[str, Any]) -> str | None:
    members = body.get("Members")
    if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
        return members[0].get("@odata.id")
    return None


def expand(body: dict[str, Any], fetch: Callable[[str], dict[str, Any] | None]) -> dict[str, Any]:
    """Replace every non-``Links`` reference with the resource it names, one level deep (iLO's behaviour)."""

    def walk(value: Any, under_links: bool) -> Any:
        if isinstance(value, dict):
            if set(value) == {"@odata.id"} and not under_links:
                fetched = fetch(value["@odata.id"])
                return fetched if fetched is not None else value
            return {k: walk(v, under_links or k == "Links") for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, under_links) for v in value]
        return value

    return {k: (v if k.startswith("@odata.") else walk(v, k == "Links")) for k, v in body.items()}


def select(body: dict[str, Any], names: list[str]) -> dict[str, Any]:
    out = {k: body[k] for k in _KEEP if k in body}
    for name in names:
        head, _, rest = name.partition("/")
        if head not in body:
            continue
        if rest and isinstance(body[head], dict):
            sub = select(body[head], [rest])
            out.setdefault(head, {}).update(
                {k: v for k, v in sub.items() if k not in _KEEP or k in body[head]}
            )
        else:
            out[head] = body[head]
    return out
