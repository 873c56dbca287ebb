"""Account lockout after repeated failed logins, on the mock's clock: DMTF's three AccountService settings.

OpenBMC delegates counting to PAM (``pam_faillock``); bmcweb only exposes the settings. The rules modelled:

* ``AccountLockoutThreshold`` failed logins lock the account; 0 never locks.
* The counter returns to 0 ``AccountLockoutCounterResetAfter`` seconds after the last failure, and on every
  successful login.
* A locked account stays locked for ``AccountLockoutDuration`` seconds; 0 means until an administrator writes
  ``Locked: false`` (as ``pam_faillock`` treats ``unlock_time=0``; DMTF's schema text reads 0 as "no lockout",
  a divergence bmcweb inherits from PAM).
* While locked, even the right password is refused, with the same answer as a wrong one, and attempts are not
  counted (the lock does not grow).

Defaults (see :data:`OPENBMC_DEFAULTS`): OpenBMC ships ``deny=0`` and ``unlock_time=0`` in
``meta-phosphor/recipes-extended/pam/libpam/faillock.conf`` (openbmc/openbmc), so lockout is off out of the box;
the reset window is ``pam_faillock``'s built-in ``fail_interval`` of 900 s, which that file does not override.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

MAX_TRACKED_NAMES = 4096  # guessed user names must not grow memory without bound


@dataclass(frozen=True)
class LockoutPolicy:
    """The three DMTF settings, in seconds where they are durations."""

    threshold: int = 0
    duration: int = 0
    reset_after: int = 900

    def __post_init__(self) -> None:
        if min(self.threshold, self.duration, self.reset_after) < 0:
            raise ValueError("lockout settings cannot be negative")


OPENBMC_DEFAULTS = LockoutPolicy(threshold=0, duration=0, reset_after=900)


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    locked_at: float | None = None


@dataclass
class LockoutTracker:
    """Failed-login counters per user name (known or not, so refusals reveal nothing about which names exist)."""

    policy: LockoutPolicy = OPENBMC_DEFAULTS
    _records: dict[str, _Record] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def is_locked(self, username: str, now: float) -> bool:
        """True while the account is locked; a lock whose duration has passed is lifted here."""
        with self._lock:
            record = self._records.get(username)
            if record is None or record.locked_at is None:
                return False
            duration = self.policy.duration
            if duration and now >= record.locked_at + duration:
                del self._records[username]
                return False
            return True

    def record_failure(self, username: str, now: float) -> bool:
        """Count one failed login; return True when this failure locks the account."""
        with self._lock:
            record = self._records.get(username)
            if record is None:
                if len(self._records) >= MAX_TRACKED_NAMES:
                    self._records.pop(next(iter(self._records)))
                record = self._records[username] = _Record()
            if record.locked_at is not None:
                return False
            reset_after = self.policy.reset_after
            if reset_after and record.failures and now - record.last_failure >= reset_after:
                record.failures = 0
            record.failures += 1
            record.last_failure = now
            if self.policy.threshold and record.failures >= self.policy.threshold:
                record.locked_at = now
                return True
            return False

    def record_success(self, username: str) -> None:
        """A successful login clears the counter (only ever called for an account that is not locked)."""
        with self._lock:
            self._records.pop(username, None)

    def unlock(self, username: str) -> None:
        """An administrator's ``Locked: false``: lift the lock and clear the counter."""
        self.record_success(username)

    def failures(self, username: str, now: float) -> int:
        """Failures currently counted against ``username`` (0 once the reset window has passed)."""
        with self._lock:
            record = self._records.get(username)
            if record is None:
                return 0
            reset_after = self.policy.reset_after
            if record.locked_at is None and reset_after and now - record.last_failure >= reset_after:
                return 0
            return record.failures

    def locked_until(self, username: str) -> float | None:
        """When the lock lifts by itself (``inf`` when only an administrator can lift it), or None if unlocked."""
        with self._lock:
            record = self._records.get(username)
            if record is None or record.locked_at is None:
                return None
            return record.locked_at + self.policy.duration if self.policy.duration else float("inf")
