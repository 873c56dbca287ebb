"""The route table: case-insensitive, slash-tolerant matching, literal routes before patterns."""

from __future__ import annotations

from redfishnb.mock.routing import Route, Router, normalize


def test_routing_is_case_insensitive_and_slash_tolerant() -> None:
    router = Router(
        [
            Route("/redfish/v1/Things/Members", {"POST": (None, None)}, name="Members"),
            Route("/redfish/v1/Things/{thing_id}", {"GET": (None, "LoginPriv")}, name="Thing"),
        ]
    )
    assert router.match(normalize("/redfish/v1/things//members/"))[0].name == "Members"
    route, params = router.match(normalize("/redfish/v1/Things/Abc/"))
    assert route.name == "Thing" and params == {"thing_id": "Abc"} and route.allow == "GET, HEAD"
    assert router.match("/redfish/v1/Things/a/b") == (None, {})
