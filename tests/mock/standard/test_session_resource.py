"""Session v1_7_0 body, login headers and login-body checks."""

from __future__ import annotations

import random

from redfishnb.mock.standard.session_resource import (
    alphanumeric,
    login_body_problems,
    login_headers,
    session_body,
)


def test_body_and_headers() -> None:
    body = session_body(
        "Ab3dE6gH9j",
        username="admin",
        role="Administrator",
        client_ip="127.0.0.1",
        created="2026-01-01T00:00:00+00:00",
        context="nb-1",
    )
    assert body["@odata.type"] == "#Session.v1_7_0.Session"
    assert (
        body["Roles"] == ["Administrator"] and body["SessionType"] == "Redfish" and body["Context"] == "nb-1"
    )
    assert "Password" not in body and "Token" not in body
    assert "Context" not in session_body("x", username="a", role="ReadOnly", client_ip="::1", created="c")
    assert login_headers("Ab3dE6gH9j", "t")["Location"] == "/redfish/v1/SessionService/Sessions/Ab3dE6gH9j"


def test_alphanumeric_is_seedable() -> None:
    assert alphanumeric(20, random.Random(1)) == alphanumeric(20, random.Random(1))
    assert len(alphanumeric(10)) == 10 and alphanumeric(20).isalnum()


def test_login_body_problems() -> None:
    assert login_body_problems({"UserName": "a", "Password": "b", "Context": "c", "Token": "1"}) == []
    assert login_body_problems({}) == [("PropertyMissing", ("UserName",)), ("PropertyMissing", ("Password",))]
    assert ("PropertyUnknown", ("Extra",)) in login_body_problems(
        {"UserName": "a", "Password": "b", "Extra": 1}
    )
    assert login_body_problems({"UserName": "a"}) == [("PropertyMissing", ("Password",))]
    assert login_body_problems([]) == [("MalformedJSON", ())]
