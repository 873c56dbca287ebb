"""The ``redfishnb`` command: ``redfishnb mock`` (the mock BMC) and ``redfishnb sessions`` (fleet audit).

Each subcommand lives with the code it drives and registers itself through a ``configure(subparsers)``
function, so this module only dispatches.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# subcommand module -> must define configure(subparsers) which sets `func` on its parser
_SUBCOMMANDS = ("redfishnb.mock.cli", "redfishnb.fleet_cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redfishnb", description="Redfish authentication and sessions toolkit."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _SUBCOMMANDS:
        importlib.import_module(name).configure(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
