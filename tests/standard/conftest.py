"""Fixtures for the client against a DMTF-standard service: the ``openbmc`` mock flavour and fake wires.

``openbmc``: a started ``MockBMC(flavor="openbmc")``; at teardown it asserts **zero sessions left**, so every test
also proves the client logged out. ``admin``: an administrator session on it, for setting the service up
(trusted CAs, mapping attribute, TOTP, lockout), closed before the zero-sessions check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from redfishnb import RedfishClient, connect
from redfishnb.mock import MockBMC

OPENBMC_ROOT = {
    "@odata.id": "/redfish/v1/",
    "RedfishVersion": "1.17.0",
    "Vendor": "OpenBMC",
    "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}},
}
SESSIONS = "/redfish/v1/SessionService/Sessions"


@pytest.fixture
def openbmc() -> Iterator[MockBMC]:
    with MockBMC(flavor="openbmc") as bmc:
        yield bmc
        assert bmc.session_count == 0, f"sessions left on the mock BMC: {bmc.sessions()}"


@pytest.fixture
def admin(openbmc: MockBMC) -> Iterator[RedfishClient]:
    with connect(openbmc.url, "admin", "password", verify=openbmc.ca_file) as client:
        yield client


class FakeResponse:
    """What an auth object reads of an answer."""

    def __init__(self, status: int, headers: dict[str, str] | None = None, json: Any = None) -> None:
        self.status, self.headers, self.json, self.url, self.method = status, headers or {}, json, "", "POST"

    def raise_for_error(self) -> FakeResponse:
        assert self.status < 400, self.status
        return self


class FakeWire:
    """The client's send path as an auth object sees it: answers from a list (an exception is raised), and a
    record of what was sent: (method, path, json, auth class name, client_cert)."""

    url = "https://10.0.0.9"
    login_uri = SESSIONS
    login_delay = None

    def __init__(self, *answers: Any) -> None:
        self.answers, self.sent = list(answers), []

    def send(
        self, method: str, path: str, *, json: Any = None, auth: Any = None, client_cert: bool = False
    ) -> Any:
        self.sent.append((method, path, json, type(auth).__name__ if auth is not None else None, client_cert))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def base_error(status: int, key: str, *args: str) -> dict[str, Any]:
    """An error body as a bmcweb-like service writes it (full DMTF messages)."""
    item = {"MessageId": f"Base.1.19.{key}", "Message": f"{key} happened.", "MessageArgs": list(args)}
    return {"error": {"code": item["MessageId"], "message": item["Message"], "@Message.ExtendedInfo": [item]}}


def created(token: str = "AbCdEfGhIj0123456789", session_id: str = "Ab3dE6gH9j", **body: Any) -> FakeResponse:
    """A bmcweb login answer: 201, relative Location, token, the Session body."""
    uri = f"{SESSIONS}/{session_id}"
    return FakeResponse(201, {"X-Auth-Token": token, "Location": uri}, {"@odata.id": uri, **body})
