"""nbval settings for the tutorial notebooks (kept here, outside notebooks/, so a class sees only notebooks): a clean environment, a secret check on every fresh output, timings.

The committed outputs were made against the embedded mock BMC (seeded). A developer's own ``REDFISH_*``
variables would point the golden test at a real BMC, whose answers differ; they are removed before nbval starts a
kernel here (tests/test_notebooks.py runs the real-BMC path on purpose, with a second mock).

nbval compares each fresh output with the committed one, except ``text/html``: every HTML output here (pandas
tables, the widgets' static views) comes with a ``text/plain`` twin holding the same values, which is compared,
while the HTML also carries presentation (CSS of the widget theme) that may change without the notebook being
wrong. On top of that, every fresh output — HTML included — is scanned for secrets (whole session tokens,
private keys, the mock accounts' passwords) and the run fails on the first find.
Each notebook's wall time (kernel start included) is printed in the summary to keep the suite within budget.

After a change to what the kit prints, refresh the committed outputs against the seeded mock (ports, temporary
paths and fingerprints differ between runs and are sanitized by tests/notebooks/nbval-sanitize.cfg)::

    ./dev notebooks
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict

import pytest

from redfishnb import lab

# REDFISH_URL, _USERNAME, _PASSWORD, _CA, _FINGERPRINT, and the `./dev lab` standalone mock's two variables.
REAL_BMC_VARIABLES = (*lab.ENV.values(), "REDFISHNB_MOCK_URL", "REDFISHNB_MOCK_CA")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_seconds: dict[str, float] = defaultdict(float)


def _is_notebook_cell(item: pytest.Item) -> bool:
    return item.__class__.__name__ == "IPyNbCell"


def pytest_collectstart(collector: pytest.Collector) -> None:
    if collector.__class__.__name__ == "IPyNbFile":
        # A live widget's view (its model id) is never saved: committed notebooks keep its static fallback.
        collector.skip_compare += ("text/html", WIDGET_VIEW)
        for name in REAL_BMC_VARIABLES:
            os.environ.pop(name, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if _is_notebook_cell(item):
            _seconds[item.parent.name] += time.perf_counter() - started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    outputs = getattr(item, "test_outputs", None) if _is_notebook_cell(item) else None
    if outputs:
        found = lab.find_secrets(json.dumps(outputs, ensure_ascii=False), lab.MOCK_ACCOUNTS)
        if found:
            raise AssertionError(f"secret in the cell's fresh output: {', '.join(found)}")
    return result


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _seconds:
        terminalreporter.section("notebook times (nbval, fresh kernel each)")
        for name, seconds in sorted(_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
        terminalreporter.write_line(f"all notebooks: {sum(_seconds.values()):.1f} s")
