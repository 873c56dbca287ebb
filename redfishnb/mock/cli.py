"""``redfishnb mock``: run one or more mock BMCs (one flavour, or a comma list cycled over ``--count``) from the
command line until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .bmc import MockBMC
from .flavors import flavor_names, parse_flavor_list
from .fleet import MockFleet
from .pki import LOOPBACK
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


def _flavor_list(text: str) -> str:
    """``--flavor ilo6,ilo7,rmc``: every name must be a known flavour (the registry's folders)."""
    try:
        return ",".join(f.name for f in parse_flavor_list(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use one of {', '.join(flavor_names())}, or a comma list of them"
        ) from None


def configure(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "mock",
        help=f"run embedded mock BMCs ({', '.join(flavor_names())})",
        description="Serve an HTTPS Redfish mock BMC that enforces authentication, sessions and privileges.",
    )
    _listen_options(p)
    _policy_options(p)
    _lab_options(p)
    p.set_defaults(func=run)
    return p


def _listen_options(p: argparse.ArgumentParser) -> None:
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
    p.add_argument(
        "--flavor",
        type=_flavor_list,
        default="ilo6",
        metavar="NAME[,NAME...]",
        help=f"{' | '.join(flavor_names())}; a comma list is cycled over --count BMCs (default ilo6)",
    )
    p.add_argument("--count", type=_number(int, 1), default=1, help="N independent BMCs on consecutive ports")
    p.add_argument("--state-dir", help="directory for ca.pem, the CA that signed the server certificate")
    p.add_argument(
        "--hostname",
        action="append",
        default=[],
        metavar="NAME",
        help="extra name or address for the server certificate (repeatable), e.g. the lab host's DNS name",
    )


def _policy_options(p: argparse.ArgumentParser) -> None:
    """Session and login policy; left out, each takes the flavour's default (``flavor.json`` "defaults")."""
    p.add_argument("--session-limit", type=_number(int, 0), help="simultaneous sessions (iLO: 8)")
    p.add_argument(
        "--session-timeout", type=_number(int, 0), help="idle timeout in seconds (0 = none; iLO: 1800)"
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
        type=_number(int, 0),
        metavar="S",
        help="iLO login-failure delay in seconds (iLO's default is 10; 0 = off)",
    )
    p.add_argument(
        "--lockout-threshold", type=_number(int, 0), help="lock an account after N failures (0 = never)"
    )


def _lab_options(p: argparse.ArgumentParser) -> None:
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
        help="print one JSON line {urls, ca_file, flavor, bmcs: [{url, flavor}]} on stdout instead of the banner",
    )


def _reset_all(bmcs: list[MockBMC]) -> None:
    """``kill -USR1 PID``: the CLI's iLO reset (sessions end, connections refused for --reset-seconds)."""
    for bmc in bmcs:
        bmc.reset(bmc.reset_seconds, wait=False)
    print(f"iLO reset: refusing connections for {bmcs[0].reset_seconds:g} s", file=sys.stderr, flush=True)


def _banner(args: argparse.Namespace, bmcs: list[MockBMC]) -> None:
    """One JSON line for scripts (``--json``), else the text a person reads."""
    if args.json:
        info = {
            "urls": [b.url for b in bmcs],
            "ca_file": bmcs[0].ca_file,
            "flavor": args.flavor,
            "bmcs": [{"url": b.url, "flavor": b.flavor.name} for b in bmcs],
        }
        print(json.dumps(info), flush=True)
        return
    for bmc in bmcs:
        print(f"mock BMC ({bmc.flavor.name}) listening on {bmc.url}", flush=True)
    print(f"CA certificate: {bmcs[0].ca_file}", flush=True)
    names = ", ".join(f"{a['username']} ({a['role']})" for a in bmcs[0].accounts)
    print(f"accounts: {names}", flush=True)
    print(f"Press Ctrl-C to stop; kill -USR1 {os.getpid()} resets the iLO.", flush=True)


def run(args: argparse.Namespace) -> int:
    refused = _check_args(args)
    if refused is not None:
        return refused
    started = _start(args)
    if isinstance(started, int):
        return started
    target, bmcs = started
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


def _check_args(args: argparse.Namespace) -> int | None:
    """Exit code 2 for a bind or accounts file that must not be used; warn about a remote bind."""
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
    return None


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """MockBMC keyword arguments from the command line (policy left None takes the flavour's defaults)."""
    return dict(
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


def _start(args: argparse.Namespace) -> tuple[Any, list[MockBMC]] | int:
    """(what to stop, its BMCs) once listening, or the exit code and message of why not."""
    flavors = parse_flavor_list(args.flavor)
    try:
        if args.count > 1:
            fleet = MockFleet(args.count, port=args.port, seed=args.seed, flavor=flavors, **_options(args))
            fleet.start()
            return fleet, fleet.bmcs
        bmc = MockBMC(flavors[0], port=args.port, seed=args.seed, **_options(args))
        bmc.start()
        return bmc, [bmc]
    except PermissionError:
        print(f"error: cannot bind port {args.port} (ports below 1024 need root)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # e.g. a malformed accounts file
        print(f"error: {exc}", file=sys.stderr)
        return 2
