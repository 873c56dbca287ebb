"""redfishnb: Redfish authentication and sessions for notebooks, with an embedded mock BMC.

The public API is re-exported here. Heavy parts (pandas, ipywidgets, the mock server) load on first use, so
``import redfishnb`` stays cheap in scripts and runbooks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import *  # noqa: F403  (the error hierarchy is part of the public API)
from .errors import __all__ as _error_names

__version__ = "0.1.0"

# name -> module that defines it; resolved lazily by __getattr__.
_LAZY: dict[str, str] = {
    "connect": "redfishnb.client",
    "RedfishClient": "redfishnb.client",
    "Response": "redfishnb.client",
    "Exchange": "redfishnb.exchanges",
    "Exchanges": "redfishnb.exchanges",
    "MockBMC": "redfishnb.mock",
    "sessions_frame": "redfishnb.tables",
    "privileges_frame": "redfishnb.tables",
    "accounts_frame": "redfishnb.tables",
    "LoginPanel": "redfishnb.widgets",
    "SessionTable": "redfishnb.widgets",
    "PrivilegeMatrix": "redfishnb.widgets",
    "ExchangeLog": "redfishnb.widgets",
    "ResourceBrowser": "redfishnb.widgets",
    "session_timeline": "redfishnb.widgets",
    "which_redfish_library": "redfishnb.libraries",
    "peek_fingerprint": "redfishnb.transport",
    "TotpSecret": "redfishnb.auth",
}
_SUBMODULES = {"accounts", "certs", "fleet", "oem", "mock", "tables", "widgets", "registry", "errors", "lab"}

__all__ = sorted([*_LAZY, *_error_names, "accounts", "certs", "fleet", "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"redfishnb.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'redfishnb' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover
    from . import accounts, certs, fleet  # noqa: F401
    from .auth import TotpSecret  # noqa: F401
    from .client import RedfishClient, Response, connect  # noqa: F401
    from .exchanges import Exchange, Exchanges  # noqa: F401
    from .libraries import which_redfish_library  # noqa: F401
    from .mock import MockBMC  # noqa: F401
    from .tables import accounts_frame, privileges_frame, sessions_frame  # noqa: F401
    from .transport import peek_fingerprint  # noqa: F401
    from .widgets import (  # noqa: F401
        ExchangeLog,
        LoginPanel,
        PrivilegeMatrix,
        ResourceBrowser,
        SessionTable,
        session_timeline,
    )
