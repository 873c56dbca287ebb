"""What a fleet operation found and did, as one DataFrame an operator can filter, save and attach to a ticket.

One row per session plus one per BMC that could not be read keeps "what is stale" and "what failed" in the
same table, so a report never silently drops the BMCs it could not see; a second, per-BMC table carries what
kind of service each BMC is (iLO or standard, as its Sessions answer shows), how it was read, the rule its
sessions were selected by, the status, the requests spent and the time taken. In a mixed fleet those differ from
one BMC to the next. Who made a BMC (vendor, product) is not a column: only the service root says it, and a Basic
audit reads one resource, the Sessions collection (``visits[i].service`` has them where the root was read).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .inventory import Target
from .selection import DONE, FAILED, GONE, WOULD, Selection
from .visit import Visit, one_line, rejudge

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
    "age",
    "age_from",
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
    "service",
    "status",
    "auth",
    "rule",
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


# Under the HTML report's per-BMC table: what a column can and cannot say.
_LEGEND = (
    "service: iLO or standard, judged from what each BMC's Sessions answer carries (iLO's Oem.Hpe). A Basic audit "
    "reads that one resource only, so who made a BMC (the service root's Vendor and Product) is not reported. "
    "rule: the selection as it applied there, and the property each duration was measured by."
)

# What each exported session row repeats of its BMC's row.
_EXPORTED_TARGET_COLUMNS = ["service", "auth", "rule"]


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
    service = v.service
    return {
        "target": v.target.name,
        "url": v.target.url,
        "service": service.kind if service else None,
        "status": "ok" if error is None and FAILED not in actions else "failed",
        "auth": v.auth,
        "rule": v.rule,
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
    could not be read or whose sessions the selection cannot judge (``error_type``/``error`` filled). ``targets``
    has a row per BMC: ``service`` (iLO or standard, judged from what its sessions answer carries; empty for a BMC
    that could not be read), status, authentication used, the selection ``rule`` as it applied there (and the
    property each duration was measured by), counts, HTTP requests spent, elapsed time, and the caller's
    privileges on it (known when the visit used a session: Basic authentication has no session to read them
    from). ``visits`` are the per-BMC results the frames were built from, so a selection can be judged again
    without a request; ``visits[i].service`` also has the vendor and product where the visit read the service root
    (a session visit, a BMC keeping its sessions elsewhere), None where it did not (a Basic audit reads one
    resource only).
    """

    frame: pd.DataFrame
    targets: pd.DataFrame
    operation: str
    selection: Selection | None
    inventory: tuple[Target, ...]
    elapsed_s: float
    visits: tuple[Visit, ...] = field(default=(), repr=False)

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
        for column in ("idle", "age"):
            frame[column] = pd.to_timedelta(frame[column]).dt.round("s")
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
            visits=tuple(visits),
        )

    # -- views -----------------------------------------------------------------------------------------------------

    @property
    def sessions(self) -> pd.DataFrame:
        """Only the session rows (no failure rows)."""
        rows: pd.DataFrame = self.frame[self.frame["uri"].notna()]
        return rows

    @property
    def selected(self) -> pd.DataFrame:
        """The sessions picked by the selection (all of them, whatever their action)."""
        rows: pd.DataFrame = self.frame[self.frame["selected"].fillna(False).astype(bool)]
        return rows

    @property
    def failed(self) -> pd.DataFrame:
        """The BMCs that could not be read or where a disconnect was refused."""
        rows: pd.DataFrame = self.targets[self.targets["status"] != "ok"]
        return rows

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
        older_than: str | float | timedelta | None = None,
    ) -> FleetReport:
        """Mark the sessions matching all criteria as selected (never the caller's own). No request is sent.

        Each BMC is judged by what its sessions carry: a BMC whose sessions lack the property a criterion is
        measured by (AccessTime for ``idle``, CreatedTime/LoginTime for ``older_than``) fails with
        :class:`~redfishnb.fleet.UnsupportedSelection` instead of matching nothing."""
        selection = Selection.build(idle, users, tags, older_than)
        visits = [rejudge(v, selection) for v in self.visits]
        report = self._from_visits(
            visits, operation="selection", selection=selection, elapsed_s=self.elapsed_s
        )
        return replace(report, inventory=self.inventory)

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
            f"<h2>BMCs</h2>{self.targets.to_html(index=False, na_rep='', escape=True)}<p>{_LEGEND}</p>"
            f"<h2>Sessions</h2>{self._export().to_html(index=False, na_rep='', escape=True)}</body></html>"
        )
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def _export(self) -> pd.DataFrame:
        """The session frame for a file: durations in seconds, and each row with what its BMC is, how it was
        read and which rule applied there (a CSV travels without the per-BMC table)."""
        frame = self.frame.copy()
        frame["privileges"] = [", ".join(p) if isinstance(p, list) else p for p in frame["privileges"]]
        for column in ("idle", "age"):
            frame[f"{column}_s"] = frame[column].dt.total_seconds()
        per_bmc = self.targets[["target", *_EXPORTED_TARGET_COLUMNS]]
        exported: pd.DataFrame = frame.drop(columns=["idle", "age"]).merge(per_bmc, on="target", how="left")
        return exported

    def _repr_html_(self) -> str:
        import html

        return f"<p><b>{html.escape(self.summary())}</b></p>" + self.frame.to_html(index=False, na_rep="")

    def __repr__(self) -> str:
        return f"<FleetReport {self.summary()}>"
