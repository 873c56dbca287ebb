"""One flat hierarchy of typed errors, each saying what happened and what to do next.

The classes live in :mod:`redfishnb.errors.hierarchy`; :func:`error_from_response` (in
:mod:`redfishnb.errors.mapping`) picks the most specific one for an HTTP error answer, from its MessageIds
first and its status second, so callers write ``except SessionLimitReached`` instead of parsing JSON.
"""

from __future__ import annotations

from .hierarchy import *  # noqa: F403  (the classes are this package's API)
from .hierarchy import PASSCODE_HINTS as PASSCODE_HINTS
from .hierarchy import STANDARD_PRIVILEGE_HINT as STANDARD_PRIVILEGE_HINT
from .hierarchy import TOKEN_HINTS as TOKEN_HINTS
from .hierarchy import __all__ as _classes
from .hierarchy import lockout_hint as lockout_hint
from .hierarchy import retyped as retyped
from .mapping import error_from_response, extended_info
from .mapping import message_ids as message_ids

# What ``from redfishnb import *`` re-exports too, so only the classes and the two body readers it always had.
__all__ = [*_classes, "error_from_response", "extended_info"]

# Callers see every class as ``redfishnb.errors.X`` (tracebacks, reprs, pickling), wherever it is defined.
for _name in _classes:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value
