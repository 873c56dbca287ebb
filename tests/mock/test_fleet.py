"""MockFleet: consecutive ports, one CA, and per-request latency that does not serialise the fleet."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from redfishnb.mock import MockFleet


def test_latency_sleeps_in_worker_threads() -> None:
    with MockFleet(3, latency_ms=200) as fleet:
        assert len(set(fleet.urls)) == 3
        ports = [b.port for b in fleet]
        assert ports == list(range(ports[0], ports[0] + 3))
        results: list[float] = []

        def hit(url: str) -> None:
            start = time.monotonic()
            for _ in range(2):
                requests.get(url + "/redfish/v1/", verify=fleet.ca_file, timeout=5)
            results.append(time.monotonic() - start)

        threads = [threading.Thread(target=hit, args=(u,)) for u in fleet.urls * 2]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        assert min(results) >= 0.4  # each request really waited
        assert elapsed < 1.6  # 12 requests × 200 ms did not run one after another
        assert fleet.request_count == 12


def test_fleet_members_are_independent_and_seeded() -> None:
    with MockFleet(2, seed=10) as fleet:
        first = fleet[0].create_session("admin")
        assert fleet[0].session_count == 1 and fleet[1].session_count == 0
        second = fleet[1].create_session("admin")
        assert first.token != second.token  # member i uses seed + i
        assert "MockFleet of 2" in repr(fleet)
        for bmc in fleet:
            bmc.clear_sessions()
    assert len(fleet) == 0


def test_mixed_fleet_cycles_flavours() -> None:
    with MockFleet(5, flavor="ilo6,ilo7,rmc", seed=3) as fleet:
        assert [b.flavor.name for b in fleet] == ["ilo6", "ilo7", "rmc", "ilo6", "ilo7"]
        products = [
            requests.get(b.url + "/redfish/v1/", verify=fleet.ca_file, timeout=10).json()["Product"]
            for b in fleet
        ]
    assert products[:3] == ["ProLiant DL360 Gen11", "ProLiant DL360 Gen12", "Superdome Flex 280"]


def test_fleet_flavour_list_is_checked() -> None:
    with pytest.raises(ValueError, match="flavor"):
        MockFleet(2, flavor="ilo6,nope")
    with pytest.raises(ValueError, match="flavor"):
        MockFleet(2, flavor="ilo6,,rmc")
