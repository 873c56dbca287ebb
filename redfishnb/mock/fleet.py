"""MockFleet: N independent mock BMCs on consecutive ports, for fleet audits and their benchmark.

All members share one lab CA, so one ``ca_file`` verifies every BMC; each has its own server certificate,
sessions, accounts and clock. With ``seed``, member *i* uses ``seed + i`` so their tokens differ but repeat
from run to run. ``flavor`` may be a list (or ``"ilo6,ilo7,rmc"``): member *i* gets flavour ``i % len(list)``,
so a mixed fleet teaches what an audit meets in a real data centre.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..certs import LabCA
from .bmc import MockBMC
from .flavors import Flavor, parse_flavor_list


class MockFleet:
    """``with MockFleet(count=50, latency_ms=50) as fleet: fleet.urls``"""

    def __init__(
        self,
        count: int,
        *,
        port: int = 0,
        seed: int | None = None,
        flavor: str | Flavor | Sequence[str | Flavor] = "ilo6",
        **kwargs: Any,
    ) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self.count = count
        self.flavors: list[Flavor] = parse_flavor_list(flavor)  # cycled over the members
        self._port = port
        self._seed = seed
        self._kwargs = kwargs
        self.bmcs: list[MockBMC] = []
        self.ca: LabCA | None = None

    def start(self) -> MockFleet:
        if self.bmcs:
            return self
        self.ca = LabCA.create("redfishnb mock fleet CA")
        if self._port:
            self._start_at(self._port)
            return self
        for _ in range(30):
            base = random.randrange(20000, 60000 - self.count)
            try:
                self._start_at(base)
                return self
            except OSError:
                continue
        raise OSError(f"could not find {self.count} free consecutive ports on loopback")

    def _start_at(self, base: int) -> None:
        try:
            for i in range(self.count):
                seed = None if self._seed is None else self._seed + i
                flavor = self.flavors[i % len(self.flavors)]
                bmc = MockBMC(flavor, port=base + i, seed=seed, ca=self.ca, **self._kwargs)
                bmc.start()
                self.bmcs.append(bmc)
        except OSError:
            self.stop()
            raise

    def stop(self) -> None:
        bmcs, self.bmcs = self.bmcs, []
        if not bmcs:
            return
        # Each server notices a shutdown at its next poll; stopping them side by side keeps 50 BMCs under a second.
        with ThreadPoolExecutor(max_workers=min(16, len(bmcs))) as pool:
            list(pool.map(MockBMC.stop, bmcs))

    close = stop

    def __enter__(self) -> MockFleet:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __iter__(self) -> Iterator[MockBMC]:
        return iter(self.bmcs)

    def __len__(self) -> int:
        return len(self.bmcs)

    def __getitem__(self, index: int) -> MockBMC:
        return self.bmcs[index]

    @property
    def urls(self) -> list[str]:
        return [b.url for b in self.bmcs]

    @property
    def ca_file(self) -> str:
        return self.bmcs[0].ca_file if self.bmcs else ""

    @property
    def request_count(self) -> int:
        return sum(b.request_count for b in self.bmcs)

    @property
    def session_count(self) -> int:
        return sum(b.session_count for b in self.bmcs)

    def __repr__(self) -> str:
        if not self.bmcs:
            return f"<MockFleet of {self.count} (stopped)>"
        return f"<MockFleet of {len(self.bmcs)}: {self.bmcs[0].url} … {self.bmcs[-1].url}>"
