"""Frames read live from a BMC: its sessions, accounts and privileges, in as few requests as it allows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..records import Account, Collection, Session, bmc_now, my_session_uri, read_collection, service_root
from ..records import sessions_uri as find_sessions_uri
from .frames import build_accounts_frame, build_privileges_frame, build_sessions_frame, has_ilo_privileges

__all__ = ["accounts_frame", "privileges_frame", "read_accounts", "read_sessions", "sessions_frame"]

_ACCOUNTS = "/redfish/v1/AccountService/Accounts/"
#: Where DSP0266 (and every service the kit knows) keeps the Role resources.
ROLES_URI = "/redfish/v1/AccountService/Roles/"


def read_sessions(client: Any, *, workers: int = 4) -> tuple[Collection, list[Session]]:
    """The sessions collection the service root names, and its members as records."""
    root = service_root(client)
    collection = read_collection(client, find_sessions_uri(root), root=root, workers=workers)
    return collection, [Session.from_json(m) for m in collection.members]


def sessions_frame(client: Any, *, now: Any = None) -> pd.DataFrame:
    """The BMC's sessions, one row each (see :func:`build_sessions_frame` for the columns).

    Costs one request on a service that advertises ``$expand`` (plus one for the service root if the client
    has not cached it), otherwise one plus one per session, a few at a time. Listing other users' sessions may
    need UserConfigPriv on iLO; a 403 is raised as :class:`~redfishnb.errors.InsufficientPrivilege`.
    Your own session is iLO's MySession; on a DMTF-standard service, which has no such flag, it is the session at
    the URI the client got at login (bmcweb's ``Location`` is a path: URIs are compared as paths).
    ``frame.attrs`` holds ``now`` (the BMC's clock: see :func:`redfishnb.records.bmc_now`), ``my_session_uri``,
    ``model`` (which columns: see :func:`build_sessions_frame`) and ``requests``.
    """
    collection, sessions = read_sessions(client)
    mine = my_session_uri(collection.body, getattr(client, "session_uri", None))
    if now is None:
        now = bmc_now(collection.date, sessions)
    frame = build_sessions_frame(sessions, my_session_uri=mine, now=now)
    frame.attrs["requests"] = collection.requests
    return frame


def read_accounts(client: Any) -> list[Account]:
    """The BMC's local accounts as records (reading them may need UserConfigPriv on iLO)."""
    return [Account.from_json(m) for m in read_collection(client, _ACCOUNTS).members]


def accounts_frame(client: Any) -> pd.DataFrame:
    """The BMC's local accounts, one row each (see :func:`build_accounts_frame`)."""
    return build_accounts_frame(read_accounts(client))


def _my_session_account(client: Any) -> Account:
    """The caller's own session seen as an account: its user, role and (on iLO) privileges."""
    body = client.my_session()
    session = Session.from_json(body.json if hasattr(body, "json") else body)
    return Account(username=session.username, role_id=session.role, privileges=session.privileges)


def privileges_frame(client: Any, *, of: str = "accounts") -> pd.DataFrame:
    """Privileges as a boolean matrix indexed by (Role, UserName).

    ``of="accounts"`` covers every local account (reading accounts may need UserConfigPriv);
    ``of="session"`` covers only the caller's own session, which any logged-in user may read — useful to see
    what *you* may do before an operation fails with 403.
    """
    root = service_root(client)
    if of == "session":
        account = _my_session_account(client)
        accounts: list[Any] = [account]
        own = account.privileges is not None
    elif of == "accounts":
        accounts = read_collection(client, _ACCOUNTS, root=root).members
        own = has_ilo_privileges(accounts)
    else:
        raise ValueError(f"of={of!r}: use 'accounts' or 'session'")
    roles = None if own else read_collection(client, ROLES_URI, root=root).members
    return build_privileges_frame(accounts, roles)
