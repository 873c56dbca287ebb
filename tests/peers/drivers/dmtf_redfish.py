"""Drive DMTF's python-redfish-library (``redfish``), unchanged, against a Redfish service.

Run with the peer's own venv interpreter. Reads ``{"url", "ca_file", "username", "password"}`` as JSON on stdin,
goes through the flows a lab or runbook uses (basic, session, context manager, wrong password) and prints one JSON
object of observations on its last stdout line. Tokens are reported by length and shape only, never printed.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import loopback_only
from observe import member_paths, token_shape

loopback_only.install()

import redfish  # noqa: E402
import requests  # noqa: E402  (after the guard, like the client itself)
from redfish.rest.v1 import InvalidCredentialsError  # noqa: E402

TIMEOUT = 15


def _client(cfg: dict, password: str | None = None):
    return redfish.redfish_client(
        base_url=cfg["url"],
        username=cfg["username"],
        password=cfg["password"] if password is None else password,
        cafile=cfg["ca_file"],
        timeout=TIMEOUT,
        max_retry=1,
    )


def basic(cfg: dict) -> dict:
    c = _client(cfg)
    c.login(auth="basic")
    systems = c.get("/redfish/v1/Systems/")
    sessions = c.get(c.login_url)
    out = {
        "systems_status": systems.status,
        "systems_members": len(systems.dict.get("Members", [])),
        "sessions_status": sessions.status,
        "sessions_members": len(sessions.dict.get("Members", [])),
        "session_key_after_login": c.get_session_key() is not None,
    }
    c.logout()
    return out


def session(cfg: dict) -> dict:
    c = _client(cfg)
    c.login(auth="session")
    token, location = c.get_session_key(), c.get_session_location()
    path = urlsplit(location).path.rstrip("/")
    systems = c.get("/redfish/v1/Systems/")
    sessions = c.get(c.login_url)
    mine = c.get(path)
    out = {
        "login_url": c.login_url,
        "token": token_shape(token),
        "location": location,
        "systems_status": systems.status,
        "sessions_status": sessions.status,
        "own_session_listed": path in member_paths(sessions.dict),
        "own_session_status": mine.status,
        "own_session_username": mine.dict.get("UserName"),
    }
    c.logout()
    out["key_after_logout"] = c.get_session_key()
    # The library forgot the token; the service must have forgotten it too.
    stale = requests.get(
        cfg["url"] + "/redfish/v1/Systems/",
        headers={"X-Auth-Token": token},
        verify=cfg["ca_file"],
        timeout=TIMEOUT,
    )
    out["stale_token_status"] = stale.status_code
    return out


def context_manager(cfg: dict) -> dict:
    with _client(cfg) as c:
        status = c.get("/redfish/v1/Managers/").status
        listed = len(c.get(c.login_url).dict.get("Members", []))
    return {"managers_status": status, "sessions_while_open": listed}


def bad_password(cfg: dict) -> dict:
    out = {}
    for auth in ("session", "basic"):
        c = _client(cfg, password=cfg["password"] + "-wrong")
        try:
            c.login(auth=auth)
        except InvalidCredentialsError as exc:
            out[auth] = {
                "raised": "InvalidCredentialsError",
                "message_mentions_password": cfg["password"] in str(exc),
            }
        except Exception as exc:  # any other exception is a finding, not a crash of the driver
            out[auth] = {"raised": type(exc).__name__}
        else:
            out[auth] = {"raised": None}
            c.logout()
    return out


def main() -> None:
    cfg = json.load(sys.stdin)
    result = {
        "version": redfish.__version__ if hasattr(redfish, "__version__") else None,
        "basic": basic(cfg),
        "session": session(cfg),
        "context_manager": context_manager(cfg),
        "bad_password": bad_password(cfg),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
