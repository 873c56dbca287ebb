"""nbval settings for the tutorial notebooks.

The committed outputs were made against the embedded mock BMC (seeded). A developer's own ``REDFISH_*``
variables would point the golden test at a real BMC, whose answers differ; they are removed before nbval starts
a kernel here (tests/test_notebooks.py runs the real-BMC path on purpose, with a second mock).
"""

from __future__ import annotations

import os

REAL_BMC_VARIABLES = (
    "REDFISH_URL",
    "REDFISH_USERNAME",
    "REDFISH_PASSWORD",
    "REDFISH_CA",
    "REDFISH_FINGERPRINT",
)


def pytest_collectstart(collector):
    if collector.__class__.__name__ == "IPyNbFile":
        for name in REAL_BMC_VARIABLES:
            os.environ.pop(name, None)
