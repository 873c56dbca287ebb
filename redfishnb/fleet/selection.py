"""Which sessions a fleet operation picks, and the words its report uses for what happened to each.

Selection runs locally on rows already read (no request), so an operator can review an audit, narrow it, and
only then act. The caller's own session never matches: disconnecting it would end the run that is cleaning up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import SelectionError

__all__ = ["KEEP", "OWN", "WOULD", "DONE", "GONE", "FAILED", "Selection", "parse_duration"]

# Row actions, as they appear in the report.
KEEP, OWN, WOULD, DONE, GONE, FAILED = (
    "keep",
    "own session",
    "would disconnect",
    "disconnected",
    "already gone",
    "failed",
)

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, None: 1.0}


def parse_duration(value: str | float | timedelta) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"2d"``, ``"45s"``, ``90`` (seconds) or a timedelta -> timedelta."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        parts = _DURATION_PART.findall(text)
        if not text or "".join(n + u for n, u in parts).lower() != text.lower():
            raise SelectionError(
                f"Cannot read the duration {value!r}.", hint='Write it like "90s", "30m", "1h30m" or "2d".'
            )
        seconds = sum(float(n) * _UNIT_SECONDS[u.lower() or None] for n, u in parts)
    if seconds < 0:
        raise SelectionError(f"A duration cannot be negative: {value!r}.")
    return timedelta(seconds=seconds)


def _folded(values: Iterable[str] | str | None) -> frozenset[str] | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)
    return frozenset(str(v).casefold() for v in values)


@dataclass(frozen=True)
class Selection:
    """Which sessions to disconnect: all given criteria must hold, and never the caller's own session.

    ``idle``: idle at least this long (a session whose idle time the BMC does not report never matches);
    ``users``/``tags``: user names / iLO UserTags (case-insensitive); ``uris``: per target, the sessions picked
    by an earlier audit, so acting re-checks exactly what the operator reviewed.
    """

    idle: timedelta | None = None
    users: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    uris: Mapping[str, tuple[str, ...]] | None = None

    @classmethod
    def build(
        cls,
        idle: str | float | timedelta | None = None,
        users: Iterable[str] | str | None = None,
        tags: Iterable[str] | str | None = None,
    ) -> Selection:
        selection = cls(
            idle=None if idle is None else parse_duration(idle), users=_folded(users), tags=_folded(tags)
        )
        if selection.idle is None and not selection.users and not selection.tags:
            raise SelectionError("A selection needs at least one criterion (idle, users or tags).")
        return selection

    def matches(self, target: str, row: Mapping[str, Any]) -> bool:
        from ..tables import same_uri

        if row.get("mine"):
            return False
        if self.uris is not None and not any(same_uri(u, row.get("uri")) for u in self.uris.get(target, ())):
            return False
        if self.idle is not None:
            idle = row.get("idle")
            if idle is None or idle != idle or idle < self.idle:  # None/NaT: unknown idle time never matches
                return False
        if self.users is not None and str(row.get("username") or "").casefold() not in self.users:
            return False
        return self.tags is None or str(row.get("user_tag") or "").casefold() in self.tags

    def describe(self) -> str:
        parts = []
        if self.idle is not None:
            parts.append(f"idle >= {_format_timedelta(self.idle)}")
        if self.users:
            parts.append("user in " + ", ".join(sorted(self.users)))
        if self.tags:
            parts.append("tag in " + ", ".join(sorted(self.tags)))
        return " and ".join(parts) + " (never the caller's own session)"


def _format_timedelta(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"
