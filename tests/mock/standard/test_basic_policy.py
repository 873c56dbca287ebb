"""HTTPBasicAuth states: acceptance and the 401 challenge."""

from __future__ import annotations

from redfishnb.mock.standard.basic_policy import (
    DEFAULT,
    BasicAuthState,
    accepts_basic,
    challenge_headers,
    parse,
)


def test_states() -> None:
    assert DEFAULT is BasicAuthState.ENABLED
    assert accepts_basic(BasicAuthState.ENABLED) and accepts_basic(BasicAuthState.UNADVERTISED)
    assert not accepts_basic(BasicAuthState.DISABLED)
    assert challenge_headers(BasicAuthState.ENABLED, {})["WWW-Authenticate"].startswith("Basic")
    assert challenge_headers(BasicAuthState.ENABLED, {"X-Requested-With": "XMLHttpRequest"}) == {}
    assert challenge_headers(BasicAuthState.UNADVERTISED, {}) == {}
    assert challenge_headers(BasicAuthState.DISABLED, {}) == {}


def test_parse() -> None:
    assert parse("Unadvertised") is BasicAuthState.UNADVERTISED
    assert parse("enabled") is None and parse(1) is None
