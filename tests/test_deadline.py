"""The per-call deadline the client and the fleet share: each wait is what is left, none once it has passed."""

from __future__ import annotations

import pytest

from redfishnb import errors
from redfishnb.deadline import Deadline
from redfishnb.fleet import deadline as fleet_deadline


def test_each_wait_is_the_timeout_or_what_is_left_whichever_is_less():
    clock = Deadline(60, "GET /redfish/v1/ on https://bmc")
    assert clock.wait(5) == 5 and 59 < clock.wait(600) <= 60 and not clock.expired


def test_nothing_is_sent_once_the_deadline_has_passed():
    clock = Deadline(0, "GET /redfish/v1/ on https://bmc")
    assert clock.expired
    with pytest.raises(errors.DeadlineExceeded) as info:
        clock.wait(5)
    assert info.value.message == "GET /redfish/v1/ on https://bmc did not finish within its deadline of 0 s."
    assert info.value.deadline == 0 and "deadline= (now 0 s)" in info.value.hint


def test_the_fleet_deadline_is_the_same_clock_with_its_own_words():
    clock = fleet_deadline.Deadline(0, "bmc-7:443")
    assert isinstance(clock, Deadline) and clock.host == "bmc-7:443"
    with pytest.raises(fleet_deadline.DeadlineExceeded) as info:
        clock.wait(5)
    assert info.value.message == "bmc-7:443 did not finish within the per-BMC deadline of 0 s."
    assert clock.exceeded("disconnecting sessions").message.endswith("of 0 s while disconnecting sessions.")
    assert "for a fleet of slow BMCs" in info.value.hint
