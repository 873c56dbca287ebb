"""Durations and selection criteria: local decisions, no request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from redfishnb import fleet
from redfishnb.errors import SelectionError


def test_parse_duration():
    assert fleet.parse_duration("30m") == timedelta(minutes=30)
    assert fleet.parse_duration("1h30m") == timedelta(minutes=90)
    assert fleet.parse_duration("2d") == timedelta(days=2)
    assert fleet.parse_duration(45) == timedelta(seconds=45)
    assert fleet.parse_duration("90") == timedelta(seconds=90)
    for bad in ("", "soon", "30x", "m30", "-5m"):
        with pytest.raises(SelectionError):
            fleet.parse_duration(bad)


def test_selection_never_matches_the_callers_own_session():
    selection = fleet.Selection.build(idle=0, users=["admin"], tags=["REST"])
    row = {"uri": "/s/1", "username": "admin", "user_tag": "REST", "idle": timedelta(hours=9)}
    assert selection.matches("bmc", {**row, "mine": False})
    assert not selection.matches("bmc", {**row, "mine": True})
    assert not selection.matches("bmc", {**row, "mine": False, "idle": None})  # unknown idle never matches
    with pytest.raises(SelectionError):
        fleet.Selection.build()


def test_selection_criteria_all_hold_and_describe_themselves():
    selection = fleet.Selection.build("1h30m", users="Operator", tags=["rest", "Web UI"])
    row = {
        "uri": "/s/1",
        "username": "operator",
        "user_tag": "REST",
        "idle": timedelta(hours=2),
        "mine": False,
    }
    assert selection.matches("bmc", row)
    assert not selection.matches("bmc", {**row, "username": "student"})
    assert not selection.matches("bmc", {**row, "user_tag": "Console"})
    assert not selection.matches("bmc", {**row, "idle": timedelta(minutes=89)})
    assert selection.describe() == (
        "idle >= 1h30m and user in operator and tag in rest, web ui (never the caller's own session)"
    )


def _row(**values):
    base = {"uri": "/s/1", "username": "operator", "mine": False, "access_time": None, "idle": None}
    return {**base, **values}


def test_older_than_measures_the_age_and_names_the_property_it_was_read_from():
    selection = fleet.Selection.build(older_than="8h")
    created = _row(age=timedelta(hours=9), age_from="CreatedTime")
    assert selection.matches("bmc", created)
    assert not selection.matches("bmc", {**created, "age": timedelta(hours=7)})
    assert selection.describe() == "older than 8h (never the caller's own session)"
    assert selection.rule([created]) == "older than 8h by CreatedTime"
    assert fleet.Selection.build(older_than="8h").refusal([created]) is None


def test_a_criterion_the_sessions_cannot_answer_is_refused_not_matched_by_nothing():
    standard = [_row(age=timedelta(hours=1), age_from="CreatedTime"), _row(mine=True)]
    refused = fleet.Selection.build(idle="30m").refusal(standard)
    assert isinstance(refused, fleet.UnsupportedSelection) and isinstance(refused, SelectionError)
    assert "sessions carry no AccessTime" in refused.message and "--older-than" in refused.message
    assert "by CreatedTime" in refused.message and refused.hint
    ageless = fleet.Selection.build(older_than="1h").refusal([_row(), _row(age=timedelta(hours=2))])
    assert ageless is not None and "1 of this BMC's 2 sessions carry neither CreatedTime" in ageless.message
    # the caller's own session is never judged, and a BMC without other sessions has nothing to refuse
    assert fleet.Selection.build(idle="30m").refusal([_row(mine=True)]) is None
    assert fleet.Selection.build(users="operator").refusal(standard) is None
