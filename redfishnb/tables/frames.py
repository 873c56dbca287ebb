"""Frames built from Session and Account records: pure functions of the JSON payloads.

Each column comes straight from a record field (the field declares its column name, see
:mod:`redfishnb.records`) or from one of the few derived facts (role, idle time, "is it mine"); dtypes are pandas'
nullable ones so a missing value is ``<NA>``/``NaT``, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from .._json import dig
from ..privileges import ILO_PRIVILEGES, REDFISH_PRIVILEGES, ROLES, role_of
from ..records import Account, Session, idle
from ..records.fields import column_kinds, columns

__all__ = [
    "ACCOUNT_COLUMNS",
    "OEM_SESSION_COLUMNS",
    "ROLE_ORDER",
    "SESSION_COLUMNS",
    "STANDARD_SESSION_COLUMNS",
    "build_accounts_frame",
    "build_privileges_frame",
    "build_sessions_frame",
    "role_from_ilo_privileges",
    "session_columns",
    "to_utc",
]

#: Standard roles, most powerful first; other (custom, directory) roles sort after them by name.
ROLE_ORDER: tuple[str, ...] = ROLES

#: Each slot of the sessions frame: the iLO OEM column and the DMTF-standard column that hold the same fact
#: (either may be missing), in display order. Role, Idle and MySession are the kit's own answers.
_SESSION_SLOTS: tuple[tuple[str | None, str | None], ...] = (
    ("Id", "Id"),
    ("UserName", "UserName"),
    ("UserIP", "ClientOriginIPAddress"),
    ("UserTag", "SessionType"),
    ("UserType", "Context"),
    ("Role", "Role"),
    (None, "Roles"),
    ("LoginTime", "CreatedTime"),
    ("AccessTime", None),
    ("UserExpires", "ExpirationTime"),
    ("Idle", "Idle"),
    ("MySession", "MySession"),
    ("URI", "URI"),
)
#: The columns of an iLO (or RMC) service's sessions: iLO keeps the details under ``Oem.Hpe``.
SESSION_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(o for o, _ in _SESSION_SLOTS if o))
#: The columns of a DMTF-standard service's sessions (Session v1_7: no access time, no MySession).
STANDARD_SESSION_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(s for _, s in _SESSION_SLOTS if s))
#: The columns only iLO's ``Oem.Hpe`` fills.
OEM_SESSION_COLUMNS: tuple[str, ...] = tuple(c for c in SESSION_COLUMNS if c not in STANDARD_SESSION_COLUMNS)


def session_columns(*, oem: bool, standard: bool) -> tuple[str, ...]:
    """The sessions frame's columns for a service whose sessions carry iLO's OEM details, the standard ones, or
    both (each standard column beside the OEM one holding the same fact); neither: the iLO set, as always."""
    if not standard:
        return SESSION_COLUMNS
    names = [c for pair in _SESSION_SLOTS for c in (pair if oem else (None, pair[1])) if c]
    return tuple(dict.fromkeys(names))


ACCOUNT_COLUMNS: tuple[str, ...] = (
    "Id",
    "UserName",
    "LoginName",
    "RoleId",
    "Enabled",
    "Locked",
    "PasswordChangeRequired",
    "AccountTypes",
    "URI",
)

_DTYPES = {"datetime": "datetime", "bool": "boolean", "text": "string", "texts": "string"}
_SESSION_KINDS = {
    **{c: _DTYPES[k] for c, k in column_kinds(Session).items()},
    "Idle": "timedelta",
    "MySession": "boolean",
    **dict.fromkeys(ILO_PRIVILEGES, "boolean"),
}
_ACCOUNT_KINDS = {
    **{c: _DTYPES[k] for c, k in column_kinds(Account).items()},
    **dict.fromkeys(ILO_PRIVILEGES, "boolean"),
}


def role_from_ilo_privileges(privileges: Mapping[str, Any] | None) -> str | None:
    """The Redfish role iLO reports for a set of iLO privileges (see :func:`redfishnb.privileges.role_for`);
    None when there are none to judge by."""
    return role_of(privileges)


def to_utc(value: Any) -> datetime:
    """A point in time (datetime, Timestamp, ISO text; naive means UTC) as an aware UTC datetime."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    moment: datetime = stamp.to_pydatetime()
    return moment.astimezone(timezone.utc)


def _text(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) if value else pd.NA
    return pd.NA if value is None or value == "" else str(value)


def _column(values: list[Any], kind: str) -> Any:
    """One column's values in the dtype its kind declares."""
    if kind == "datetime":
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True).dt.as_unit("us").array
    if kind == "timedelta":
        return pd.to_timedelta(pd.Series(values, dtype=object)).dt.as_unit("us").array
    if kind == "boolean":
        return pd.array([v if isinstance(v, bool) else pd.NA for v in values], dtype="boolean")
    return pd.array([_text(v) for v in values], dtype="string")


def _frame(rows: list[dict[str, Any]], names: Sequence[str], kinds: Mapping[str, str]) -> pd.DataFrame:
    """A frame with the given columns in order, each in its declared dtype (also when there are no rows)."""
    frame: pd.DataFrame = pd.DataFrame(
        {name: _column([row.get(name) for row in rows], kinds.get(name, "string")) for name in names},
        columns=list(names),
    )
    return frame


def _flag_columns(flags: Mapping[str, bool] | None) -> dict[str, bool | None]:
    return {name: (flags or {}).get(name) for name in ILO_PRIVILEGES}


def build_sessions_frame(
    members: Iterable[Mapping[str, Any] | Session],
    *,
    my_session_uri: str | None = None,
    now: Any = None,
) -> pd.DataFrame:
    """One row per session from Session bodies or records (iLO ``Oem.Hpe`` or DMTF standard fields).

    Each column is read from one place only, so it says where the service keeps a fact: iLO's ``UserIP``,
    ``UserTag``, ``UserType``, ``LoginTime``, ``AccessTime``, ``UserExpires`` (:data:`SESSION_COLUMNS`) when the
    sessions carry ``Oem.Hpe``, the standard ``ClientOriginIPAddress``, ``SessionType``, ``Context``, ``Roles``,
    ``CreatedTime``, ``ExpirationTime`` (:data:`STANDARD_SESSION_COLUMNS`) when they carry those, side by side when
    both (see :func:`session_columns`); a column a session leaves empty stays empty. The iLO privileges follow as
    nullable booleans when a session carries ``Oem.Hpe.Privileges``. ``Idle`` is ``now - AccessTime`` (``now``
    defaults to the kernel's UTC clock; :func:`sessions_frame` passes the BMC's clock, since the two may differ);
    a session without AccessTime (every standard one) has no idle time (``NaT``), never zero. ``MySession`` is
    iLO's flag, else whether the session is ``my_session_uri`` (compared as paths). ``attrs["model"]`` says
    which columns were chosen: ``"oem"``, ``"standard"`` or ``"both"``.
    """
    sessions = [m if isinstance(m, Session) else Session.from_json(m) for m in members]
    now_utc = datetime.now(timezone.utc) if now is None else to_utc(now)
    rows = [
        {
            **columns(s),
            "Role": s.role,
            "Idle": idle(s, now_utc),
            "MySession": s.is_mine(my_session_uri),
            "_since": s.login_time,
            **_flag_columns(s.privileges),
        }
        for s in sessions
    ]
    oem = any(s.keeps_oem for s in sessions)
    standard = any(s.keeps_standard for s in sessions)
    any_privileges = any(s.privileges is not None for s in sessions)
    names = [*session_columns(oem=oem, standard=standard), *(ILO_PRIVILEGES if any_privileges else ())]
    frame = _frame(rows, [*names, "_since"], {**_SESSION_KINDS, "_since": "datetime"})
    ordered: pd.DataFrame = frame.sort_values(["_since", "Id"], na_position="last", kind="stable")
    ordered = ordered.drop(columns="_since").reset_index(drop=True)
    model = ("both" if oem else "standard") if standard else "oem"
    ordered.attrs.update({"now": pd.Timestamp(now_utc), "my_session_uri": my_session_uri, "model": model})
    return ordered


def build_accounts_frame(members: Iterable[Mapping[str, Any] | Account]) -> pd.DataFrame:
    """One row per ManagerAccount body or record; iLO privilege columns when accounts carry ``Oem.Hpe.Privileges``.

    ``Password`` is never read (the service returns null anyway). ``LoginName`` is iLO's display name
    (``Oem.Hpe.LoginName``) — note that iLO's ``UserName`` is what you log in with.
    """
    accounts = [m if isinstance(m, Account) else Account.from_json(m) for m in members]
    rows = [{**columns(a), "RoleId": a.role, **_flag_columns(a.privileges)} for a in accounts]
    any_privileges = any(a.privileges is not None for a in accounts)
    names = [*ACCOUNT_COLUMNS, *(ILO_PRIVILEGES if any_privileges else ())]
    frame = _frame(rows, names, _ACCOUNT_KINDS)
    ordered: pd.DataFrame = frame.sort_values(["UserName"], kind="stable").reset_index(drop=True)
    return ordered


def _role_sort_key(role: Any) -> tuple[int, str]:
    name = "" if role is None or role is pd.NA else str(role)
    return (ROLE_ORDER.index(name), "") if name in ROLE_ORDER else (len(ROLE_ORDER), name)


def _role_grants(
    roles: Iterable[Mapping[str, Any]] | None,
) -> tuple[dict[str, set[str]], list[str], list[str]]:
    """Each described Role's granted privileges (standard and OEM), the ``AssignedPrivileges`` names the roles
    use and the ``OemPrivileges`` names, each in order of appearance."""
    by_role: dict[str, set[str]] = {}
    assigned: list[str] = []
    oem_names: list[str] = []
    for role in roles or ():
        name = role.get("RoleId") or role.get("Id")
        if not name:
            continue
        standard = [str(p) for p in role.get("AssignedPrivileges") or []]
        oem = [str(p) for p in role.get("OemPrivileges") or []]
        by_role[str(name)] = set(standard) | set(oem)
        assigned += [p for p in standard if p not in assigned]
        oem_names += [p for p in oem if p not in oem_names]
    return by_role, assigned, oem_names


def _redfish_columns(assigned: list[str], oem_names: list[str]) -> list[str]:
    """The privilege columns of a service that grants by Role: the DMTF privileges its Roles assign (in the DMTF
    order; all five when no Role says), then any other assigned names, then the OEM ones."""
    standard = [p for p in REDFISH_PRIVILEGES if p in assigned] if assigned else list(REDFISH_PRIVILEGES)
    names = [*standard, *(p for p in assigned if p not in standard)]
    return [*names, *(p for p in oem_names if p not in names)]


def build_privileges_frame(
    accounts: Iterable[Mapping[str, Any] | Account],
    roles: Iterable[Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Accounts × privileges as booleans, indexed by (Role, UserName), standard roles first.

    iLO accounts carry their own ``Oem.Hpe.Privileges`` (columns are the iLO privileges, which may differ from
    what the role would grant). Otherwise (the RMC, a DMTF-standard service) each account gets its Role's
    ``AssignedPrivileges`` and ``OemPrivileges``: the columns are the DMTF privileges the service's Roles assign,
    then any OEM ones; an account whose role is unknown has missing values, not False.
    """
    records = [a if isinstance(a, Account) else Account.from_json(a) for a in accounts]
    by_role, assigned, oem_names = _role_grants(roles)
    ilo = any(a.privileges is not None for a in records)
    names = list(ILO_PRIVILEGES) if ilo else _redfish_columns(assigned, oem_names)
    rows: list[dict[str, Any]] = []
    for account in records:
        row: dict[str, Any] = {"Role": account.role or "(unknown)", "UserName": account.username}
        if ilo:
            row.update({name: (account.privileges or {}).get(name) for name in names})
        else:
            granted = by_role.get(str(account.role)) if account.role else None
            row.update({name: None if granted is None else name in granted for name in names})
        rows.append(row)
    frame = _frame(rows, ["Role", "UserName", *names], dict.fromkeys(names, "boolean"))
    frame = frame.sort_values(
        ["Role", "UserName"],
        key=lambda col: col.map(_role_sort_key) if col.name == "Role" else col,
        kind="stable",
    )
    matrix: pd.DataFrame = frame.set_index(["Role", "UserName"])
    matrix.columns.name = "Privilege"
    matrix.attrs["kind"] = "ilo" if ilo else "redfish"
    return matrix


def has_ilo_privileges(bodies: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any account body carries iLO's own ``Oem.Hpe.Privileges`` (then no Role needs reading)."""
    return any(isinstance(dig(b, "Oem", "Hpe", "Privileges"), Mapping) for b in bodies)
