"""Audit and clear stale sessions across many BMCs at once.

BMCs accept only a few sessions; one that a script forgot to close blocks every user until its idle timeout ends.
Finding those sessions across a data centre is a latency-bound chore: each BMC takes 50-300 ms per request, so a
loop that logs in, GETs the collection, GETs every member and logs out, one BMC after another, spends its time
waiting. This module visits BMCs in parallel (a bounded thread pool), costs four requests per BMC (service root,
login, one ``$expand``-ed Sessions GET, logout), and turns each BMC's failure — refused connection, timeout, wrong
credentials — into a row of the result instead of an exception that stops the run. A BMC already at its session
limit (the lock-out this runbook exists for) refuses a session login; the visit then uses Basic authentication,
which DSP0266 says needs no session (iLO opens a transient one for the length of each request).

Operations::

    inventory = fleet.load_inventory("bmcs.csv")            # CSV, YAML, DataFrame or list of dicts
    audit = fleet.collect_sessions(inventory)               # who is logged in where, with privileges
    stale = audit.select(idle="30m", tags=["REST"])          # never includes the caller's own session
    fleet.disconnect(stale)                                  # dry run: what would be disconnected
    done = fleet.disconnect(stale, confirm=True)             # re-checks each session, then DELETEs it
    done.to_html("stale-sessions.html"); done.to_csv("stale-sessions.csv")

``fleet.clean(inventory, idle="30m", confirm=True)`` does the same in one pass per BMC (for cron). Credentials
never live in the inventory: they come from ``REDFISHNB_USERNAME``/``REDFISHNB_PASSWORD`` (or
``REDFISHNB_<SET>_USERNAME``/``_PASSWORD`` for a target whose ``credentials`` column names a set), from a
``Credentials`` object, or from a prompt on a terminal.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import getpass
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import InventoryError, RedfishError, SelectionError, SessionLimitReached

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .client import RedfishClient

__all__ = [
    "Target",
    "Credentials",
    "Selection",
    "FleetReport",
    "load_inventory",
    "resolve_credentials",
    "env_names",
    "parse_duration",
    "collect_sessions",
    "select_stale",
    "disconnect",
    "clean",
]

DEFAULT_WORKERS = 32
DEFAULT_TIMEOUT = 10.0
ENV_PREFIX = "REDFISHNB"

# Inventory columns. Anything that looks like a secret is refused outright: an inventory gets copied, mailed and
# committed; a password in it is a password leaked.
_COLUMNS = ("name", "url", "verify", "credentials", "auth", "timeout")
_SECRET_COLUMNS = re.compile(r"pass(word|wd)?|secret|token|x-auth-token|api[-_]?key", re.IGNORECASE)
# A user name alone is no secret, but credentials come as a pair from one place (a credential set), so a
# user-name column is refused too rather than silently ignored.
_USER_COLUMNS = re.compile(r"user(_?name)?|login", re.IGNORECASE)

# Row actions, as they appear in the report.
KEEP, OWN, WOULD, DONE, GONE, FAILED = (
    "keep",
    "own session",
    "would disconnect",
    "disconnected",
    "already gone",
    "failed",
)


# ---------------------------------------------------------------------------------------------------------------
# Inventory


@dataclass(frozen=True)
class Target:
    """One BMC of the inventory. ``credentials`` names a credential set ("" = the default set)."""

    name: str
    url: str
    verify: bool | str = True
    credentials: str = ""
    auth: str = "session"
    timeout: float | None = None


def load_inventory(source: Any, *, base_dir: str | os.PathLike[str] | None = None) -> list[Target]:
    """Read BMC targets from a CSV or YAML file, a pandas DataFrame, or an iterable of mappings/Targets.

    Columns: ``url`` (required; a bare host means ``https://host``), ``name`` (defaults to the host),
    ``verify`` (true/false, a CA file relative to the inventory, or ``sha256:<hex>``), ``credentials`` (a
    credential-set name), ``auth`` (session|basic), ``timeout`` (seconds). YAML may be a list of targets or a
    mapping ``{defaults: {...}, targets: [...]}``. Other columns (rack, site, ...) are ignored; columns that look
    like passwords or tokens are refused with an :class:`InventoryError`.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InventoryError(f"Inventory file {str(path)!r} does not exist.")
        records = _read_inventory_file(path)
        base_dir = base_dir if base_dir is not None else path.parent
    elif _is_dataframe(source):
        records = source.to_dict(orient="records")
    else:
        records = list(source)
    targets = [_target_from_record(r, base_dir) for r in records]
    if not targets:
        raise InventoryError("The inventory lists no BMC.")
    names = [t.name for t in targets]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InventoryError(f"Target names must be unique; repeated: {', '.join(dupes)}.")
    return targets


def _read_inventory_file(path: Path) -> list[Any]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, Mapping):
                defaults = data.get("defaults") or {}
                return [
                    {**defaults, **(t if isinstance(t, Mapping) else {"url": t})}
                    for t in data.get("targets") or []
                ]
            if isinstance(data, list):
                return [t if isinstance(t, Mapping) else {"url": t} for t in data]
            raise InventoryError(f"{path.name}: expected a list of targets or a mapping with 'targets'.")
        if suffix in (".csv", ".tsv", ".txt"):
            with path.open(newline="", encoding="utf-8") as fh:
                sample = fh.read(4096)
                fh.seek(0)
                try:
                    dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
                except csv.Error:  # a one-column inventory has no delimiter to find
                    dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
                rows = csv.DictReader(fh, dialect=dialect)
                return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in rows]
    except InventoryError:
        raise
    except Exception as exc:  # yaml.YAMLError, csv.Error, UnicodeDecodeError: say which file and why
        raise InventoryError(f"Cannot read inventory {path.name}: {type(exc).__name__}: {exc}") from None
    raise InventoryError(f"{path.name}: unknown inventory format (use .csv, .tsv, .yaml or .yml).")


def _target_from_record(record: Any, base_dir: str | os.PathLike[str] | None) -> Target:
    if isinstance(record, Target):
        return record
    if not isinstance(record, Mapping):
        raise InventoryError(f"An inventory entry must be a mapping, not {type(record).__name__}.")
    secrets = [str(k) for k in record if _SECRET_COLUMNS.fullmatch(str(k).strip())]
    if secrets:
        raise InventoryError(
            f"The inventory has a {secrets[0]!r} column: secrets do not belong in an inventory.",
            hint="Remove the column; set REDFISHNB_PASSWORD (or REDFISHNB_<SET>_PASSWORD) or let the runbook prompt.",
        )
    users = [str(k) for k in record if _USER_COLUMNS.fullmatch(str(k).strip())]
    if users:
        raise InventoryError(
            f"The inventory has a {users[0]!r} column: credentials are not read from an inventory.",
            hint="Put a credential-set name in a 'credentials' column and set REDFISHNB_<SET>_USERNAME and "
            "REDFISHNB_<SET>_PASSWORD (or REDFISHNB_USERNAME/REDFISHNB_PASSWORD for all).",
        )
    values = {k: _clean(record.get(k)) for k in _COLUMNS}
    url = values["url"] or _clean(record.get("host"))
    if not url:
        raise InventoryError(f"Inventory entry without a url: {_describe(record)}.")
    url = str(url)
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InventoryError(f"Unusable BMC url {url!r}: expected https://host[:port].")
    if parts.username or parts.password:
        raise InventoryError(
            f"The url of {parts.hostname} carries credentials: secrets do not belong in an inventory.",
            hint="Remove user:password@ from the url; use REDFISHNB_USERNAME/REDFISHNB_PASSWORD or a prompt.",
        )
    auth = str(values["auth"] or "session").lower()
    if auth not in ("session", "basic"):
        raise InventoryError(f"{url}: auth must be 'session' or 'basic', not {auth!r}.")
    timeout = values["timeout"]
    try:
        timeout = float(timeout) if timeout is not None else None
    except (TypeError, ValueError):
        raise InventoryError(f"{url}: timeout must be a number of seconds, not {timeout!r}.") from None
    return Target(
        name=str(values["name"] or parts.netloc),
        url=url.rstrip("/"),
        verify=_parse_verify(values["verify"], base_dir),
        credentials=str(values["credentials"] or ""),
        auth=auth,
        timeout=timeout,
    )


def _clean(value: Any) -> Any:
    """Empty cells (None, "", NaN from pandas) become None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _parse_verify(value: Any, base_dir: str | os.PathLike[str] | None) -> bool | str:
    if value is None or isinstance(value, bool):
        return True if value is None else value
    text = str(value).strip()
    if text.lower() in ("true", "yes", "1", "on"):
        return True
    if text.lower() in ("false", "no", "0", "off"):
        return False
    if text.lower().startswith("sha256:"):
        return text
    path = Path(text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return str(path)


def _describe(record: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in record.items() if not _SECRET_COLUMNS.fullmatch(str(k)))


def _is_dataframe(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "to_dict")


# ---------------------------------------------------------------------------------------------------------------
# Credentials


@dataclass(frozen=True)
class Credentials:
    """A user name and password, kept in memory only; the repr never shows the password."""

    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=<hidden>)"


def env_names(credential_set: str = "") -> tuple[str, str]:
    """The environment variables read for a credential set: ``REDFISHNB_[SET_]USERNAME`` / ``..._PASSWORD``."""
    infix = re.sub(r"[^0-9A-Za-z]+", "_", credential_set).strip("_").upper()
    stem = f"{ENV_PREFIX}_{infix}_" if infix else f"{ENV_PREFIX}_"
    return f"{stem}USERNAME", f"{stem}PASSWORD"


CredentialsArg = Credentials | tuple[str, str] | Mapping[str, Credentials | tuple[str, str]] | None


def resolve_credentials(
    targets: Iterable[Target],
    credentials: CredentialsArg = None,
    *,
    environ: Mapping[str, str] | None = None,
    prompt: bool | None = None,
) -> dict[str, Credentials | InventoryError]:
    """Find credentials for every credential set the targets use, before any BMC is contacted.

    Order: the ``credentials`` argument (one pair for every set, or a mapping set -> pair), then the environment,
    then a prompt (``getpass``) when ``prompt`` is true — by default only on a terminal. A set that stays without
    credentials maps to an :class:`InventoryError`; its targets fail with that error, the others still run.
    """
    environ = os.environ if environ is None else environ
    prompt = sys.stdin.isatty() if prompt is None else prompt
    resolved: dict[str, Credentials | InventoryError] = {}
    for name in sorted({t.credentials for t in targets}):
        given = credentials.get(name) if isinstance(credentials, Mapping) else credentials
        if given is not None:
            resolved[name] = given if isinstance(given, Credentials) else Credentials(*given)
            continue
        user_var, password_var = env_names(name)
        user, password = environ.get(user_var), environ.get(password_var)
        if user and password is not None:
            resolved[name] = Credentials(user, password)
        elif prompt:
            label = f" for credential set {name!r}" if name else ""
            user = user or input(f"BMC user name{label}: ").strip()
            resolved[name] = Credentials(user, getpass.getpass(f"Password for {user}{label}: "))
        else:
            resolved[name] = InventoryError(
                f"No credentials{f' for set {name!r}' if name else ''}: {user_var} and {password_var} are not set.",
                hint=f"export {user_var}=... {password_var}=..., pass credentials=, or run on a terminal to be asked.",
            )
    return resolved


# ---------------------------------------------------------------------------------------------------------------
# Selection of stale sessions

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, None: 1.0}


def parse_duration(value: str | float | timedelta) -> timedelta:
    """``"30m"``, ``"1h30m"``, ``"2d"``, ``"45s"``, ``90`` (seconds) or a timedelta -> timedelta."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
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
        def folded(values: Iterable[str] | str | None) -> frozenset[str] | None:
            if values is None:
                return None
            values = [values] if isinstance(values, str) else list(values)
            return frozenset(str(v).casefold() for v in values)

        selection = cls(
            idle=None if idle is None else parse_duration(idle), users=folded(users), tags=folded(tags)
        )
        if selection.idle is None and not selection.users and not selection.tags:
            raise SelectionError("A selection needs at least one criterion (idle, users or tags).")
        return selection

    def matches(self, target: str, row: Mapping[str, Any]) -> bool:
        from .tables import same_uri

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


# ---------------------------------------------------------------------------------------------------------------
# One BMC


@dataclass
class _Visit:
    """What one worker learnt about one BMC."""

    target: Target
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: RedfishError | Exception | None = None
    requests: int | None = None
    elapsed_ms: float = 0.0
    privileges: list[str] | None = None
    auth: str | None = None


def _visit(
    target: Target,
    creds: Credentials | InventoryError,
    *,
    timeout: float,
    selection: Selection | None,
    act: bool,
) -> _Visit:
    """Log in, read the sessions in one expanded GET, delete the selected ones when acting, log out."""
    from .tables import read_collection, service_root, session_row

    visit = _Visit(target)
    started = time.perf_counter()
    client: RedfishClient | None = None
    try:
        if isinstance(creds, InventoryError):
            raise creds
        client = _login(target, creds, timeout, visit)
        with client:
            # client.login_uri is the root's Links.Sessions: the collection the login POST went to
            sessions = read_collection(client, client.login_uri, root=service_root(client))
            now = sessions.date or datetime.now(timezone.utc)  # the BMC's clock when it sends Date
            for body in sessions.members:
                row = session_row(body, my_uri=client.session_uri)
                row["mine"] = bool(row["mine"])  # unknown ownership (None) is treated as someone else's
                access = row.get("access_time")
                row["idle"] = max(now - access, timedelta(0)) if access is not None else None
                if row["mine"]:
                    visit.privileges = row.get("privileges")
                selected = selection is not None and selection.matches(target.name, row)
                row["selected"] = selected
                row["action"] = OWN if row.get("mine") else (WOULD if selected else KEEP)
                row["error"] = None
                visit.rows.append(row)
            if act:
                for row in visit.rows:
                    if row["selected"]:
                        _disconnect_one(client, row)
    except Exception as exc:  # one BMC's failure is a row of the report, never the end of the run
        visit.error = exc
    finally:
        if client is not None:
            visit.requests = len(client.exchanges)
        visit.elapsed_ms = (time.perf_counter() - started) * 1000.0
    return visit


def _login(target: Target, creds: Credentials, timeout: float, visit: _Visit) -> RedfishClient:
    """Log in as the target asks; on a BMC whose sessions are all taken, fall back to Basic authentication.

    A BMC at its session limit refuses the login POST (SessionLimitReached) — precisely the BMC that most needs
    its stale sessions cleared. Basic authentication keeps no session of its own, so the audit can still get in.
    """
    from .client import connect

    def attempt(auth: str) -> RedfishClient:
        return connect(
            target.url,
            creds.username,
            creds.password,
            auth=auth,
            verify=target.verify,
            timeout=target.timeout or timeout,
        )

    visit.auth = target.auth
    try:
        return attempt(target.auth)
    except SessionLimitReached:
        if target.auth != "session":
            raise
    visit.auth = "basic (session limit reached)"
    return attempt("basic")


def _disconnect_one(client: RedfishClient, row: dict[str, Any]) -> None:
    """DELETE one session; a 404 means it ended by itself meanwhile, which is what we wanted."""
    from .tables import same_uri

    if row.get("mine") or same_uri(row.get("uri"), client.session_uri):
        row["action"] = OWN  # belt and braces: Selection.matches already refuses the caller's session
        return
    try:
        response = client.delete(row["uri"], check=False)
    except RedfishError as exc:
        row["action"], row["error"] = FAILED, _one_line(exc)
        return
    if 200 <= response.status < 300:
        row["action"] = DONE
    elif response.status == 404:
        row["action"] = GONE
    else:
        from .errors import error_from_response

        exc = error_from_response(response.status, response.json, method="DELETE", url=row["uri"])
        row["action"], row["error"] = FAILED, f"{type(exc).__name__}: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(message).strip().splitlines()[0]


# ---------------------------------------------------------------------------------------------------------------
# Many BMCs


def _run(
    targets: Sequence[Target],
    credentials: CredentialsArg,
    *,
    selection: Selection | None,
    act: bool,
    operation: str,
    workers: int,
    timeout: float,
    progress: bool | None,
    prompt: bool | None,
    environ: Mapping[str, str] | None,
) -> FleetReport:
    creds = resolve_credentials(targets, credentials, environ=environ, prompt=prompt)
    started = time.perf_counter()
    visits: dict[str, _Visit] = {}
    bar = _progress_bar(len(targets), operation, progress)
    pool = cf.ThreadPoolExecutor(
        max_workers=max(1, min(workers, len(targets))), thread_name_prefix="redfishnb-fleet"
    )
    try:
        futures = [
            pool.submit(_visit, t, creds[t.credentials], timeout=timeout, selection=selection, act=act)
            for t in targets
        ]
        failed = 0
        for future in cf.as_completed(futures):
            visit = future.result()  # _visit never raises: a BMC's failure is in visit.error
            visits[visit.target.name] = visit
            failed += visit.error is not None
            if bar is not None:
                bar.set_postfix_str(f"failed={failed}", refresh=False)
                bar.update(1)
    finally:
        # On Ctrl-C the BMCs not started yet are dropped; running visits finish and log out (`with client:`).
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    ordered = [visits[t.name] for t in targets]
    return FleetReport._from_visits(
        ordered, operation=operation, selection=selection, elapsed_s=time.perf_counter() - started
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
    inventory: Any,
    credentials: CredentialsArg = None,
    *,
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    prompt: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> FleetReport:
    """Read every BMC's sessions (user, tag, address, login and access times, idle time, privileges).

    ``inventory`` is anything :func:`load_inventory` reads. ``workers`` bounds the parallel BMCs; ``timeout`` is per
    request (a target's own ``timeout`` column wins). Nothing is disconnected.
    """
    return _run(
        load_inventory(inventory),
        credentials,
        selection=None,
        act=False,
        operation="audit",
        workers=workers,
        timeout=timeout,
        progress=progress,
        prompt=prompt,
        environ=environ,
    )


def select_stale(
    report: FleetReport,
    idle: str | float | timedelta | None = None,
    *,
    users: Iterable[str] | str | None = None,
    tags: Iterable[str] | str | None = None,
) -> FleetReport:
    """The sessions of an audit that match all the given criteria — never the caller's own. No request is sent."""
    return report.select(idle, users=users, tags=tags)


def disconnect(
    stale: FleetReport,
    credentials: CredentialsArg = None,
    *,
    confirm: bool = False,
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    prompt: bool | None = None,
    environ: Mapping[str, str] | None = None,
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
    return _run(
        targets,
        credentials,
        selection=replace(stale.selection, uris=uris),
        act=True,
        operation="disconnect",
        workers=workers,
        timeout=timeout,
        progress=progress,
        prompt=prompt,
        environ=environ,
    )


def clean(
    inventory: Any,
    credentials: CredentialsArg = None,
    *,
    idle: str | float | timedelta | None = None,
    users: Iterable[str] | str | None = None,
    tags: Iterable[str] | str | None = None,
    confirm: bool = False,
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    prompt: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> FleetReport:
    """Audit, select and (with ``confirm=True``) disconnect in one visit per BMC — the runbook for cron.

    Per BMC: service root, login, one Sessions GET, one DELETE per stale session, logout.
    """
    return _run(
        load_inventory(inventory),
        credentials,
        selection=Selection.build(idle, users, tags),
        act=confirm,
        operation="clean" if confirm else "clean (dry run)",
        workers=workers,
        timeout=timeout,
        progress=progress,
        prompt=prompt,
        environ=environ,
    )


# ---------------------------------------------------------------------------------------------------------------
# Report

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


@dataclass
class FleetReport:
    """What a fleet operation found and did.

    ``frame`` is the one DataFrame: a row per session (``action`` says what happened to it) plus a row per BMC that
    could not be read (``error_type``/``error``/``hint`` filled, session columns empty). ``targets`` has a row per
    BMC: status, counts, HTTP requests spent, elapsed time, and the caller's privileges on it.
    """

    frame: pd.DataFrame
    targets: pd.DataFrame
    operation: str
    selection: Selection | None
    inventory: tuple[Target, ...]
    elapsed_s: float

    @classmethod
    def _from_visits(
        cls, visits: Sequence[_Visit], *, operation: str, selection: Selection | None, elapsed_s: float
    ) -> FleetReport:
        import pandas as pd

        session_rows: list[dict[str, Any]] = []
        target_rows: list[dict[str, Any]] = []
        for v in visits:
            t = v.target
            for row in v.rows:
                session_rows.append({"target": t.name, "url": t.url, **row})
            error = v.error
            if error is not None:
                session_rows.append(
                    {
                        "target": t.name,
                        "url": t.url,
                        "action": FAILED,
                        "error": _one_line(error),
                        "error_type": type(error).__name__,
                    }
                )
            actions = [r.get("action") for r in v.rows]
            target_rows.append(
                {
                    "target": t.name,
                    "url": t.url,
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
                    "error": _one_line(error) if error is not None else None,
                    "hint": getattr(error, "hint", None) or None,
                }
            )
        frame = pd.DataFrame(session_rows, columns=[*SESSION_COLUMNS, "error_type"])
        for column in ("login_time", "access_time"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        frame["idle"] = pd.to_timedelta(frame["idle"]).dt.round("s")
        frame["mine"] = frame["mine"].astype("boolean")
        frame["selected"] = frame["selected"].astype("boolean")
        targets = pd.DataFrame(target_rows, columns=TARGET_COLUMNS)
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
    if isinstance(value, (list, tuple, dict)):
        return False
    import pandas as pd

    return bool(pd.isna(value))
