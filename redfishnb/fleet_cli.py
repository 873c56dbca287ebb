"""``redfishnb sessions``: the fleet session audit and clean-up, for cron jobs and CI runbooks.

The exit code tells a scheduler what happened without parsing output:

====  ===========================================================================================
0     every BMC answered and no session matched the selection (or no selection: audit only)
1     stale sessions found, nothing disconnected (dry run: add --disconnect --yes to act)
2     usage error: bad option, unreadable inventory, a password column in the inventory
3     stale sessions were disconnected (cleaned) and every BMC answered
4     some BMCs failed (unreachable, timed out, wrong credentials, a disconnect refused, or sessions
      that do not carry what the selection is measured by: --stale needs AccessTime); the others
      were still audited or cleaned, and the report lists the failures with a hint
====  ===========================================================================================

In a mixed fleet each BMC is read the way it allows (Basic where it accepts it, else a session) and judged by
what its sessions carry: ``--stale`` measures idle time by AccessTime (iLO), ``--older-than`` age by the
standard CreatedTime (iLO: LoginTime). The per-BMC table printed after the sessions says what kind of service
each BMC is (iLO or standard, as its Sessions answer shows: a Basic audit reads that one resource), how it was
read and which rule applied.

Credentials come from ``REDFISHNB_USERNAME``/``REDFISHNB_PASSWORD`` (``REDFISHNB_<SET>_...`` for targets whose
``credentials`` column names a set), or a prompt when run on a terminal — never from the command line, where
they would end up in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import fleet
from .errors import InventoryError, SelectionError

EXIT_CLEAN = 0
EXIT_STALE = 1
EXIT_USAGE = 2
EXIT_CLEANED = 3
EXIT_FAILED = 4

_EXIT_BY_OUTCOME = {"clean": EXIT_CLEAN, "stale": EXIT_STALE, "cleaned": EXIT_CLEANED, "failed": EXIT_FAILED}

_EPILOG = """\
exit codes:
  0  nothing stale (every BMC answered)       3  stale sessions disconnected
  1  stale sessions found, dry run            4  some BMCs failed (the others were processed)
  2  usage or inventory error

credentials: REDFISHNB_USERNAME / REDFISHNB_PASSWORD (REDFISHNB_<SET>_USERNAME / _PASSWORD for a target
whose 'credentials' column names SET), else a prompt on a terminal.

examples:
  redfishnb sessions --inventory bmcs.csv                       # audit: who is logged in where
  redfishnb sessions --inventory bmcs.csv --stale 30m           # dry run: what is stale
  redfishnb sessions --inventory bmcs.csv --older-than 8h       # by CreatedTime: also OpenBMC and other
                                                                # standard BMCs, whose sessions carry no AccessTime
  redfishnb sessions --inventory bmcs.csv --auth session        # log in (4 requests per BMC) instead of Basic
  redfishnb sessions --inventory bmcs.yaml --stale 2h --tag REST --disconnect --yes --html done.html
"""

# Columns printed on the terminal (the CSV/HTML reports have all of them): sessions, then one line per BMC.
_SHOWN = ["target", "username", "user_tag", "user_ip", "idle", "age", "action", "error"]
_SHOWN_BMCS = ["target", "service", "auth", "rule", "status", "sessions", "selected"]


def configure(subparsers: Any) -> None:
    """Register ``sessions`` on the ``redfishnb`` dispatcher (redfishnb/cli.py)."""
    parser = subparsers.add_parser(
        "sessions",
        help="audit and clear stale sessions across many BMCs",
        description="Audit the sessions of many BMCs in parallel and disconnect the stale ones.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--inventory", "-i", required=True, metavar="FILE", help="CSV or YAML list of BMCs")
    _add_selection(parser)
    act = parser.add_argument_group("action")
    act.add_argument(
        "--disconnect", action="store_true", help="disconnect the selected sessions (asks first)"
    )
    act.add_argument(
        "--yes", "-y", action="store_true", help="do not ask: needed for --disconnect without a terminal"
    )
    run = parser.add_argument_group("run")
    run.add_argument(
        "--workers", type=int, default=fleet.DEFAULT_WORKERS, help="BMCs visited in parallel (%(default)s)"
    )
    run.add_argument(
        "--timeout", type=float, default=fleet.DEFAULT_TIMEOUT, help="seconds per request (%(default)s)"
    )
    run.add_argument(
        "--deadline",
        type=float,
        default=fleet.DEFAULT_DEADLINE,
        help="seconds per BMC visit, all its requests together (%(default)s)",
    )
    run.add_argument(
        "--auth",
        choices=fleet.AUTH_METHODS,
        default=fleet.DEFAULT_AUTH,
        help="for BMCs whose inventory names none: session, basic, or auto = Basic where the BMC allows it, "
        "one request per BMC audited (%(default)s)",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    out = parser.add_argument_group("report")
    out.add_argument("--csv", metavar="PATH", help="write the session report as CSV")
    out.add_argument("--html", metavar="PATH", help="write the report as an HTML page")
    out.add_argument("--quiet", "-q", action="store_true", help="print only the summary line")
    parser.set_defaults(func=run_sessions)


def _add_selection(parser: argparse.ArgumentParser) -> None:
    pick = parser.add_argument_group(
        "selection (all given criteria must hold; your own session never matches)"
    )
    pick.add_argument(
        "--stale",
        metavar="DURATION",
        help="idle at least this long (by AccessTime, which iLO reports): 90s, 30m, 2h, 1d; a BMC whose sessions "
        "carry no AccessTime (OpenBMC, the RMC) fails with a message instead of matching nothing",
    )
    pick.add_argument(
        "--older-than",
        metavar="DURATION",
        help="opened at least this long ago (by the standard CreatedTime, else iLO's LoginTime)",
    )
    pick.add_argument("--user", action="append", metavar="NAME", help="session user name (repeatable)")
    pick.add_argument(
        "--tag", action="append", metavar="TAG", help="iLO UserTag such as REST or 'Web UI' (repeatable)"
    )


def run_sessions(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code documented above."""
    try:
        return _run(args)
    except (InventoryError, SelectionError) as exc:
        print(f"redfishnb sessions: {exc.friendly}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("redfishnb sessions: interrupted; sessions opened by this run were closed.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.workers < 1 or args.timeout <= 0 or args.deadline <= 0:
        raise SelectionError("--workers must be at least 1, --timeout and --deadline above 0.", hint="")
    inventory = fleet.load_inventory(args.inventory)
    selecting = args.stale is not None or args.older_than is not None or bool(args.user) or bool(args.tag)
    if args.disconnect and not selecting:
        raise SelectionError("--disconnect needs a selection: --stale, --older-than, --user or --tag.")
    interactive = sys.stdin.isatty()
    if args.disconnect and not args.yes and not interactive:
        raise SelectionError("--disconnect without a terminal needs --yes (there is nobody to ask).", hint="")
    options: dict[str, Any] = {
        "workers": args.workers,
        "timeout": args.timeout,
        "deadline": args.deadline,
        "auth": args.auth,
        "progress": False if args.no_progress else None,
        "credentials": _credentials(inventory),
    }
    criteria = {"idle": args.stale, "older_than": args.older_than, "users": args.user, "tags": args.tag}
    if not selecting:
        report = fleet.collect_sessions(inventory, **options)
    elif args.disconnect and args.yes:
        report = fleet.clean(inventory, **criteria, confirm=True, **options)
    else:
        report = fleet.clean(inventory, **criteria, confirm=False, **options)
        if args.disconnect and len(report.selected):
            _show(report, args)
            if _ask(
                f"Disconnect {len(report.selected)} sessions on {report.selected['target'].nunique()} BMCs?"
            ):
                report = fleet.disconnect(report, confirm=True, **options)
    _show(report, args)
    if args.csv:
        report.to_csv(args.csv)
    if args.html:
        report.to_html(args.html)
    return _EXIT_BY_OUTCOME[report.outcome]


def _credentials(inventory: list[fleet.Target]) -> dict[str, fleet.Credentials]:
    """Every credential set the inventory uses, or one usage error before any BMC is contacted.

    Missing credentials are a mistake in how the command was run, not a failure of the BMCs: reporting it once
    per BMC (exit 4) would make a runbook's ``case $?`` read it as "some BMCs failed"."""
    resolved = fleet.resolve_credentials(inventory)
    missing = [error for error in resolved.values() if isinstance(error, InventoryError)]
    if missing:
        raise InventoryError(
            " ".join(error.message for error in missing),
            hint="Set the variables named above (export NAME=...) or run the command on a terminal to be asked.",
        )
    return {name: creds for name, creds in resolved.items() if isinstance(creds, fleet.Credentials)}


def _show(report: fleet.FleetReport, args: argparse.Namespace) -> None:
    if not args.quiet:
        if len(report.sessions):
            frame = report.sessions[_SHOWN].copy()
            for column in ("idle", "age"):
                text = frame[column].astype(str).str.replace("0 days ", "", regex=False)
                frame[column] = text.replace("NaT", "")  # unknown: the BMC does not report it
            print(frame.to_string(index=False, na_rep=""), end="\n\n")
        print(report.targets[_SHOWN_BMCS].to_string(index=False, na_rep=""))
    for row in report.failed.to_dict("records"):
        detail = row["error"] or f"{row['failed_disconnects']} disconnects failed"
        kind = row["error_type"] or "Error"
        print(f"FAILED {row['target']} ({row['url']}): {kind}: {detail}", file=sys.stderr)
        if row["hint"]:
            print(f"       what to do: {row['hint']}", file=sys.stderr)
    print(report.summary())


def _ask(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


__all__ = [
    "configure",
    "run_sessions",
    "EXIT_CLEAN",
    "EXIT_STALE",
    "EXIT_USAGE",
    "EXIT_CLEANED",
    "EXIT_FAILED",
]
