"""``redfishnb mock``: run one or more mock BMCs from the command line until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .bmc import LOOPBACK, MockBMC
from .fleet import MockFleet
from .reset import DEFAULT_DOWN_SECONDS


def _number(kind: type, low: float, high: float | None = None) -> Any:
    """An argparse ``type=`` that rejects values a BMC could not have (argparse prints ``error:`` and exits 2)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < low or (high is not None and value > high):
            bound = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
            raise argparse.ArgumentTypeError(f"{text} is out of range: use a value {bound}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def configure(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "mock",
        help="run the embedded mock BMC (iLO 6 or Superdome Flex 280 RMC)",
        description="Serve an HTTPS Redfish mock BMC that enforces authentication, sessions and privileges.",
    )
    p.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --bind (the default accounts are public: use --accounts)",
    )
    p.add_argument(
        "--port",
        type=_number(int, 0, 65535),
        default=8443,
        help="port (default 8443; 0 = any free port; 443 as root)",
    )
    p.add_argument("--flavor", choices=("ilo6", "rmc"), default="ilo6")
    p.add_argument("--count", type=_number(int, 1), default=1, help="N independent BMCs on consecutive ports")
    p.add_argument("--state-dir", help="directory for ca.pem, the CA that signed the server certificate")
    p.add_argument("--session-limit", type=_number(int, 0), default=8)
    p.add_argument(
        "--session-timeout", type=_number(int, 0), default=1800, help="idle timeout in seconds (0 = none)"
    )
    p.add_argument(
        "--latency",
        type=_number(float, 0),
        default=0,
        metavar="MS",
        help="delay added to every response (ms)",
    )
    p.add_argument("--seed", type=int, help="reproducible tokens, session ids, ETags and a frozen clock")
    p.add_argument("--accounts", metavar="FILE", help="JSON/YAML list of {username, password, role}")
    p.add_argument(
        "--unlicensed", action="store_true", help="start with iLO Standard instead of iLO Advanced"
    )
    p.add_argument(
        "--limit-status",
        type=int,
        choices=(503, 400),
        default=503,
        help="answer to a login over the session limit: 503 SessionLimitExceeded or 400",
    )
    p.add_argument(
        "--login-failure-delay",
        type=int,
        default=0,
        metavar="S",
        help="iLO login-failure delay in seconds (iLO's default is 10; 0 = off)",
    )
    p.add_argument(
        "--lockout-threshold", type=int, default=0, help="lock an account after N failures (0 = never)"
    )
    p.add_argument(
        "--hostname",
        action="append",
        default=[],
        metavar="NAME",
        help="extra name or address for the server certificate (repeatable), e.g. the lab host's DNS name",
    )
    p.add_argument(
        "--reset-seconds",
        type=_number(float, 0),
        default=DEFAULT_DOWN_SECONDS,
        metavar="S",
        help=f"how long an iLO reset (Manager.Reset, or SIGUSR1 to this process) refuses connections "
        f"(default {DEFAULT_DOWN_SECONDS:g})",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line {urls, ca_file, flavor} on stdout instead of the text banner",
    )
    p.set_defaults(func=run)
    return p


def _reset_all(bmcs: list[MockBMC]) -> None:
    """``kill -USR1 PID``: the CLI's iLO reset (sessions end, connections refused for --reset-seconds)."""
    for bmc in bmcs:
        bmc.reset(bmc.reset_seconds, wait=False)
    print(f"iLO reset: refusing connections for {bmcs[0].reset_seconds:g} s", file=sys.stderr, flush=True)


def _banner(args: argparse.Namespace, bmcs: list[MockBMC]) -> None:
    """One JSON line for scripts (``--json``), else the text a person reads."""
    if args.json:
        info = {"urls": [b.url for b in bmcs], "ca_file": bmcs[0].ca_file, "flavor": args.flavor}
        print(json.dumps(info), flush=True)
        return
    for bmc in bmcs:
        print(f"mock BMC ({bmc.flavor.name}) listening on {bmc.url}", flush=True)
    print(f"CA certificate: {bmcs[0].ca_file}", flush=True)
    names = ", ".join(f"{a['username']} ({a['role']})" for a in bmcs[0].accounts)
    print(f"accounts: {names}", flush=True)
    print(f"Press Ctrl-C to stop; kill -USR1 {os.getpid()} resets the iLO.", flush=True)


def run(args: argparse.Namespace) -> int:
    if args.bind not in LOOPBACK and not args.allow_remote:
        print(
            f"error: --bind {args.bind} exposes the public default accounts; add --allow-remote to confirm.",
            file=sys.stderr,
        )
        return 2
    if args.bind not in LOOPBACK:
        print(
            f"warning: listening on {args.bind}: anyone who can reach it can log in with the documented "
            "accounts unless --accounts replaces them.",
            file=sys.stderr,
        )
    if args.accounts and not Path(args.accounts).is_file():
        print(f"error: accounts file {args.accounts} not found", file=sys.stderr)
        return 2
    options = dict(
        flavor=args.flavor,
        host=args.bind,
        session_limit=args.session_limit,
        session_timeout=args.session_timeout,
        latency_ms=args.latency,
        licensed=not args.unlicensed,
        accounts=args.accounts,
        limit_status=args.limit_status,
        login_failure_delay=args.login_failure_delay,
        lockout_threshold=args.lockout_threshold,
        allow_remote=args.allow_remote,
        state_dir=args.state_dir,
        hostnames=args.hostname,
    )
    try:
        if args.count > 1:
            target: Any = MockFleet(args.count, port=args.port, seed=args.seed, **options)
            target.start()
            bmcs = target.bmcs
        else:
            target = MockBMC(port=args.port, seed=args.seed, **options)
            target.start()
            bmcs = [target]
    except PermissionError:
        print(f"error: cannot bind port {args.port} (ports below 1024 need root)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # e.g. a malformed accounts file
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for bmc in bmcs:
        bmc.reset_seconds = args.reset_seconds
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGUSR1, lambda *_: _reset_all(bmcs))
    try:
        _banner(args, bmcs)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        target.stop()
        print("mock BMC stopped", file=sys.stderr if args.json else sys.stdout, flush=True)
    return 0
