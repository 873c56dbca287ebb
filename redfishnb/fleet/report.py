"""What a fleet operation found and did, as one DataFrame an operator can filter, save and attach to a ticket.

One row per session plus one per BMC that could not be read keeps "what is stale" and "what failed" in the
same table, so a report never silently drops the BMCs it could not see; a second, per-BMC table carries the
status, the requests spent and the time taken.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .inventory import Target
from .selection import DONE, FAILED, GONE, KEEP, OWN, WOULD, Selection
from .visit import Visit, one_line

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SESSION_COLUMNS", "TARGET_COLUMNS", "FleetReport"]

SESSION_COLUMNS = [
    "target",
    "url",
    "username",
    "user_tag",
    "user_ip",
    "login_time",
    "access_time",
    "idle",
    "privileges",
    "mine",
    "selected",
    "action",
    "error",
    "uri",
]
TARGET_COLUMNS = [
    "target",
    "url",
    "status",
    "auth",
    "sessions",
    "selected",
    "disconnected",
    "failed_disconnects",
    "privileges",
    "requests",
    "elapsed_ms",
    "error_type",
    "error",
    "hint",
]


def _failure_row(v: Visit) -> dict[str, Any]:
    error = v.error
    assert error is not None
    return {
        "target": v.target.name,
        "url": v.target.url,
        "action": FAILED,
        "error": one_line(error),
        "error_type": type(error).__name__,
    }


def _target_row(v: Visit) -> dict[str, Any]:
    error = v.error
    actions = [r.get("action") for r in v.rows]
    return {
        "target": v.target.name,
        "url": v.target.url,
        "status": "ok" if error is None and FAILED not in actions else "failed",
        "auth": v.auth,
        "sessions": len(v.rows),
        "selected": sum(bool(r.get("selected")) for r in v.rows),
        "disconnected": actions.count(DONE) + actions.count(GONE),
        "failed_disconnects": actions.count(FAILED),
        "privileges": v.privileges,
        "requests": v.requests,
        "elapsed_ms": round(v.elapsed_ms, 1),
        "error_type": type(error).__name__ if error is not None else None,
        "error": one_line(error) if error is not None else None,
        "hint": getattr(error, "hint", None) or None,
    }


@dataclass
class FleetReport:
    """What a fleet operation found and did.

    ``frame`` is the one DataFrame: a row per session (``action`` says what happened to it) plus a row per BMC that
    could not be read (``error_type``/``error``/``hint`` filled, session columns empty). ``targets`` has a row per
    BMC: status, authentication used, counts, HTTP requests spent, elapsed time, and the caller's privileges on
    it (known when the visit used a session: Basic authentication has no session to read them from).
    """

    frame: pd.DataFrame
    targets: pd.DataFrame
    operation: str
    selection: Selection | None
    inventory: tuple[Target, ...]
    elapsed_s: float

    @classmethod
    def _from_visits(
        cls, visits: Sequence[Visit], *, operation: str, selection: Selection | None, elapsed_s: float
    ) -> FleetReport:
        import pandas as pd

        session_rows: list[dict[str, Any]] = []
        for v in visits:
            where = {"target": v.target.name, "url": v.target.url}
            session_rows.extend({**where, **row} for row in v.rows)
            if v.error is not None:
                session_rows.append(_failure_row(v))
        frame = pd.DataFrame(session_rows, columns=[*SESSION_COLUMNS, "error_type"])
        for column in ("login_time", "access_time"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        frame["idle"] = pd.to_timedelta(frame["idle"]).dt.round("s")
        frame["mine"] = frame["mine"].astype("boolean")
        frame["selected"] = frame["selected"].astype("boolean")
        targets = pd.DataFrame([_target_row(v) for v in visits], columns=TARGET_COLUMNS)
        return cls(
            frame=frame,
            targets=targets,
            operation=operation,
            selection=selection,
            inventory=tuple(v.target for v in visits),
            elapsed_s=elapsed_s,
        )

    # -- views -----------------------------------------------------------------------------------------------------

    @property
    def sessions(self) -> pd.DataFrame:
        """Only the session rows (no failure rows)."""
        return self.frame[self.frame["uri"].notna()]

    @property
    def selected(self) -> pd.DataFrame:
        """The sessions picked by the selection (all of them, whatever their action)."""
        return self.frame[self.frame["selected"].fillna(False).astype(bool)]

    @property
    def failed(self) -> pd.DataFrame:
        """The BMCs that could not be read or where a disconnect was refused."""
        return self.targets[self.targets["status"] != "ok"]

    @property
    def outcome(self) -> str:
        """``failed`` (some BMC failed), ``cleaned`` (sessions disconnected), ``stale`` (found, not acted on),
        or ``clean`` (nothing matched). The CLI turns this into its exit code."""
        if len(self.failed):
            return "failed"
        actions = set(self.frame["action"].dropna())
        if actions & {DONE, GONE}:
            return "cleaned"
        if WOULD in actions:
            return "stale"
        return "clean"

    def summary(self) -> str:
        """One line for a log or a status bar."""
        counts = self.frame["action"].value_counts()
        line = (
            f"{self.operation}: {len(self.targets)} BMCs ({len(self.failed)} failed), "
            f"{len(self.sessions)} sessions, {int(self.frame['selected'].fillna(False).sum())} selected"
        )
        if counts.get(WOULD):
            line += f", {counts[WOULD]} would be disconnected"
        if counts.get(DONE) or counts.get(GONE):
            line += f", {counts.get(DONE, 0) + counts.get(GONE, 0)} disconnected"
        return f"{line} in {self.elapsed_s:.2f} s"

    # -- operations on a report --------------------------------------------------------------------------------------

    def select(
        self,
        idle: str | float | timedelta | None = None,
        *,
        users: Iterable[str] | str | None = None,
        tags: Iterable[str] | str | None = None,
    ) -> FleetReport:
        """Mark the sessions matching all criteria as selected (never the caller's own). No request is sent."""
        import pandas as pd

        selection = Selection.build(idle, users, tags)
        frame = self.frame.copy()
        selected: list[Any] = []
        actions: list[Any] = []
        for record in frame.to_dict("records"):
            if pd.isna(record["uri"]):  # a BMC that failed: nothing to select
                selected.append(pd.NA)
                actions.append(record["action"])
                continue
            plain = {k: (None if _missing(v) else v) for k, v in record.items()}
            match = selection.matches(record["target"], plain)
            selected.append(match)
            actions.append(OWN if plain["mine"] else (WOULD if match else KEEP))
        frame["selected"] = pd.array(selected, dtype="boolean")
        frame["action"] = actions
        targets = self.targets.copy()
        counts = frame[frame["selected"].fillna(False).astype(bool)].groupby("target").size()
        targets["selected"] = [int(counts.get(name, 0)) for name in targets["target"]]
        return replace(self, frame=frame, targets=targets, operation="selection", selection=selection)

    def _as_dry_run(self, operation: str = "disconnect (dry run)") -> FleetReport:
        return replace(self, operation=operation)

    # -- output ----------------------------------------------------------------------------------------------------

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """The session frame as CSV (a file when ``path`` is given, else the text)."""
        return self._export().to_csv(path, index=False)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """A standalone HTML page: summary line, the per-BMC table and the session table."""
        import html

        criteria = f"<p>Selection: {html.escape(self.selection.describe())}</p>" if self.selection else ""
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>redfishnb fleet report</title>"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{padding:2px 8px;"
            "border-bottom:1px solid #ddd;text-align:left}</style></head><body>"
            f"<h1>Fleet {html.escape(self.operation)}</h1><p>{html.escape(self.summary())}</p>{criteria}"
            f"<h2>BMCs</h2>{self.targets.to_html(index=False, na_rep='', escape=True)}"
            f"<h2>Sessions</h2>{self._export().to_html(index=False, na_rep='', escape=True)}</body></html>"
        )
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def _export(self) -> pd.DataFrame:
        frame = self.frame.copy()
        frame["privileges"] = [", ".join(p) if isinstance(p, list) else p for p in frame["privileges"]]
        frame["idle_s"] = frame["idle"].dt.total_seconds()
        return frame.drop(columns=["idle"])

    def _repr_html_(self) -> str:
        import html

        return f"<p><b>{html.escape(self.summary())}</b></p>" + self.frame.to_html(index=False, na_rep="")

    def __repr__(self) -> str:
        return f"<FleetReport {self.summary()}>"


def _missing(value: Any) -> bool:
    """None, NaN, NaT and pandas NA (lists of privileges are never missing)."""
    if isinstance(value, list | tuple | dict):
        return False
    import pandas as pd

    return bool(pd.isna(value))
