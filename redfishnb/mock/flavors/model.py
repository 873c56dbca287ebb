"""One BMC personality, read from its folder's ``flavor.json``: identity, wire style, capabilities, defaults, hooks.

Why a data file: what tells an iLO 6 from an RMC (or an iLO 7) is mostly facts — names, versions, which OEM
services exist, how errors and ETags look — and facts are easier to check against HPE's pages as data than as
``if`` statements. Handlers ask by capability (``flavor.has("license")``, ``flavor.error_style == "terse"``,
``flavor.text("accounts_description")``), never by flavour name, so a new flavour is a new folder.

Behaviour that is more than a fact goes through the named hooks of :mod:`.hooks` (authentication, account
policy, session shape, privileges, error body), each a ``module:function`` the flavour may override.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from functools import cached_property
from importlib import resources as _ires
from typing import Any

from .hooks import HOOK_DEFAULTS


class Flavor:
    """A flavour folder turned into attributes; equal flavours are the same object (see ``FLAVORS``)."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.spec = spec
        wire = spec["wire"]
        self.product: str = spec["product"]
        self.summary: str = spec.get("summary", name)
        self.base_registry: str = spec["registries"]["base"]  # prefix of Base MessageIds, e.g. "Base.1.12"
        self.oem_registry: str = spec["registries"].get("oem", "")  # "" when the BMC has no OEM registry
        self.manager_id: str = spec["ids"]["manager"]
        self.system_id: str = spec["ids"]["system"]
        self.chassis_id: str = spec["ids"]["chassis"]
        self.error_style: str = wire["error_style"]  # "terse" (MessageId only) | "full" (registry text)
        self.etag_style: str = wire["etag_style"]  # "weak-crc32" W/"8HEX" | "strong-md5" "32hex"
        self.trailing_slash: bool = wire["trailing_slash"]  # links and Location end in "/"
        self.odata_context: bool = wire["odata_context"]  # bodies carry "@odata.context"
        self.server_header: str = wire["server_header"]
        self.extra_headers: dict[str, str] = dict(wire.get("extra_headers", {}))
        self.tls_minimum: str = wire.get("tls_minimum", "TLSv1_2")  # ssl.TLSVersion member name
        sessions = spec["sessions"]
        self.session_type: str = sessions["type"]
        self.session_id_style: str = sessions["id_style"]  # "ilo" | "hex" | "bmcweb" (10/20 alnum)
        self.login_paths: frozenset[str] = frozenset(spec["login_paths"])
        self.services: frozenset[str] = frozenset(spec["services"])
        self.defaults: dict[str, Any] = dict(spec.get("defaults", {}))
        self.extra_accounts: tuple[tuple[str, str, str], ...] = tuple(
            (str(u), str(p), str(r)) for u, p, r in spec.get("extra_accounts", [])
        )
        self.route_modules: tuple[str, ...] = tuple(spec.get("route_modules", ()))
        self._texts: dict[str, str] = dict(spec.get("texts", {}))
        self._hooks: dict[str, str] = {**HOOK_DEFAULTS, **spec.get("hooks", {})}
        self._resolved: dict[str, Callable[..., Any]] = {}

    # --- capabilities ---------------------------------------------------------------------------------------

    def has(self, service: str) -> bool:
        """Whether this BMC serves a service group (``"hpe_oem"``, ``"license"``, ``"app_accounts"`` ...)."""
        return service in self.services

    def allows(self, login_path: str) -> bool:
        """Whether a way of logging in exists here (``"session_post"``, ``"basic"``, ``"ilo_certificate_login"``)."""
        return login_path in self.login_paths

    def text(self, key: str, **values: str) -> str:
        """A name or description that differs between BMCs (``{role}``-style fields filled from ``values``)."""
        return self._texts[key].format(**values) if values else self._texts[key]

    def link(self, path: str) -> str:
        """A member link as this BMC writes it (iLO: with a trailing slash)."""
        return path.rstrip("/") + "/" if self.trailing_slash else path.rstrip("/")

    @property
    def root(self) -> dict[str, Any]:
        """ServiceRoot identity: ``@odata.type``, Name, RedfishVersion, Vendor."""
        return dict(self.spec["root"])

    def block(self, key: str) -> Any:
        """A JSON template from ``flavor.json`` (e.g. ``root_oem``), deep-copied so callers may fill it in."""
        return json.loads(json.dumps(self.spec[key]))

    # --- data files -----------------------------------------------------------------------------------------

    def data(self, kind: str) -> Any:
        """A data file of this flavour by kind (``resources``, ``surface``, ``types``), parsed once."""
        return self._data[kind]

    def has_data(self, kind: str) -> bool:
        return kind in self.spec.get("data", {})

    @cached_property
    def _data(self) -> dict[str, Any]:
        return _LazyData(self.name, self.spec.get("data", {}))

    # --- hooks ----------------------------------------------------------------------------------------------

    def hook(self, name: str) -> Callable[..., Any]:
        """The function behind hook ``name`` (see :data:`.hooks.HOOK_DEFAULTS`), imported at first use."""
        found = self._resolved.get(name)
        if found is None:
            module, _, attr = self._hooks[name].partition(":")
            found = self._resolved[name] = getattr(importlib.import_module(module), attr)
        return found

    def __repr__(self) -> str:
        return f"<Flavor {self.name}: {self.summary}>"


class _LazyData(dict):  # type: ignore[type-arg]
    """Flavour data files, read from the package on first access (the types file is large)."""

    def __init__(self, flavor: str, files: dict[str, str]) -> None:
        super().__init__()
        self._flavor = flavor
        self._files = files

    def __missing__(self, kind: str) -> Any:
        text = read_text(self._flavor, self._files[kind])
        self[kind] = value = json.loads(text)
        return value


def read_text(flavor: str, filename: str) -> str:
    """A file of flavour folder ``flavor`` (package data, so it works from a wheel too)."""
    return _ires.files(__package__).joinpath(flavor).joinpath(filename).read_text(encoding="utf-8")
