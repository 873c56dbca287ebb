"""Reading Redfish JSON bodies, where any level may be missing or of another type than the schema says.

BMCs differ in what they fill in (iLO puts most session details under ``Oem.Hpe``, the RMC leaves them out), so
lookups go through these two helpers instead of chained ``[...]`` that would raise on the first gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def dig(body: Any, *keys: str) -> Any:
    """``body[k1][k2]...`` or None when any level is missing or not a mapping."""
    for key in keys:
        if not isinstance(body, Mapping):
            return None
        body = body.get(key)
    return body


def odata_id(link: Any) -> str | None:
    """The ``@odata.id`` of a link object, or None when there is no non-empty one."""
    value = dig(link, "@odata.id")
    return value if isinstance(value, str) and value else None
