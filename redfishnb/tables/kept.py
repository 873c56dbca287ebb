"""Where a service keeps each fact about a session: the DMTF-standard property beside iLO's OEM one.

The same questions — who, from where, since when, last used, with which role, is it mine, what kind of session —
have two spellings: DSP0266's Session (``ClientOriginIPAddress``, ``CreatedTime``, ``Roles``, ``SessionType``
...) and iLO's ``Oem.Hpe`` (``UserIP``, ``LoginTime``, ``AccessTime``, ``Privileges``, ``MySession`` ...). Some
facts have only one: the standard has no access time and no "mine" flag (a client knows its session by the URI it
got at login); iLO 6 fills none of the standard ones. :func:`where_kept` puts both spellings of every fact side by
side with the value each holds on one service, and what the kit shows for it, so a lab can compare an iLO with a
standard BMC row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import RedfishError
from ..records import Session, my_session_uri, read_collection, same_uri
from .live import ROLES_URI, read_sessions

__all__ = ["FACT_COLUMNS", "MISSING", "where_kept"]

#: What a fact with no value (or a spelling the service does not have) shows.
MISSING = "—"
#: The frame's columns.
FACT_COLUMNS: tuple[str, ...] = ("Fact", "Standard", "Standard value", "iLO OEM", "OEM value", "Kit shows")


@dataclass(frozen=True)
class _Fact:
    """One question: where each model keeps its answer (None: that model has no such property) and the
    :class:`~redfishnb.records.Session` attributes that read each spelling and the kit's answer."""

    name: str
    standard: str | None
    oem: str | None
    standard_attr: str | None
    oem_attr: str | None
    kit_attr: str


_FACTS: tuple[_Fact, ...] = (
    _Fact("who", "UserName", "Oem.Hpe.UserAccount", "username", "user_account", "username"),
    _Fact(
        "from where", "ClientOriginIPAddress", "Oem.Hpe.UserIP", "client_origin_ip", "oem_user_ip", "user_ip"
    ),
    _Fact("since when", "CreatedTime", "Oem.Hpe.LoginTime", "created_time", "oem_login_time", "login_time"),
    _Fact("last used", None, "Oem.Hpe.AccessTime", None, "access_time", "access_time"),
    _Fact("expires", "ExpirationTime", "Oem.Hpe.UserExpires", "expiration_time", "oem_expires", "expires"),
    _Fact("role", "Roles", "Oem.Hpe.InitialRole", "roles", "initial_role", "role"),
    _Fact(
        "privileges",
        "Roles → Role.AssignedPrivileges",
        "Oem.Hpe.Privileges",
        "assigned",
        "granted",
        "privileges",
    ),
    _Fact("is it mine", None, "Oem.Hpe.MySession", None, "my_session", "is_mine"),
    _Fact("session kind", "SessionType", "Oem.Hpe.UserTag", "session_type", "oem_user_tag", "user_tag"),
    _Fact("account kind", None, "Oem.Hpe.UserType", None, "user_type", "user_type"),
    _Fact("client's note", "Context", None, "context", None, "context"),
)


def _read(session: Session, attr: str | None, mine: str | None, assigned: tuple[str, ...] | None) -> str:
    """One spelling's value (or the kit's answer) as text; ``—`` for a property the model lacks.

    ``assigned`` is what the session's standard Roles grant (read from the service's Role resources), which is
    also the kit's answer for the privileges where iLO's OEM flags are absent."""
    if attr is None:
        return MISSING
    if attr == "is_mine":
        return _show(session.is_mine(mine))
    if attr == "assigned":
        return _show(assigned)
    if attr == "privileges":  # the kit's answer: iLO's own flags, else what the standard Roles grant
        return _show(session.granted if session.granted is not None else assigned)
    return _show(getattr(session, attr))


def _assigned(client: Any, session: Session) -> tuple[str, ...] | None:
    """The DMTF privileges the session's ``Roles`` grant, from the service's Role resources (None when the
    session names no role, or the roles cannot be read)."""
    if not session.roles:
        return None
    try:
        roles = read_collection(client, ROLES_URI).members
    except RedfishError:
        return None
    names: list[str] = []
    for role in roles:
        if str(role.get("RoleId") or role.get("Id")) in session.roles:
            names += [
                str(p) for p in [*(role.get("AssignedPrivileges") or []), *(role.get("OemPrivileges") or [])]
            ]
    return tuple(dict.fromkeys(names)) or None


def _show(value: Any) -> str:
    """A value as one line of text: datetimes to the second in UTC, lists joined, booleans as yes/no."""
    if value is None or value == () or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "strftime"):
        return str(pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%SZ"))
    return str(value)


def _own_session(client: Any) -> tuple[Session, str | None]:
    """The client's own session (iLO's MySession link, else the URI its login returned) and that URI.

    A client without a session of its own (Basic authentication) gets the first session listed, so the view
    still shows where this service keeps each fact; "is it mine" then says no."""
    collection, sessions = read_sessions(client)
    mine = my_session_uri(collection.body, getattr(client, "session_uri", None))
    for session in sessions:
        if mine and same_uri(session.uri, mine):
            return session, mine
    return (sessions[0] if sessions else Session()), mine


def where_kept(source: Any, *, my_session_uri: str | None = None) -> pd.DataFrame:
    """One row per fact about a session: its standard property, its iLO OEM property, the value each holds, and
    what the kit shows (the first spelling present; "is it mine" from the URI the client holds where the service
    has no MySession flag).

    ``source`` is a :class:`~redfishnb.records.Session`, a Session JSON body, or a logged-in client (its own
    session is read: one request for the collection on a service with ``$expand``, and one for the Roles when the
    session names standard ``Roles``). A property the model does not have, or a value the service does not
    give, shows as ``—``. ``my_session_uri`` tells a record whose
    URI is the caller's. ``frame.attrs`` holds ``session_uri`` (the session described) and ``model``: "standard",
    "oem", "both" (the session fills both spellings) or "unknown" (no session to judge by).
    """
    assigned = None
    if isinstance(source, Session):
        session, mine = source, my_session_uri
    elif isinstance(source, Mapping):
        session, mine = Session.from_json(source), my_session_uri
    else:
        session, mine = _own_session(source)
        assigned = _assigned(source, session)
    rows = [
        {
            "Fact": fact.name,
            "Standard": fact.standard or MISSING,
            "Standard value": _read(session, fact.standard_attr, mine, assigned),
            "iLO OEM": fact.oem or MISSING,
            "OEM value": _read(session, fact.oem_attr, mine, assigned),
            "Kit shows": _read(session, fact.kit_attr, mine, assigned),
        }
        for fact in _FACTS
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(FACT_COLUMNS), dtype="string")
    frame.attrs["session_uri"] = session.uri
    frame.attrs["model"] = _model(session)
    return frame


def _model(session: Session) -> str:
    """Which way the session is kept: "standard", "oem", "both", or "unknown" (no session read)."""
    if session.keeps_standard:
        return "both" if session.keeps_oem else "standard"
    return "oem" if session.keeps_oem else "unknown"
