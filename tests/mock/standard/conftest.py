"""Fixtures for the openbmc flavour's end-to-end tests: a started ``MockBMC("openbmc")`` and a requests helper.

Requests go out with plain ``requests`` on loopback, verifying the mock's certificate with its CA file; a client
certificate, when a test needs one, is passed per request (``cert=``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from redfishnb.certs import KeyPair, LabCA
from redfishnb.mock import MockBMC
from redfishnb.mock.standard.client_pki import issue_client

from ..conftest import Caller as BaseCaller

SESSIONS = "/redfish/v1/SessionService/Sessions"
ACCOUNT_SERVICE = "/redfish/v1/AccountService"
ACCOUNTS = f"{ACCOUNT_SERVICE}/Accounts"
TRUSTSTORE = "/redfish/v1/Managers/bmc/Truststore/Certificates"
ADMIN = ("admin", "password")
SEEDED_NOT_BEFORE = _dt.datetime(2025, 6, 1, tzinfo=_dt.timezone.utc)  # before the seeded clock's 2026-01-01


def make_bmc(**kwargs: Any) -> MockBMC:
    return MockBMC("openbmc", seed=11, **kwargs)


class Caller(BaseCaller):
    """The mock tests' request helper, plus an administrator's AccountService PATCH."""

    def patch_service(self, body: dict[str, Any]) -> requests.Response:
        r = self("PATCH", ACCOUNT_SERVICE, auth=ADMIN, json=body)
        assert r.status_code == 200, r.text
        return r


def message_ids(response: requests.Response) -> list[str]:
    """Every MessageId in the body, at the root or under ``error``, as ``Key`` (version stripped)."""
    body = response.json()
    items = body.get("@Message.ExtendedInfo", []) + body.get("error", {}).get("@Message.ExtendedInfo", [])
    return [str(item["MessageId"]).rsplit(".", 1)[-1] for item in items]


@pytest.fixture
def obmc() -> Iterator[MockBMC]:
    with make_bmc() as bmc:
        yield bmc


@pytest.fixture
def call(obmc: MockBMC) -> Iterator[Caller]:
    caller = Caller(obmc)
    yield caller
    caller.http.close()


def write_pair(pair: KeyPair, directory: Path, stem: str) -> tuple[str, str]:
    crt, key = pair.write(directory, stem)
    return str(crt), str(key)


def client_cert(ca: LabCA, directory: Path, name: str, *, upn: str | None = None) -> tuple[str, str]:
    """A client certificate valid on the seeded clock, written for ``requests``' ``cert=``."""
    pair = issue_client(ca, name, upn=upn, not_before=SEEDED_NOT_BEFORE)
    return write_pair(pair, directory, name.replace("@", "_"))
