"""How the kit words things for people: durations in human units, and what to do about a missing file.

Shared by the error messages (:mod:`redfishnb.errors`), the clock check (:mod:`redfishnb.oem.ilo`) and the
certificate helpers (:mod:`redfishnb.certs`), so the same situation reads the same everywhere.
"""

from __future__ import annotations

import math
import os
import tempfile

__all__ = ["format_duration", "missing_file_hint"]


def missing_file_hint(path: str, what: str = "the file", writer: str = "", again: str = "") -> str:
    """What to do about a file that is not there; a temporary path usually means its writer has gone.

    An embedded mock BMC writes its CA file into a temporary directory and removes it when it stops, so a
    notebook that restarted its kernel (or left a ``with MockBMC()`` block) still holds a path to nothing.
    ``writer`` names a likely writer ("an embedded mock BMC"), ``again`` says how to get a new path.
    """
    full = os.path.abspath(os.path.expanduser(path))
    roots = {os.path.abspath(tempfile.gettempdir()), "/tmp", "/var/tmp"}
    if any(full == r or full.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        example = f" ({writer}, for example)" if writer else ""
        return (
            f"The path is in a temporary directory: whatever wrote {what} there{example} has probably stopped and "
            f"removed it. {again or 'Create it again and pass its new path.'}"
        )
    return f"Check the path (relative paths start at the current folder, {os.getcwd()})."


_UNITS = ((86400, "day"), (3600, "h"), (60, "min"), (1, "s"))


def format_duration(seconds: float) -> str:
    """A duration for people: the two largest units, the smaller one rounded ("334 days 20 h", "45 s").

    Clock skews and login delays range from seconds to months; "28928328 s" tells nobody that a BMC is most of a
    year behind. The sign is dropped: callers say "behind" or "ahead of" themselves.
    """
    value = abs(float(seconds))
    for _ in range(2):  # rounding the smaller unit may carry into a larger one: 23 h 59.9 min is 1 day
        i = next((n for n, (size, _) in enumerate(_UNITS) if value >= size), len(_UNITS) - 1)
        big, small = _UNITS[i][0], _UNITS[min(i + 1, len(_UNITS) - 1)][0]
        rounded = math.floor(value / small + 0.5) * small
        if i == 0 or rounded < _UNITS[i - 1][0]:
            break
        value = rounded
    whole, rest = divmod(rounded, big)
    label = _UNITS[i][1]
    text = f"{whole} {label}s" if label == "day" and whole != 1 else f"{whole} {label}"
    if rest and small != big:
        text += f" {rest // small} {_UNITS[i + 1][1]}"
    return text
