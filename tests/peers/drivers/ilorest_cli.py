"""Run HPE's ``ilorest`` CLI, unchanged, with the loopback guard installed first: ``python ilorest_cli.py ARGS``.

The CLI is the ``ilorest`` console script's own entry point (``ilorest.rdmc.ilorestcommand``); this wrapper only
adds the guard every peer driver installs, so no iLOrest code path (in-band discovery, a ``Location`` pointing
elsewhere) can send traffic off the machine.
"""

from __future__ import annotations

import sys

import loopback_only

loopback_only.install()

from ilorest.rdmc import ilorestcommand  # noqa: E402  (after the guard, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "ilorest"
    sys.exit(ilorestcommand())
