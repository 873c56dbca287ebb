"""The Session resource and login headers as a bmcweb-like service writes them (Session v1_7_0).

bmcweb (``redfish-core/lib/redfish_sessions.hpp``) serves ``#Session.v1_7_0.Session`` named "User Session",
with ``UserName``, ``Roles``, ``ClientOriginIPAddress`` and ``Context`` (only when the login supplied one), and
answers the login with a *relative* ``Location`` and an ``X-Auth-Token``. Its ids and tokens are alphanumeric:
10 characters for the session id, 20 for the token (``include/sessions.hpp``). The mock adds the two other
v1_7_0 properties a teaching client wants to read — ``CreatedTime`` and ``SessionType: "Redfish"`` — which
bmcweb leaves out; the schema allows both at this version.
"""

from __future__ import annotations

import random
import secrets
import string
from typing import Any

SESSION_TYPE = "#Session.v1_7_0.Session"
SESSIONS_PATH = "/redfish/v1/SessionService/Sessions"
ID_LENGTH = 10
TOKEN_LENGTH = 20
_ALPHABET = string.ascii_letters + string.digits


def alphanumeric(length: int, rng: random.Random | None = None) -> str:
    """Random ``[A-Za-z0-9]`` characters: from :mod:`secrets`, or from ``rng`` in seeded mode."""
    if rng is None:
        return "".join(secrets.choice(_ALPHABET) for _ in range(length))
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


def session_path(session_id: str) -> str:
    return f"{SESSIONS_PATH}/{session_id}"


def session_body(
    session_id: str,
    *,
    username: str,
    role: str,
    client_ip: str,
    created: str,
    context: str | None = None,
) -> dict[str, Any]:
    """The Session resource; ``created`` is an ISO 8601 date-time with offset."""
    body: dict[str, Any] = {
        "@odata.id": session_path(session_id),
        "@odata.type": SESSION_TYPE,
        "Id": session_id,
        "Name": "User Session",
        "Description": "Manager User Session",
        "UserName": username,
        "Roles": [role],
        "ClientOriginIPAddress": client_ip,
        "CreatedTime": created,
        "SessionType": "Redfish",
    }
    if context is not None:
        body["Context"] = context
    return body


def login_headers(session_id: str, token: str) -> dict[str, str]:
    """The 201's headers: relative ``Location`` (no trailing slash) and the token."""
    return {"Location": session_path(session_id), "X-Auth-Token": token}


LOGIN_KEYS = frozenset({"UserName", "Password", "Context", "Token"})


def login_body_problems(body: object) -> list[tuple[str, tuple[str, ...]]]:
    """bmcweb's checks on the login body, as (Base message key, args): unknown keys, missing credentials.

    A body without ``UserName`` and ``Password`` is acceptable only for a client-certificate login, which the
    caller decides; here both are reported missing so the caller can drop those two entries.
    """
    if not isinstance(body, dict):
        return [("MalformedJSON", ())]
    problems: list[tuple[str, tuple[str, ...]]] = []
    for key in body:
        if key not in LOGIN_KEYS:
            problems.append(("PropertyUnknown", (str(key),)))
    for key in ("UserName", "Password"):
        value = body.get(key)
        if not isinstance(value, str) or not value:
            problems.append(("PropertyMissing", (key,)))
    context = body.get("Context")
    if context is not None and not isinstance(context, str):
        problems.append(("PropertyValueTypeError", (str(context), "Context")))
    return problems
