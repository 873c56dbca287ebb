"""``Router.put``: a flavour's route replaces the generic route of the same pattern, else it is appended."""

from __future__ import annotations

from typing import Any

from redfishnb.mock.routing import Route, Router


def _handler(tag: str) -> Any:
    return lambda ctx: tag


def test_put_replaces_same_pattern_and_appends_new() -> None:
    router = Router(
        [Route("/a", {"GET": (_handler("generic"), None)}), Route("/b/{x}", {"GET": (_handler("b"), None)})]
    )
    router.put(Route("/a", {"GET": (_handler("flavour"), None)}))
    router.put(Route("/b/{x}/c", {"GET": (_handler("c"), None)}))
    route, _ = router.match("/a")
    assert route is not None and route.methods["GET"][0](None) == "flavour"
    assert [r.pattern for r in router.routes] == ["/a", "/b/{x}", "/b/{x}/c"]
    route, params = router.match("/b/1/c")
    assert route is not None and params == {"x": "1"}
