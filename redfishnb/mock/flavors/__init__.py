"""The mock's flavours, one folder each: ``<name>/flavor.json`` plus the resource templates it names.

Why folders: a flavour is data (see :mod:`.model`); adding one is adding a folder with a ``flavor.json``
(and, for behaviour, small modules named by its ``"hooks"`` and ``"route_modules"``). :data:`FLAVORS` is
read from the folders at import, in the order of their ``"order"`` field, so the CLI's choices and a mixed
fleet's cycle follow whatever folders exist.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources as _ires

from .model import Flavor, read_text

__all__ = ["FLAVORS", "ILO6", "RMC", "Flavor", "flavor_names", "get_flavor", "parse_flavor_list"]


def _discover() -> dict[str, Flavor]:
    found: list[tuple[int, Flavor]] = []
    for entry in _ires.files(__package__).iterdir():
        if entry.is_dir() and entry.joinpath("flavor.json").is_file():
            spec = json.loads(read_text(entry.name, "flavor.json"))
            found.append((int(spec.get("order", 100)), Flavor(entry.name, spec)))
    return {f.name: f for _, f in sorted(found, key=lambda item: (item[0], item[1].name))}


FLAVORS: dict[str, Flavor] = _discover()
ILO6 = FLAVORS["ilo6"]
RMC = FLAVORS["rmc"]


def flavor_names() -> list[str]:
    """Every flavour's name, in registry order (the CLI's ``--flavor`` choices)."""
    return list(FLAVORS)


def get_flavor(name: str | Flavor) -> Flavor:
    if isinstance(name, Flavor):
        return name
    try:
        return FLAVORS[name.lower()]
    except KeyError:
        raise ValueError(f"flavor must be one of {sorted(FLAVORS)}, not {name!r}") from None


def parse_flavor_list(value: str | Flavor | Sequence[str | Flavor]) -> list[Flavor]:
    """``"ilo6,ilo7"`` or a list of names/flavours -> flavours (each checked); empty parts are an error."""
    if isinstance(value, Flavor):
        return [value]
    parts: list[str | Flavor] = list(value.split(",")) if isinstance(value, str) else list(value)
    names = [p.strip() if isinstance(p, str) else p for p in parts]
    if not names or any(n == "" for n in names):
        raise ValueError(f"flavor list must name at least one of {sorted(FLAVORS)}, not {value!r}")
    return [get_flavor(n) for n in names]
