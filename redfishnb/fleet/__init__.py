"""Audit and clear stale sessions across many BMCs at once.

BMCs accept only a few sessions; one that a script forgot to close blocks every user until its idle timeout
ends. This package visits BMCs in parallel (a bounded thread pool, a deadline per BMC), turns each BMC's failure
— refused connection, timeout, wrong credentials — into a row of the result instead of an exception that stops
the run, and spends as few requests as each BMC allows: over Basic authentication an audit is one expanded
Sessions GET per BMC; over a session it is the root, the login, that GET and the logout.
A mixed fleet (iLO, OpenBMC, the Superdome Flex RMC ...) runs in one go: each BMC is read the way it allows, and
judged by what its sessions carry (``idle`` needs iLO's AccessTime; ``older_than`` uses the standard
CreatedTime, else iLO's LoginTime); the report says per BMC what kind of service it is, how it was read and which
rule applied.

Operations::

    inventory = fleet.load_inventory("bmcs.csv")            # CSV, YAML, DataFrame or list of dicts
    audit = fleet.collect_sessions(inventory)               # who is logged in where, with privileges
    stale = audit.select(idle="30m", tags=["REST"])          # never includes the caller's own session
    old = audit.select(older_than="8h")                      # by CreatedTime: also standard BMCs (OpenBMC)
    fleet.disconnect(stale)                                  # dry run: what would be disconnected
    done = fleet.disconnect(stale, confirm=True)             # re-checks each session, then DELETEs it
    done.to_html("stale-sessions.html"); done.to_csv("stale-sessions.csv")

``fleet.clean(inventory, idle="30m", confirm=True)`` does the same in one pass per BMC (for cron). Credentials
never live in the inventory: they come from ``REDFISHNB_USERNAME``/``REDFISHNB_PASSWORD`` (or
``REDFISHNB_<SET>_USERNAME``/``_PASSWORD`` for a target whose ``credentials`` column names a set), from a
``Credentials`` object, or from a prompt on a terminal.

Modules: :mod:`.inventory` (targets, no secrets), :mod:`.credentials`, :mod:`.selection` (durations,
criteria, row actions), :mod:`.service` (iLO or standard, from what a visit read), :mod:`.visit` (one BMC), :mod:`.wire` (Basic
requests, shared TLS contexts),
:mod:`.deadline` (the per-BMC deadline), :mod:`.runner` (many BMCs, the public operations), :mod:`.report`.
"""

from __future__ import annotations

from .credentials import ENV_PREFIX, Credentials, CredentialsArg, env_names, resolve_credentials
from .deadline import DeadlineExceeded
from .inventory import AUTH_METHODS, Target, load_inventory
from .report import SESSION_COLUMNS, TARGET_COLUMNS, FleetReport
from .runner import (
    DEFAULT_AUTH,
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    clean,
    collect_sessions,
    disconnect,
    select_stale,
)
from .selection import DONE, FAILED, GONE, KEEP, OWN, WOULD, Selection, UnsupportedSelection, parse_duration
from .service import Service

__all__ = [
    "Target",
    "Credentials",
    "CredentialsArg",
    "Selection",
    "UnsupportedSelection",
    "Service",
    "FleetReport",
    "DeadlineExceeded",
    "load_inventory",
    "resolve_credentials",
    "env_names",
    "parse_duration",
    "collect_sessions",
    "select_stale",
    "disconnect",
    "clean",
    "AUTH_METHODS",
    "DEFAULT_AUTH",
    "DEFAULT_DEADLINE",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "ENV_PREFIX",
    "KEEP",
    "OWN",
    "WOULD",
    "DONE",
    "GONE",
    "FAILED",
    "SESSION_COLUMNS",
    "TARGET_COLUMNS",
]
