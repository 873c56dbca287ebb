"""Drive HPE's python-ilorest-library (``from redfish import RedfishClient``), unchanged, against an iLO.

Run with the peer's own venv interpreter. Reads JSON on stdin: ``url`` (port-less: the library's logout only
works without a port), ``ca_file``, ``username``, ``password`` and, for certificate login, ``cert_file`` /
``key_file`` (unencrypted: the library ignores key passphrases) plus ``unmapped_cert_file`` / ``unmapped_key_file``.
The ``scenarios`` list picks what to run. Prints one JSON object of observations on its last stdout line; tokens
are reported by length and shape only.

Server certificates are verified: ``ca_certs`` (the mock's CA) switches on the library's CERT_REQUIRED and host
name check. The library's defaults (4800 s timeouts, 50 retries) would turn a stuck service into an 80-minute hang, so the
driver passes bounded ``timeout``/``retries``, which the library hands to urllib3 as documented.
"""

from __future__ import annotations

import json
import sys

import loopback_only
from observe import member_paths, token_shape

loopback_only.install()

import urllib3  # noqa: E402
from redfish import RedfishClient  # noqa: E402
from redfish.rest.connections import InvalidCertificateError  # noqa: E402
from redfish.rest.v1 import InvalidCredentialsError  # noqa: E402

LIMITS = {
    "timeout": urllib3.Timeout(connect=5, read=20),
    "retries": urllib3.Retry(connect=1, read=0, status=0, redirect=3),
}


def _client(cfg: dict, **kwargs) -> RedfishClient:
    ca_cert_data = {"ca_certs": cfg["ca_file"], **kwargs.pop("ca_cert_data", {})}
    return RedfishClient(base_url=cfg["url"], ca_cert_data=ca_cert_data, **LIMITS, **kwargs)


def _stale_status(cfg: dict, token: str) -> int:
    """What the service answers to a token the client has just logged out (via urllib3, outside the library)."""
    pool = urllib3.PoolManager(
        cert_reqs="CERT_REQUIRED", ca_certs=cfg["ca_file"], timeout=LIMITS["timeout"], retries=False
    )
    return pool.request("GET", cfg["url"] + "/redfish/v1/Systems/", headers={"X-Auth-Token": token}).status


def _session_facts(c: RedfishClient, cfg: dict) -> dict:
    """Observations while logged in with a session, then after logout()."""
    token, location = c.session_key, c.session_location
    sessions = c.get(c.login_url)
    my_session = (
        sessions.dict.get("Oem", {}).get("Hpe", {}).get("Links", {}).get("MySession", {}).get("@odata.id")
    )
    mine = c.get(location)
    out = {
        "token": token_shape(token),
        "location": location,
        "systems_status": c.get("/redfish/v1/Systems/").status,
        "sessions_status": sessions.status,
        "own_session_listed": location.rstrip("/") in member_paths(sessions.dict),
        "my_session_matches": (my_session or "").rstrip("/") == location.rstrip("/"),
        "own_session_status": mine.status,
        "own_session_username": mine.dict.get("UserName"),
        "own_session_user_tag": mine.dict.get("Oem", {}).get("Hpe", {}).get("UserTag"),
    }
    c.logout()
    out["key_after_logout"] = c.session_key
    out["stale_token_status"] = _stale_status(cfg, token)
    return out


def basic(cfg: dict) -> dict:
    c = _client(cfg, username=cfg["username"], password=cfg["password"])
    c.login(auth="basic")
    systems = c.get("/redfish/v1/Systems/")
    sessions = c.get(c.login_url)
    out = {
        "systems_status": systems.status,
        "sessions_status": sessions.status,
        "sessions_members": len(sessions.dict.get("Members", [])),
        "session_key": c.session_key,
    }
    c.logout()
    return out


def session(cfg: dict) -> dict:
    c = _client(cfg, username=cfg["username"], password=cfg["password"])
    c.login(auth="session")
    return {"login_url": c.login_url, **_session_facts(c, cfg)}


def bad_password(cfg: dict) -> dict:
    c = _client(cfg, username=cfg["username"], password=cfg["password"] + "-wrong")
    try:
        c.login(auth="session")
    except InvalidCredentialsError as exc:
        return {"raised": "InvalidCredentialsError", "message_mentions_password": cfg["password"] in str(exc)}
    except Exception as exc:
        return {"raised": type(exc).__name__}
    c.logout()
    return {"raised": None}


def certificate(cfg: dict) -> dict:
    c = _client(cfg, ca_cert_data={"cert_file": cfg["cert_file"], "key_file": cfg["key_file"]})
    c.login(auth="certificate")
    # The mapped user is ReadOnly: a write must be refused however the session was opened.
    write_status = c.patch("/redfish/v1/SessionService/", body={"SessionTimeout": 1800}).status
    return {"write_status": write_status, **_session_facts(c, cfg)}


def certificate_unmapped(cfg: dict) -> dict:
    c = _client(
        cfg, ca_cert_data={"cert_file": cfg["unmapped_cert_file"], "key_file": cfg["unmapped_key_file"]}
    )
    try:
        c.login(auth="certificate")
    except InvalidCertificateError:
        return {"raised": "InvalidCertificateError"}
    except Exception as exc:
        return {"raised": type(exc).__name__}
    c.logout()
    return {"raised": None}


def generation(cfg: dict) -> dict:
    """How the library tells the iLO generation (``get_gen``, ``iLO7VersionCheck``), then a session's reads."""
    from redfish.ris.gen_compat import Typesandpathdefines

    c = _client(cfg, username=cfg["username"], password=cfg["password"])
    c.login(auth="session")
    ilogen, iloversion = c.get_gen()
    service = c.get("/redfish/v1/AccountService/")
    app_link = service.dict.get("Oem", {}).get("Hpe", {}).get("AppAccounts", {}).get("@odata.id")
    out = {
        "ilogen": str(ilogen),
        "iloversion": iloversion,
        "ilo7_check": Typesandpathdefines().iLO7VersionCheck(c.root.obj),
        "app_accounts_status": c.get(app_link).status if app_link else None,
        **_session_facts(c, cfg),
    }
    return out


SCENARIOS = {
    f.__name__: f for f in (basic, session, bad_password, certificate, certificate_unmapped, generation)
}


def main() -> None:
    cfg = json.load(sys.stdin)
    print(json.dumps({name: SCENARIOS[name](cfg) for name in cfg["scenarios"]}))


if __name__ == "__main__":
    main()
