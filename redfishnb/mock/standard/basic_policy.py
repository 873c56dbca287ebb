"""``AccountService.HTTPBasicAuth``: whether HTTP Basic is accepted, and whether a 401 advertises it.

DMTF's three states (AccountService v1_15_0): ``Enabled`` accepts Basic and must send ``WWW-Authenticate``
naming Basic on 401; ``Unadvertised`` accepts Basic but must not advertise it (no browser prompt);
``Disabled`` ignores the header, so the request is unauthenticated. bmcweb's default is ``Enabled`` (Meson
option ``basic-auth`` enabled in ``meson.options``) and it sends the challenge only when the request has no
``X-Requested-With`` header (``include/forward_unauthorized.hpp``) — the mock does the same. bmcweb itself
accepts only Enabled/Disabled on PATCH; the mock also offers Unadvertised, as the schema defines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class BasicAuthState(str, Enum):
    ENABLED = "Enabled"
    UNADVERTISED = "Unadvertised"
    DISABLED = "Disabled"


DEFAULT = BasicAuthState.ENABLED
ALLOWABLE: tuple[str, ...] = tuple(s.value for s in BasicAuthState)
CHALLENGE = 'Basic realm="Redfish"'


def parse(value: object) -> BasicAuthState | None:
    """The state named by a PATCH value, or None when it is not one of the allowable values."""
    for state in BasicAuthState:
        if value == state.value:
            return state
    return None


def accepts_basic(state: BasicAuthState) -> bool:
    return state is not BasicAuthState.DISABLED


def challenge_headers(state: BasicAuthState, request_headers: Mapping[str, str]) -> dict[str, str]:
    """Headers for a 401: the Basic challenge only when Enabled and not an XHR (``X-Requested-With``)."""
    if state is BasicAuthState.ENABLED and not _has(request_headers, "x-requested-with"):
        return {"WWW-Authenticate": CHALLENGE}
    return {}


def _has(headers: Mapping[str, str], name: str) -> bool:
    return any(k.lower() == name for k in headers)
