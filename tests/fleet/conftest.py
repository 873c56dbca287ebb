"""Fixtures for the fleet tests: a small mock fleet, inventories of it, planted sessions, a BMC refusing Basic.

The BMCs are real HTTPS mock servers; stale sessions are made with the mock's clock, not by sleeping.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from redfishnb import fleet
from redfishnb.mock import MockBMC, MockFleet

ADMIN = fleet.Credentials("admin", "password")


@pytest.fixture(scope="module")
def mock_fleet() -> Iterator[MockFleet]:
    with MockFleet(count=3) as bmcs:
        yield bmcs


@pytest.fixture
def bmcs(mock_fleet: MockFleet) -> Iterator[list[MockBMC]]:
    """The fleet's BMCs with no session left over from another test; fails if a run left its own session."""
    for bmc in mock_fleet.bmcs:
        bmc.clear_sessions()
    yield mock_fleet.bmcs
    for bmc in mock_fleet.bmcs:
        assert not [s for s in bmc.sessions() if s["username"] == "admin" and s["user_tag"] == "REST"], (
            "the fleet run left its own session open"
        )
        bmc.clear_sessions()


def inventory_of(bmcs: list[MockBMC], **extra: Any) -> list[fleet.Target]:
    return fleet.load_inventory(
        [{"name": f"bmc{i}", "url": bmc.url, "verify": bmc.ca_file, **extra} for i, bmc in enumerate(bmcs)]
    )


def plant(bmc: MockBMC, *, stale: int, fresh: int, stale_user: str = "operator", fresh_user: str = "student",
          idle_s: int = 20 * 60) -> None:  # fmt: skip
    """``stale`` sessions idle for ``idle_s`` seconds and ``fresh`` ones just used."""
    for _ in range(stale):
        bmc.create_session(stale_user, user_tag="REST")
    bmc.advance_clock(idle_s)
    for _ in range(fresh):
        bmc.create_session(fresh_user, user_tag="Web UI")


@pytest.fixture
def dead_url() -> Iterator[str]:
    """The URL of a BMC that is off: a loopback port that refuses connections. The port stays bound (never
    listened on) for the whole test, so no other process on the machine — a second run of the suite — can start
    a server there meanwhile, as it could on the port of a stopped mock."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"https://127.0.0.1:{held.getsockname()[1]}"


@pytest.fixture
def refuse_basic(monkeypatch: pytest.MonkeyPatch) -> Callable[[MockBMC], None]:
    """``refuse_basic(bmc)``: that BMC answers Basic credentials with 401 and no Basic challenge, as a BMC whose
    AccountService has ``HTTPBasicAuth: Disabled`` does (iLO has no such switch; the openbmc flavour has, see
    test_mixed.py); sessions still work."""
    from redfishnb.mock.flavors.model import Flavor
    from redfishnb.mock.wire import Problem

    refusing: set[int] = set()
    real_hook = Flavor.hook

    def hook(flavor: Flavor, name: str) -> Callable[..., Any]:
        real = real_hook(flavor, name)
        if name != "authenticate":
            return real

        def authenticate(state: Any, request: Any) -> Any:
            basic = request.headers.get("authorization") and not request.headers.get("x-auth-token")
            if id(state) in refusing and basic:
                raise Problem(401, "NoValidSession")
            return real(state, request)

        return authenticate

    monkeypatch.setattr(Flavor, "hook", hook)
    return lambda bmc: refusing.add(id(bmc.state))
