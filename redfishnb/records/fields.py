"""Records whose fields say where in a Redfish body they live, read by one parser.

A Redfish object reaches the kit as JSON whose spelling depends on the service: iLO keeps a session's details
under ``Oem.Hpe``, a DMTF service has ``CreatedTime`` and ``ClientOriginIPAddress``, the RMC has
``Oem.Hpe.InitialRole``. A record declares, for each of its fields, the paths to try in order and the kind of
value (text, datetime, flag ...); :func:`parse` reads a body into the record once, so the tables, the fleet and
the widgets all get the same typed values (timezone-aware datetimes, real booleans, tuples) and never poke into
the JSON themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Literal, TypeVar

__all__ = ["Kind", "Record", "column_kinds", "columns", "parse", "redfish"]

#: What a field holds: ``text`` (a non-empty str), ``datetime`` (tz-aware, UTC), ``bool``, ``texts`` (a tuple of
#: str), ``flags`` (a read-only ``{name: bool}``).
Kind = Literal["text", "datetime", "bool", "texts", "flags"]

_MISSING = object()
R = TypeVar("R")


def redfish(*paths: str, kind: Kind = "text", column: str | None = None) -> Any:
    """A record field read from the first of ``paths`` present in the body (``/`` separates members, so
    ``"Oem/Hpe/UserIP"``; ``"@odata.id"`` is one member). Absent or unusable values are None. ``column`` names
    the field in tables (the Redfish name people know), when the field is shown there."""
    split = tuple(tuple(path.split("/")) for path in paths)
    return dataclasses.field(default=None, metadata={"redfish": split, "kind": kind, "column": column})


def columns(record: Any) -> dict[str, Any]:
    """The record's tabled fields as ``{column: value}``, in declaration order."""
    return {
        spec.metadata["column"]: getattr(record, spec.name)
        for spec in dataclasses.fields(record)
        if spec.metadata.get("column")
    }


def column_kinds(cls: type) -> dict[str, Kind]:
    """``{column: kind}`` of a record class's tabled fields: what dtype a table gives each column."""
    return {
        spec.metadata["column"]: spec.metadata["kind"]
        for spec in dataclasses.fields(cls)
        if spec.metadata.get("column")
    }


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _datetime(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime; a time without zone is taken as UTC (iLO omits none)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _texts(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple):
        return None
    return tuple(str(v) for v in value if v is not None)


def _flags(value: Any) -> Mapping[str, bool] | None:
    if not isinstance(value, Mapping):
        return None
    return MappingProxyType({str(k): v for k, v in value.items() if isinstance(v, bool)})


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "datetime": _datetime,
    "bool": _bool,
    "texts": _texts,
    "flags": _flags,
}


def _member(node: Any, key: str) -> Any:
    if type(node) is dict or isinstance(node, Mapping):  # the exact-type test first: JSON bodies are dicts
        return node.get(key, _MISSING)
    return _MISSING


def _at(body: Mapping[str, Any], path: tuple[str, ...], parents: dict[tuple[str, ...], Any]) -> Any:
    """The value at ``path``; the objects on the way (``Oem/Hpe``) are looked up once per body in ``parents``."""
    where = path[:-1]
    parent = parents.get(where, _MISSING)
    if parent is _MISSING:
        parent = body
        for key in where:
            parent = _member(parent, key)
            if parent is _MISSING:
                break
        parents[where] = parent
    return _MISSING if parent is _MISSING else _member(parent, path[-1])


# Per record class: (attribute, paths, converter) of each Redfish field, worked out once.
_PLANS: dict[type, tuple[tuple[str, tuple[tuple[str, ...], ...], Callable[[Any], Any]], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, tuple[tuple[str, ...], ...], Callable[[Any], Any]], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            (spec.name, spec.metadata["redfish"], _CONVERTERS[spec.metadata["kind"]])
            for spec in dataclasses.fields(cls)
            if "redfish" in spec.metadata
        )
    return plan


def parse(cls: type[R], body: Mapping[str, Any] | None) -> R:
    """``cls`` (a dataclass of :func:`redfish` fields) read from a JSON body; each field takes the first of its
    paths that holds a usable value, so a fallback path is used when the preferred one is absent or empty."""
    values: dict[str, Any] = {}
    source: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    parents: dict[tuple[str, ...], Any] = {}
    for name, paths, convert in _plan(cls):
        for path in paths:
            raw = _at(source, path, parents)
            value = None if raw is _MISSING else convert(raw)
            if value is not None:
                values[name] = value
                break
    return cls(**values)


class Record:
    """Base of the records: ``Record.from_json(body)`` is :func:`parse` for that record class."""

    @classmethod
    def from_json(cls: type[RecordT], body: Mapping[str, Any] | None) -> RecordT:
        return parse(cls, body)


RecordT = TypeVar("RecordT", bound=Record)
