"""Dry runs, disconnects and clean-ups against the mock fleet: only what still matches, never the caller's own."""

from __future__ import annotations

import pytest

from redfishnb import fleet
from redfishnb.errors import InsufficientPrivilege, SelectionError
from redfishnb.mock import MockBMC

from .conftest import ADMIN, inventory_of, plant


@pytest.mark.parametrize(("auth", "requests"), [("session", 6), ("auto", 3)])
def test_dry_run_changes_nothing_and_confirm_disconnects_only_the_stale(bmcs, auth, requests):
    for bmc in bmcs:
        plant(bmc, stale=2, fresh=2)
    inventory = inventory_of(bmcs)

    dry = fleet.clean(inventory, ADMIN, idle="15m", auth=auth, progress=False)
    assert dry.outcome == "stale" and list(dry.targets["selected"]) == [2, 2, 2]
    assert set(dry.selected["action"]) == {"would disconnect"}
    assert set(dry.selected["username"]) == {"operator"}
    assert [bmc.session_count for bmc in bmcs] == [4, 4, 4]

    done = fleet.clean(inventory, ADMIN, idle="15m", confirm=True, auth=auth, progress=False)
    assert done.outcome == "cleaned" and list(done.targets["disconnected"]) == [2, 2, 2]
    # session: root, login, sessions, 2 DELETEs, logout; Basic: sessions, 2 DELETEs
    assert list(done.targets["requests"]) == [requests] * 3
    for bmc in bmcs:
        assert sorted(s["username"] for s in bmc.sessions()) == ["student", "student"]
    again = fleet.clean(inventory, ADMIN, idle="15m", auth=auth, progress=False)
    assert again.outcome == "clean" and again.selected.empty


@pytest.mark.parametrize("auth", ["session", "auto"])
def test_audit_select_disconnect_acts_only_on_what_was_reviewed(bmcs, auth):
    for bmc in bmcs:
        plant(bmc, stale=1, fresh=1)
    inventory = inventory_of(bmcs)
    audit = fleet.collect_sessions(inventory, ADMIN, auth=auth, progress=False)
    stale = fleet.select_stale(audit, tags=["rest"])  # the audit's own REST session never matches
    assert len(stale.selected) == 3 and not stale.selected["mine"].any()
    assert list(stale.targets["selected"]) == [1, 1, 1]

    served = [bmc.request_count for bmc in bmcs]
    plan = fleet.disconnect(stale, ADMIN)  # dry run: no request at all
    assert set(plan.selected["action"]) == {"would disconnect"}
    assert [bmc.request_count for bmc in bmcs] == served and [bmc.session_count for bmc in bmcs] == [2, 2, 2]

    late = bmcs[0].create_session("operator", user_tag="REST")  # matches too, but nobody reviewed it
    bmcs[1].clear_sessions()  # the reviewed session ended by itself meanwhile
    done = fleet.disconnect(stale, ADMIN, confirm=True, auth=auth, progress=False)
    assert done.outcome == "cleaned"
    assert [s["uri"] for s in bmcs[0].sessions() if s["username"] == "operator"] == [late["uri"]]
    assert bmcs[2].session_count == 1 and bmcs[2].sessions()[0]["username"] == "student"


def test_disconnect_needs_a_selection(bmcs):
    audit = fleet.collect_sessions(inventory_of(bmcs[:1]), ADMIN, auth="auto", progress=False)
    with pytest.raises(SelectionError, match="select_stale"):
        fleet.disconnect(audit, ADMIN, confirm=True)


def test_never_disconnects_its_own_session(bmcs):
    for bmc in bmcs:
        bmc.create_session("admin", user_tag="REST")
    report = fleet.clean(
        inventory_of(bmcs), ADMIN, idle=0, users=["admin"], confirm=True, auth="session", progress=False
    )
    own = report.sessions[report.sessions["mine"].astype(bool)]
    assert set(own["action"]) == {"own session"} and not own["selected"].any()
    assert list(report.targets["disconnected"]) == [1, 1, 1]
    assert list(report.targets["status"]) == ["ok"] * 3  # the logout of its own session still worked
    assert [bmc.session_count for bmc in bmcs] == [0, 0, 0]


@pytest.mark.parametrize("auth", ["session", "auto"])
def test_a_refused_disconnect_is_reported_not_raised(bmcs, auth):
    bmc = bmcs[0]
    bmc.create_session("admin", user_tag="Web UI")
    bmc.advance_clock(20 * 60)
    operator = fleet.Credentials("operator", "operator")  # no UserConfigPriv: may not end others' sessions
    report = fleet.clean(inventory_of([bmc]), operator, idle="10m", confirm=True, auth=auth, progress=False)
    assert report.outcome == "failed"
    row = report.selected.iloc[0]
    assert row["action"] == "failed" and InsufficientPrivilege.__name__ in row["error"]
    assert int(report.targets["failed_disconnects"].iloc[0]) == 1
    assert [s["username"] for s in bmc.sessions()] == ["admin"]


def test_a_bmc_at_its_session_limit_is_cleaned_over_basic_auth():
    with MockBMC(session_limit=3) as full:
        for _ in range(3):
            full.create_session("operator", user_tag="REST")
        full.advance_clock(20 * 60)
        report = fleet.clean(
            inventory_of([full]), ADMIN, idle="15m", confirm=True, auth="session", progress=False
        )
        assert report.outcome == "cleaned" and int(report.targets["disconnected"].iloc[0]) == 3
        assert report.targets["auth"].iloc[0] == "basic (session limit reached)"
        # the root and the refused login, then over Basic: the read, 3 DELETEs
        assert report.targets["requests"].iloc[0] == 2 + 1 + 3
        assert full.session_count == 0
