"""OData query options (only, $expand, $select) as pure functions."""

from __future__ import annotations

import pytest

from redfishnb.mock import query
from redfishnb.mock.wire import Problem


def _status(q: list) -> int:
    with pytest.raises(Problem) as info:
        query.parse(q)
    return info.value.status


def test_parse_accepts_ilo_forms() -> None:
    assert query.parse([("only", None)]).only
    for value in (".", "*", ".($levels=1)", "*($levels=1)"):
        assert query.parse([("$expand", value)]).expand
    assert query.parse([("$select", "Id,Oem/Hpe")]).select == ["Id", "Oem/Hpe"]
    assert not query.parse([("foo", "bar")]).any  # unknown options without $ are ignored


def test_parse_refusals() -> None:
    assert _status([("only", "foo")]) == 400
    assert _status([("$expand", "..")]) == 400
    assert _status([("$expand", ".($levels=2)")]) == 400
    assert _status([("$expand", "~")]) == 501
    assert _status([("$top", "2")]) == 501
    assert _status([("$select", "a b")]) == 400


def test_expand_skips_links_and_select_keeps_odata() -> None:
    body = {
        "@odata.id": "/a",
        "Child": {"@odata.id": "/c"},
        "Links": {"Up": {"@odata.id": "/u"}},
        "Members": [{"@odata.id": "/m"}],
    }
    out = query.expand(body, lambda p: {"@odata.id": p, "Full": True})
    assert out["Child"]["Full"] and out["Members"][0]["Full"] and out["Links"] == body["Links"]
    assert query.select({"@odata.id": "/a", "A": 1, "B": {"C": 2, "D": 3}}, ["B/C"]) == {
        "@odata.id": "/a",
        "B": {"C": 2},
    }
    assert query.is_single_member_collection({"Members": [{"@odata.id": "/x"}]}) == "/x"
    assert query.is_single_member_collection({"Members": [{}, {}]}) is None
