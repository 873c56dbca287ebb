"""Run DMTF's Redfish-Protocol-Validator with SSDP discovery removed and traffic held to loopback.

The stock ``rf_protocol_validator`` entry point multicasts SSDP M-SEARCH probes (239.255.255.250 and ff02::c)
during its service-details checks, which is traffic off this machine. This wrapper replaces
``redfish_protocol_validator.utils.discover_ssdp`` with a function that discovers nothing (the SSDP assertions
then report NOT_TESTED), installs the loopback guard, and hands the command line to the validator's own
``main()`` unchanged.
"""

from __future__ import annotations

import loopback_only

loopback_only.install()

from redfish_protocol_validator import console_scripts, utils  # noqa: E402


def _no_ssdp(*args, **kwargs) -> dict:
    """Stand-in for discover_ssdp: no services found, no packet sent."""
    return {}


utils.discover_ssdp = _no_ssdp

if __name__ == "__main__":
    console_scripts.main()
