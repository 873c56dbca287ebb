"""Vendor (OEM) extensions, one module per vendor: :mod:`redfishnb.oem.ilo` for HPE iLO 5/6.

Standard Redfish stops at sessions and accounts; licenses, certificate login and the BMC's own HTTPS certificate
live under ``Oem.Hpe`` and HPE's own resources, so they are kept apart from the standard client and loaded only
when used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ilo"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'redfishnb.oem' has no attribute {name!r}")
