"""The per-BMC deadline: a BMC that answers every request slowly costs the deadline, not requests x timeout."""

from __future__ import annotations

import time

import pytest

from redfishnb import fleet
from redfishnb.errors import SelectionError
from redfishnb.mock import MockBMC

from .conftest import ADMIN, inventory_of, plant


@pytest.mark.parametrize("auth", ["basic", "session"])
def test_a_slow_bmc_past_its_deadline_is_a_typed_row_and_logs_out(bmcs, auth):
    # 8 stale sessions at 250 ms a request: Basic needs 9 requests (2.25 s), a session 11 (2.75 s)
    with MockBMC(latency_ms=250, session_limit=16) as slow:
        plant(slow, stale=8, fresh=0)
        rows = [{"name": "slow", "url": slow.url, "verify": slow.ca_file},
                {"name": "fast", "url": bmcs[0].url, "verify": bmcs[0].ca_file}]  # fmt: skip
        started = time.perf_counter()
        report = fleet.clean(
            rows, ADMIN, idle="15m", confirm=True, timeout=5, deadline=1.2, auth=auth, progress=False
        )
        elapsed = time.perf_counter() - started

        assert elapsed < 2.0, "the deadline bounds the visit, whatever the per-request timeout"
        row = report.targets.set_index("target").loc["slow"]
        assert row["status"] == "failed" and row["error_type"] == fleet.DeadlineExceeded.__name__
        assert "deadline of 1.2 s" in row["error"] and "deadline=" in row["hint"]
        assert report.targets.set_index("target").loc["fast", "status"] == "ok"
        left = [s["username"] for s in slow.sessions()]
        assert 0 < len(left) < 8 and "admin" not in left  # some were cleaned; its own session was logged out


@pytest.mark.parametrize("auth", ["basic", "session"])
def test_a_request_waits_only_for_what_is_left_of_the_deadline(auth):
    with MockBMC(latency_ms=1200) as slow:  # every answer takes longer than the whole deadline
        started = time.perf_counter()
        report = fleet.collect_sessions(
            inventory_of([slow]), ADMIN, timeout=5, deadline=0.4, auth=auth, progress=False
        )
        elapsed = time.perf_counter() - started
        assert report.targets["error_type"].iloc[0] == fleet.DeadlineExceeded.__name__
        assert elapsed < 1.0, "the first request must give up when the deadline passes, not after its timeout"
        time.sleep(1.0)  # a login the BMC was still answering when the visit gave up would show up now
        assert slow.session_count == 0


def test_a_deadline_must_be_positive(bmcs):
    with pytest.raises(SelectionError, match="deadline"):
        fleet.collect_sessions(inventory_of(bmcs[:1]), ADMIN, deadline=0, progress=False)
