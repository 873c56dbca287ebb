"""A real BMC as a notebook's target: what is refused before connecting, and how its certificate is trusted.

The embedded mock needs none of this; a real BMC given through ``REDFISH_URL`` (or the notebook's parameters) must
be reached over HTTPS, with a user name, and trusted explicitly (its CA file, or its certificate's SHA-256
fingerprint as iLO's web page shows it) or else through the system CAs, as any HTTPS site.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .lab_kernel import ENV, LabSetupError
from .trust import parse_pin

__all__ = ["check_real", "real_verify"]


def check_real(real_url: str, user: str | None, mock_options: Mapping[str, Any]) -> None:
    """Refuse what cannot work against a real BMC: mock options, plain http, no user name."""
    if mock_options:
        raise LabSetupError(
            f"Mock options {sorted(mock_options)} were given but the target is the real BMC {real_url}.",
            hint=f"Unset {ENV['url']} to use the embedded mock, or drop the mock options.",
        )
    if not real_url.startswith("https://"):
        raise LabSetupError(
            f"{real_url!r} is not an https:// URL.",
            hint="Redfish runs over HTTPS: use https://<bmc-address>.",
        )
    if not user:
        raise LabSetupError(
            f"No user name for {real_url}.",
            hint=f"Set {ENV['username']} or pass the notebook's username parameter.",
        )


def real_verify(ca_file: str | None, pin: str | None) -> str | bool:
    """The ``verify=`` of a real BMC: its CA file or its certificate's SHA-256 pin, else the system CAs."""
    if ca_file and pin:
        raise LabSetupError(
            "Both a CA file and a fingerprint were given.",
            hint="Choose one: the CA that signed the BMC's certificate, or the certificate's sha256 fingerprint.",
        )
    if pin:
        try:
            return parse_pin(pin)
        except ValueError as error:
            raise LabSetupError(
                f"The fingerprint {pin[:80]!r} cannot be read: {error}.",
                hint="Give the certificate's SHA-256 fingerprint as the iLO web page or a browser shows it.",
            ) from None
    if ca_file and not os.path.isfile(ca_file):
        raise LabSetupError(
            f"The CA file {ca_file!r} does not exist.",
            hint=f"Point {ENV['ca']} at the PEM file of the CA that signed the BMC's HTTPS certificate.",
        )
    return ca_file or True
