"""DMTF's operation-to-privilege map, as bmcweb enforces it, loaded from the ``openbmc`` flavour's
``privilege_registry.json`` (package data, beside its ``flavor.json``).

Why data: the map is DMTF's (the Privilege Registry) and bmcweb compiles it unchanged, apart from a few
hand-coded exceptions (no privilege for the login POST, a ``Password`` override for PATCH of one's own account,
extra checks when the target belongs to someone else). Keeping all of that in one JSON file lets a student read
exactly what a ReadOnly user may do, and lets the tests walk the same table the mock enforces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as _ires
from typing import Any

DATA = ("openbmc", "privilege_registry.json")  # flavour folder, file
NO_AUTH = "NoAuth"
STANDARD_LOGIN = "Login"  # a set holding this DMTF name is a standard privilege set (iLO's is "LoginPriv")

PrivilegeSets = tuple[frozenset[str], ...]  # OR of ANDs


def _sets(raw: Iterable[Iterable[str]]) -> PrivilegeSets:
    return tuple(frozenset(group) for group in raw)


@dataclass(frozen=True)
class PrivilegeRegistry:
    """The operation map: who may do what, per Redfish entity (resource type) and HTTP method."""

    roles: Mapping[str, frozenset[str]]
    defaults: Mapping[str, PrivilegeSets]
    entities: Mapping[str, Mapping[str, PrivilegeSets]]
    overrides: Mapping[str, Mapping[str, Mapping[str, PrivilegeSets]]]
    others: Mapping[str, Mapping[str, PrivilegeSets]]
    self_unchecked: Mapping[str, frozenset[str]]
    aliases: Mapping[str, str]
    self_privilege: str = "ConfigureSelf"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PrivilegeRegistry:
        def table(raw: Mapping[str, Any]) -> dict[str, PrivilegeSets]:
            return {m: _sets(v) for m, v in raw.items() if not m.startswith("_")}

        return cls(
            roles={name: frozenset(privs) for name, privs in data["roles"].items()},
            defaults=table(data["defaults"]),
            entities={e: table(ops) for e, ops in data["entities"].items()},
            overrides={
                e: {m: table(props) for m, props in ops.items()}
                for e, ops in data["property_overrides"].items()
            },
            others={e: table(ops) for e, ops in data["others"].items() if not e.startswith("_")},
            self_unchecked={
                e: frozenset(ms) for e, ms in data["self_unchecked"].items() if not e.startswith("_")
            },
            aliases={k: v for k, v in data.get("aliases", {}).items() if not k.startswith("_")},
            self_privilege=data.get("self_privilege", "ConfigureSelf"),
        )

    def role_privileges(self, role: str) -> frozenset[str]:
        """The privileges of a predefined role (unknown role: none)."""
        return self.roles.get(role, frozenset())

    def holds(self, privilege: str, privileges: Iterable[str]) -> bool:
        """Whether ``privileges`` include ``privilege``, read through :attr:`aliases` (iLO names)."""
        return self.aliases.get(privilege, privilege) in frozenset(privileges)

    def required(self, entity: str, method: str) -> PrivilegeSets:
        """The route-level privilege sets for ``method`` on ``entity`` (the registry's default when not listed)."""
        method = method.upper()
        ops = self.entities.get(entity, {})
        return ops.get(method) or self.defaults.get(method, (frozenset({"ConfigureManager"}),))

    def role_of(self, privileges: Iterable[str]) -> str:
        """The smallest predefined role whose privileges cover ``privileges`` (the largest role otherwise)."""
        held = frozenset(privileges)
        ranked = sorted(self.roles.items(), key=lambda item: len(item[1]))
        return next((name for name, granted in ranked if held <= granted), ranked[-1][0])

    def is_public(self, entity: str, method: str) -> bool:
        """True when the operation needs no authentication at all (``NoAuth``)."""
        return any(group == {NO_AUTH} for group in self.required(entity, method))

    def allowed(
        self,
        entity: str,
        method: str,
        privileges: Iterable[str],
        *,
        own: bool | None = None,
        properties: Iterable[str] = (),
    ) -> bool:
        """May a caller holding ``privileges`` do ``method`` on ``entity``?

        ``own`` says whether the target is the caller's own account or session (None: not an owned resource),
        ``properties`` are the top-level keys of a PATCH body, checked against the property overrides.
        """
        method = method.upper()
        held = frozenset(privileges)
        self_ok = bool(own) or method in self.self_unchecked.get(entity, frozenset())
        for sets in self._sets_for(entity, method, properties):
            if not any(self._satisfied(group, held, self_ok) for group in sets):
                return False
        if own is False and (extra := self.others.get(entity, {}).get(method)):
            return any(self._satisfied(group, held, False) for group in extra)
        return True

    def route_allowed(self, entity: str, method: str, privileges: Iterable[str]) -> bool:
        """The router's check, before the target is known: ConfigureSelf counts as held, and a PATCH passes
        when the caller could write at least one overridden property (bmcweb widens ManagerAccount PATCH to
        ConfigureUsers or ConfigureSelf this way and narrows it again in the handler)."""
        if self.allowed(entity, method, privileges, own=True):
            return True
        overrides = self.overrides.get(entity, {}).get(method.upper(), {})
        return any(self.allowed(entity, method, privileges, own=True, properties=[p]) for p in overrides)

    def _sets_for(self, entity: str, method: str, properties: Iterable[str]) -> list[PrivilegeSets]:
        """One requirement per PATCHed property (its override, or the route's set); the route's set otherwise."""
        props = list(properties)
        overrides = self.overrides.get(entity, {}).get(method, {})
        if not props or not overrides:
            return [self.required(entity, method)]
        return [overrides.get(p, self.required(entity, method)) for p in props]

    def _satisfied(self, group: frozenset[str], held: frozenset[str], self_ok: bool) -> bool:
        for privilege in group:
            if privilege == NO_AUTH:
                continue
            if privilege == self.self_privilege and not self_ok:
                return False
            if privilege not in held:
                return False
        return True


@lru_cache(maxsize=1)
def load() -> PrivilegeRegistry:
    """The openbmc flavour's registry (read once)."""
    folder, name = DATA
    text = _ires.files("redfishnb.mock.flavors").joinpath(folder).joinpath(name).read_text(encoding="utf-8")
    return PrivilegeRegistry.from_json(json.loads(text))
