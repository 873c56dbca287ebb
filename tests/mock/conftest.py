"""Fixtures for the mock BMC tests: a started BMC per test and a small `requests` helper.

Tests drive the mock with plain ``requests`` (``verify`` passed per request: REQUESTS_CA_BUNDLE is set in this
environment and would override a session-wide setting), so they do not depend on the kit's client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from redfishnb.mock import MockBMC

SESSIONS = "/redfish/v1/SessionService/Sessions/"


class Caller:
    """Send requests to one mock BMC, verifying its certificate with its CA file."""

    def __init__(self, bmc: MockBMC) -> None:
        self.bmc = bmc
        self.http = requests.Session()
        self.http.trust_env = False

    def __call__(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["X-Auth-Token"] = token
        url = path if path.startswith("https://") else self.bmc.url + path
        return self.http.request(
            method, url, headers=hdrs, auth=auth, verify=self.bmc.ca_file, timeout=10, **kwargs
        )

    def login(self, username: str = "admin", password: str = "password") -> tuple[str, str]:
        r = self("POST", SESSIONS, json={"UserName": username, "Password": password})
        assert r.status_code == 201, r.text
        return r.headers["X-Auth-Token"], r.headers["Location"]


def serve(flavor: str) -> Iterator[MockBMC]:
    """A started, seeded mock of ``flavor`` for one test."""
    with MockBMC(flavor, seed=7) as b:
        yield b


def calling(bmc: MockBMC) -> Iterator[Caller]:
    """A :class:`Caller` for ``bmc``, closed after the test."""
    c = Caller(bmc)
    yield c
    c.http.close()


@pytest.fixture
def bmc() -> Iterator[MockBMC]:
    yield from serve("ilo6")


@pytest.fixture
def rmc() -> Iterator[MockBMC]:
    yield from serve("rmc")


@pytest.fixture
def ilo7() -> Iterator[MockBMC]:
    yield from serve("ilo7")


@pytest.fixture
def call(bmc: MockBMC) -> Iterator[Caller]:
    yield from calling(bmc)


@pytest.fixture
def rmc_call(rmc: MockBMC) -> Iterator[Caller]:
    yield from calling(rmc)


@pytest.fixture
def call7(ilo7: MockBMC) -> Iterator[Caller]:
    yield from calling(ilo7)
