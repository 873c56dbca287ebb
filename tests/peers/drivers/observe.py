"""What the drivers report about a login, without ever printing a secret."""

from __future__ import annotations

import re


def token_shape(token: str | None) -> dict:
    """A token described by presence, length and alphabet only: the test asserts on these, logs never see it."""
    return {
        "present": bool(token),
        "length": len(token or ""),
        "hex": bool(re.fullmatch(r"[0-9a-f]+", token or "")),
    }


def member_paths(collection: dict) -> list[str]:
    """``@odata.id`` of each member, trailing slash dropped (iLO writes one, the RMC does not)."""
    return [m["@odata.id"].rstrip("/") for m in collection.get("Members", [])]
