"""The mock's clock: real time by default, frozen at a fixed instant in seeded mode, and always advanceable.

Session expiry, login-failure delays, lockouts, one-time passcodes and certificate validity all read this clock,
so a test or a notebook can jump 31 minutes ahead with ``bmc.advance_clock(1860)`` instead of sleeping.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time

SEEDED_START = _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc).timestamp()


class MockClock:
    """Seconds since the epoch, as the BMC believes them."""

    def __init__(self, frozen: bool = False, start: float = SEEDED_START) -> None:
        self._frozen = frozen
        self._base = start
        self._offset = 0.0
        self._lock = threading.Lock()

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> float:
        return (self._base if self._frozen else time.time()) + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the mock's clock only moves forward")
        with self._lock:
            self._offset += float(seconds)

    def datetime(self) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(self.now(), _dt.timezone.utc)


def iso(ts: float) -> str:
    """Redfish date-time as iLO writes it: ``2026-01-01T00:00:00Z``."""
    return _dt.datetime.fromtimestamp(int(ts), _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
