"""Lockout counters on a clock: threshold, duration, reset-after, success and administrator unlock."""

from __future__ import annotations

import pytest

from redfishnb.mock.standard.lockout import OPENBMC_DEFAULTS, LockoutPolicy, LockoutTracker


def test_defaults_never_lock() -> None:
    tracker = LockoutTracker()
    assert LockoutPolicy(threshold=0, duration=0, reset_after=900) == OPENBMC_DEFAULTS
    for i in range(50):
        assert not tracker.record_failure("admin", float(i))
    assert not tracker.is_locked("admin", 60.0)


def test_threshold_locks_and_duration_unlocks() -> None:
    tracker = LockoutTracker(LockoutPolicy(threshold=3, duration=60, reset_after=30))
    assert not tracker.record_failure("u", 0)
    assert not tracker.record_failure("u", 1)
    assert tracker.record_failure("u", 2)
    assert tracker.is_locked("u", 3)
    assert tracker.locked_until("u") == 62
    assert not tracker.record_failure("u", 10)  # attempts while locked do not extend the lock
    assert tracker.is_locked("u", 61.9)
    assert not tracker.is_locked("u", 62)
    assert tracker.failures("u", 62) == 0


def test_counter_resets_after_the_window() -> None:
    tracker = LockoutTracker(LockoutPolicy(threshold=3, duration=60, reset_after=30))
    tracker.record_failure("u", 0)
    tracker.record_failure("u", 10)
    assert tracker.failures("u", 39) == 2
    assert tracker.failures("u", 40) == 0
    assert not tracker.record_failure("u", 40)  # counts as the first failure again
    assert not tracker.record_failure("u", 41)
    assert tracker.record_failure("u", 42)


def test_success_and_unlock_clear() -> None:
    tracker = LockoutTracker(LockoutPolicy(threshold=2, duration=0, reset_after=30))
    tracker.record_failure("u", 0)
    tracker.record_success("u")
    assert not tracker.record_failure("u", 1)
    assert tracker.record_failure("u", 2)
    assert tracker.is_locked("u", 10_000)  # duration 0: until an administrator unlocks
    assert tracker.locked_until("u") == float("inf")
    tracker.unlock("u")
    assert not tracker.is_locked("u", 10_001)


def test_negative_settings_refused() -> None:
    with pytest.raises(ValueError):
        LockoutPolicy(threshold=-1)
