"""Many BMCs at once: a bounded thread pool of visits, a progress bar, and the public operations.

Finding stale sessions across a data centre is latency-bound: each BMC takes 50-300 ms per request, so a loop
that visits one BMC after another spends its time waiting. Visits run in parallel (``workers`` at a time), each
bounded by its own deadline, and each BMC's failure comes back as a row, so one dead or slow BMC costs its own
timeout and nothing more.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import SelectionError
from .credentials import CredentialsArg, resolve_credentials
from .inventory import AUTH_METHODS, Target, load_inventory
from .report import FleetReport
from .selection import Selection
from .visit import Plan, Visit, visit

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_AUTH",
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "RunOptions",
    "collect_sessions",
    "select_stale",
    "disconnect",
    "clean",
]

DEFAULT_WORKERS = 32
DEFAULT_TIMEOUT = 10.0  # seconds per request
DEFAULT_DEADLINE = 60.0  # seconds per BMC visit: a clean-up's root, login, read, a few DELETEs and logout
# For targets whose inventory names no method. "auto": Basic where the BMC allows it, one request per BMC audited
# instead of four (root, login, read, logout) and no session of the runbook's own taking one of the BMC's few
# slots; a session only where Basic is refused. An inventory's `auth` column (or auth=) can still ask for one.
DEFAULT_AUTH = "auto"


class RunOptions(TypedDict, total=False):
    """How an operation runs, the same keywords for each: ``workers`` (BMCs in parallel), ``timeout`` (seconds
    per request; a target's own ``timeout`` column wins), ``deadline`` (seconds for a BMC's whole visit: a BMC past
    it is a ``DeadlineExceeded`` row), ``auth`` (how targets whose inventory names no method authenticate:
    ``"session"``, ``"basic"`` or ``"auto"``), ``progress`` (the bar: True, False, None = only on a terminal or
    in Jupyter), ``prompt`` and ``environ`` (where credentials come from, see :func:`resolve_credentials`)."""

    workers: int
    timeout: float
    deadline: float
    auth: str
    progress: bool | None
    prompt: bool | None
    environ: Mapping[str, str] | None


_DEFAULTS = RunOptions(
    workers=DEFAULT_WORKERS,
    timeout=DEFAULT_TIMEOUT,
    deadline=DEFAULT_DEADLINE,
    auth=DEFAULT_AUTH,
    progress=None,
    prompt=None,
    environ=None,
)


def _run(
    targets: Sequence[Target],
    credentials: CredentialsArg,
    options: RunOptions,
    *,
    operation: str,
    selection: Selection | None,
    act: bool,
) -> FleetReport:
    unknown = sorted(set(options) - set(_DEFAULTS))
    if unknown:
        raise TypeError(f"{operation}: unexpected keyword argument(s) {', '.join(unknown)}")
    run = RunOptions(**{**_DEFAULTS, **options})
    plan = Plan(
        auth=run["auth"], timeout=run["timeout"], deadline=run["deadline"], selection=selection, act=act
    )
    if plan.auth not in AUTH_METHODS:
        raise SelectionError(f"auth must be one of {', '.join(AUTH_METHODS)}, not {plan.auth!r}.")
    if not plan.deadline > 0:
        raise SelectionError(f"The per-BMC deadline must be above 0 seconds, not {plan.deadline!r}.")
    creds = resolve_credentials(targets, credentials, environ=run["environ"], prompt=run["prompt"])
    started = time.perf_counter()
    visits: dict[str, Visit] = {}
    bar = _progress_bar(len(targets), operation, run["progress"])
    pool = cf.ThreadPoolExecutor(
        max_workers=max(1, min(run["workers"], len(targets))), thread_name_prefix="redfishnb-fleet"
    )
    try:
        futures = [pool.submit(visit, t, creds[t.credentials], plan) for t in targets]
        failed = 0
        for future in cf.as_completed(futures):
            done = future.result()  # visit() never raises: a BMC's failure is in done.error
            visits[done.target.name] = done
            failed += done.error is not None
            if bar is not None:
                bar.set_postfix_str(f"failed={failed}", refresh=False)
                bar.update(1)
    finally:
        # On Ctrl-C the BMCs not started yet are dropped; running visits finish and log out.
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    return FleetReport._from_visits(
        [visits[t.name] for t in targets],
        operation=operation,
        selection=plan.selection,
        elapsed_s=time.perf_counter() - started,
    )


def _progress_bar(total: int, operation: str, progress: bool | None) -> Any:
    """tqdm.auto: a widget in Jupyter, a text bar on a terminal; ``None`` lets tqdm hide it when not a TTY."""
    if progress is False:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total, desc=operation, unit="BMC", disable=None if progress is None else False, leave=True
    )


def collect_sessions(
    inventory: Any, credentials: CredentialsArg = None, **options: Unpack[RunOptions]
) -> FleetReport:
    """Read every BMC's sessions (user, tag, address, login and access times, idle time, privileges).

    ``inventory`` is anything :func:`load_inventory` reads; ``options`` are :class:`RunOptions` (``auth="auto"``,
    the default, is Basic where the BMC allows it: one expanded Sessions GET per BMC at the standard location, no
    session opened; a session where Basic is refused). Nothing is disconnected.
    """
    targets = load_inventory(inventory)
    return _run(targets, credentials, options, operation="audit", selection=None, act=False)


def select_stale(
    report: FleetReport,
    idle: str | float | timedelta | None = None,
    *,
    users: Iterable[str] | str | None = None,
    tags: Iterable[str] | str | None = None,
    older_than: str | float | timedelta | None = None,
) -> FleetReport:
    """The sessions of an audit that match all the given criteria — never the caller's own. No request is sent.

    ``idle`` is measured by AccessTime, ``older_than`` by CreatedTime (iLO: LoginTime); a BMC whose sessions do
    not carry the property is a failure row (:class:`~redfishnb.fleet.UnsupportedSelection`), never "clean"."""
    return report.select(idle, users=users, tags=tags, older_than=older_than)


def disconnect(
    stale: FleetReport,
    credentials: CredentialsArg = None,
    *,
    confirm: bool = False,
    **options: Unpack[RunOptions],
) -> FleetReport:
    """Disconnect the sessions of a :func:`select_stale` result. A dry run unless ``confirm=True``.

    The dry run sends nothing and marks what would go. With ``confirm=True`` each BMC that has selected sessions is
    visited again: the sessions are re-read and a session is deleted only if it is still there and still matches
    the criteria (someone who came back to it since the audit keeps it), and never the caller's own.
    """
    if stale.selection is None:
        raise SelectionError(
            "disconnect() takes the result of select_stale()/report.select(), not a plain audit."
        )
    if not confirm:
        return stale._as_dry_run()
    chosen = stale.frame[stale.frame["selected"].fillna(False).astype(bool)]
    uris = {name: tuple(group["uri"]) for name, group in chosen.groupby("target", sort=False)}
    targets = [t for t in stale.inventory if t.name in uris]
    if not targets:
        return stale._as_dry_run(operation="disconnect")
    selection = replace(stale.selection, uris=uris)
    return _run(targets, credentials, options, operation="disconnect", selection=selection, act=True)


def clean(
    inventory: Any,
    credentials: CredentialsArg = None,
    *,
    idle: str | float | timedelta | None = None,
    users: Iterable[str] | str | None = None,
    tags: Iterable[str] | str | None = None,
    older_than: str | float | timedelta | None = None,
    confirm: bool = False,
    **options: Unpack[RunOptions],
) -> FleetReport:
    """Audit, select and (with ``confirm=True``) disconnect in one visit per BMC — the runbook for cron.

    Per BMC over a session: service root, login, one Sessions GET, one DELETE per stale session, logout. Over
    Basic (``auth="basic"``/``"auto"``): one Sessions GET and one DELETE per stale session.
    Criteria as for :func:`select_stale`; each BMC is judged by what its own sessions carry.
    """
    targets = load_inventory(inventory)
    selection = Selection.build(idle, users, tags, older_than)
    operation = "clean" if confirm else "clean (dry run)"
    return _run(targets, credentials, options, operation=operation, selection=selection, act=confirm)
