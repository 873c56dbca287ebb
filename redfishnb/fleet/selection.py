"""Which sessions a fleet operation picks, and the words its report uses for what happened to each.

Selection runs locally on rows already read (no request), so an operator can review an audit, narrow it, and
only then act. The caller's own session never matches: disconnecting it would end the run that is cleaning up.
A duration is measured by what each BMC's sessions carry — idle time by iLO's AccessTime, age by the standard
CreatedTime (iLO: LoginTime) — and a BMC whose sessions lack the property is refused, never reported clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import SelectionError
from ..records.links import same_uri

__all__ = [
    "KEEP",
    "OWN",
    "WOULD",
    "DONE",
    "GONE",
    "FAILED",
    "Selection",
    "UnsupportedSelection",
    "mark",
    "parse_duration",
]

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


class UnsupportedSelection(SelectionError):
    """A criterion this BMC's sessions cannot answer: they do not carry the property it is measured by.

    A DMTF-standard Session (v1_7) has ``CreatedTime`` but no ``AccessTime``, so how long it has been idle is
    unknown; the Superdome Flex RMC's has neither. Letting such a criterion match nothing would report a BMC full
    of forgotten sessions as clean, so the BMC is a failure row with this error instead, and the rest of the fleet
    runs as asked."""

    default_hint = (
        "Select this BMC's sessions by a property they carry: --older-than / older_than= (CreatedTime, or iLO's "
        "LoginTime), --user / users=, --tag / tags=; or give it its own run with other criteria."
    )


@dataclass(frozen=True)
class Selection:
    """Which sessions to disconnect: all given criteria must hold, and never the caller's own session.

    ``idle``: idle at least this long (by AccessTime, which iLO reports; a BMC whose sessions lack it is refused);
    ``older_than``: opened at least this long ago (by the standard CreatedTime, else iLO's Oem.Hpe.LoginTime);
    ``users``/``tags``: user names / iLO UserTags (case-insensitive); ``uris``: per target, the sessions picked
    by an earlier audit, so acting re-checks exactly what the operator reviewed.
    """

    idle: timedelta | None = None
    users: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    uris: Mapping[str, tuple[str, ...]] | None = None
    older_than: timedelta | None = None

    @classmethod
    def build(
        cls,
        idle: str | float | timedelta | None = None,
        users: Iterable[str] | str | None = None,
        tags: Iterable[str] | str | None = None,
        older_than: str | float | timedelta | None = None,
    ) -> Selection:
        selection = cls(
            idle=None if idle is None else parse_duration(idle),
            users=_folded(users),
            tags=_folded(tags),
            older_than=None if older_than is None else parse_duration(older_than),
        )
        if (
            selection.idle is None
            and selection.older_than is None
            and not selection.users
            and not selection.tags
        ):
            raise SelectionError(
                "A selection needs at least one criterion (idle, older_than, users or tags)."
            )
        return selection

    def matches(self, target: str, row: Mapping[str, Any]) -> bool:
        if row.get("mine"):
            return False
        if self.uris is not None and not any(same_uri(u, row.get("uri")) for u in self.uris.get(target, ())):
            return False
        if not _at_least(row.get("idle"), self.idle) or not _at_least(row.get("age"), self.older_than):
            return False
        if self.users is not None and str(row.get("username") or "").casefold() not in self.users:
            return False
        return self.tags is None or str(row.get("user_tag") or "").casefold() in self.tags

    def describe(self) -> str:
        return self._criteria() + " (never the caller's own session)"

    def _criteria(self, idle_by: str = "", age_by: str = "") -> str:
        parts = []
        if self.idle is not None:
            parts.append(f"idle >= {_format_timedelta(self.idle)}{idle_by}")
        if self.older_than is not None:
            parts.append(f"older than {_format_timedelta(self.older_than)}{age_by}")
        if self.users:
            parts.append("user in " + ", ".join(sorted(self.users)))
        if self.tags:
            parts.append("tag in " + ", ".join(sorted(self.tags)))
        return " and ".join(parts)

    def rule(self, rows: Sequence[Mapping[str, Any]]) -> str:
        """The rule as it applied to one BMC's sessions: which property each duration was measured by."""
        others = [r for r in rows if not r.get("mine")]
        ages = sorted({str(r["age_from"]) for r in others if r.get("age_from")})
        idle_by = " by AccessTime" if others and all(_known(r.get("access_time")) for r in others) else ""
        return self._criteria(idle_by, f" by {'/'.join(ages)}" if ages else "")

    def refusal(self, rows: Sequence[Mapping[str, Any]]) -> UnsupportedSelection | None:
        """Why this selection cannot be applied to one BMC's sessions, or None when it can.

        The advice names a property these sessions do carry: their age where they have one, else user and tag."""
        others = [r for r in rows if not r.get("mine")]
        blind = [r for r in others if not _known(r.get("access_time"))]
        ageless = [r for r in others if not _known(r.get("age"))]
        by_user = "select them by --user or --tag (users=, tags=) instead."
        if self.idle is not None and blind:
            ages = sorted({str(r["age_from"]) for r in blind if r.get("age_from")})
            instead = (
                f"use --older-than DURATION (older_than=) to select them by {' or '.join(ages)} instead."
                if ages and not ageless
                else f"they carry no CreatedTime or Oem.Hpe.LoginTime either, so {by_user}"
            )
            return UnsupportedSelection(
                f"{_how_many(blind, others)} carry no AccessTime, so how long they have been idle is unknown "
                f"and --stale (idle=) cannot select them; {instead}"
            )
        if self.older_than is not None and ageless:
            return UnsupportedSelection(
                f"{_how_many(ageless, others)} carry neither CreatedTime nor Oem.Hpe.LoginTime, so their age "
                f"is unknown and --older-than (older_than=) cannot select them; {by_user}"
            )
        return None


def mark(
    rows: list[dict[str, Any]], target: str, selection: Selection | None
) -> tuple[str | None, UnsupportedSelection | None]:
    """Set each row's ``selected`` and ``action``; returns the rule applied on this BMC and its refusal, if any.

    A refused BMC selects nothing, and the refusal is what the report shows for it."""
    refusal = selection.refusal(rows) if selection is not None else None
    for row in rows:
        row["selected"] = selection is not None and refusal is None and selection.matches(target, row)
        row["action"] = OWN if row.get("mine") else (WOULD if row["selected"] else KEEP)
    if selection is None:
        return None, None
    return ("refused: " if refusal is not None else "") + selection.rule(rows), refusal


def _known(value: Any) -> bool:
    """Neither None nor NaT/NaN (a value that is not equal to itself)."""
    return value is not None and value == value


def _at_least(value: Any, threshold: timedelta | None) -> bool:
    """No threshold, or a known value at least that long (unknown never matches)."""
    return threshold is None or (_known(value) and value >= threshold)


def _how_many(some: Sequence[Any], of: Sequence[Any]) -> str:
    return "This BMC's sessions" if len(some) == len(of) else f"{len(some)} of this BMC's {len(of)} sessions"


def _format_timedelta(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"
