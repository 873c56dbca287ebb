"""pandas views of a BMC's sessions, accounts and privileges.

A BMC allows only a handful of sessions at once, so "who is logged in, from where, since when, idle how long, with
which rights" is the first question of every lab and runbook. These functions answer it with one DataFrame, usable
in scripts without any widget.

Reading a collection costs one request when the service advertises ``$expand`` in
``ProtocolFeaturesSupported.ExpandQuery`` (iLO 5/6 do: ``$expand=.`` inlines the members one level deep);
otherwise the members are read with a few concurrent GETs. Both flavours the kit knows are handled:

- iLO 6 puts the session details under ``Oem.Hpe`` (``LoginTime``, ``AccessTime``, ``UserExpires``, ``UserIP``,
  ``UserTag``, ``UserType``, ``MySession``, ``Privileges``) and the account privileges under ``Oem.Hpe.Privileges``;
- the Superdome Flex 280 RMC gives little more than ``UserName`` and ``Oem.Hpe.InitialRole``; its privileges come
  from the standard Role resources (``AssignedPrivileges``/``OemPrivileges``).

Fields a service does not give are missing values (``<NA>``/``NaT``), never guesses. Datetimes are timezone-aware
(UTC), flags are pandas' nullable ``boolean``. The frame builders (``build_*``) are pure functions of the JSON
payloads, so they can be fed saved bodies as well as live ones.
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ._json import dig, odata_id
from .errors import BadRequest, ResourceNotFound, ServiceError

__all__ = [
    "ILO_PRIVILEGES",
    "REDFISH_PRIVILEGES",
    "ROLE_ORDER",
    "SESSION_COLUMNS",
    "ACCOUNT_COLUMNS",
    "Collection",
    "accounts_frame",
    "build_accounts_frame",
    "build_privileges_frame",
    "build_sessions_frame",
    "expand_query",
    "privileges_frame",
    "read_collection",
    "role_from_ilo_privileges",
    "same_uri",
    "session_row",
    "service_root",
    "sessions_frame",
]

#: iLO privileges in the order of the iLO web interface (Login first, Recovery Set last).
ILO_PRIVILEGES: tuple[str, ...] = (
    "LoginPriv",
    "RemoteConsolePriv",
    "VirtualPowerAndResetPriv",
    "VirtualMediaPriv",
    "HostBIOSConfigPriv",
    "HostNICConfigPriv",
    "HostStorageConfigPriv",
    "iLOConfigPriv",
    "UserConfigPriv",
    "SystemRecoveryConfigPriv",
)
#: The DMTF standard privileges a Role's ``AssignedPrivileges`` draws from.
REDFISH_PRIVILEGES: tuple[str, ...] = (
    "Login",
    "ConfigureSelf",
    "ConfigureComponents",
    "ConfigureManager",
    "ConfigureUsers",
)
#: Standard roles, most powerful first; other (custom, directory) roles sort after them by name.
ROLE_ORDER: tuple[str, ...] = ("Administrator", "Operator", "ReadOnly")

SESSION_COLUMNS: tuple[str, ...] = (
    "Id",
    "UserName",
    "UserIP",
    "UserTag",
    "UserType",
    "Role",
    "LoginTime",
    "AccessTime",
    "UserExpires",
    "Idle",
    "MySession",
    "URI",
)
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

_SESSIONS_FALLBACK = "/redfish/v1/SessionService/Sessions/"
_ACCOUNTS = "/redfish/v1/AccountService/Accounts/"
_ROLES = "/redfish/v1/AccountService/Roles/"
_MAX_WORKERS = 4


# ---------------------------------------------------------------------------------------------------------------
# URIs


def _path(uri: str) -> str:
    """The path of an absolute URL or a path, normalised for comparison (iLO URIs are case-insensitive and
    appear with and without a trailing slash)."""
    return (urlsplit(uri).path or uri).rstrip("/").lower()


def same_uri(a: str | None, b: str | None) -> bool:
    """True when two resource URIs name the same resource (host, case and trailing slash ignored)."""
    return bool(a) and bool(b) and _path(a) == _path(b)  # type: ignore[arg-type]


def _bool_or_na(value: Any) -> Any:
    return value if isinstance(value, bool) else pd.NA


def _text_or_na(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else pd.NA
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return pd.NA
    return str(value)


# ---------------------------------------------------------------------------------------------------------------
# Reading collections: one $expand request when advertised, concurrent GETs otherwise


def service_root(client: Any) -> Mapping[str, Any]:
    """The service root body: the client's cached copy when it has one (no request), else one GET."""
    root = getattr(client, "root", None)
    if isinstance(root, Mapping):
        return root
    body = getattr(root, "json", None)
    if isinstance(body, Mapping):
        return body
    return client.get("/redfish/v1/").json or {}


def expand_query(root: Mapping[str, Any]) -> str | None:
    """The ``$expand`` value that inlines a collection's members on this service, or None if unsupported.

    ``NoLinks`` (``.``) is what iLO documents; ``ExpandAll`` (``*``) and ``Levels`` are the other ways a service
    can say it expands subordinate resources. ``Links``-only expansion (``~``) does not reach ``Members``.
    """
    features = dig(root, "ProtocolFeaturesSupported", "ExpandQuery")
    if features is True:
        return "."
    if not isinstance(features, Mapping):
        return None
    if features.get("NoLinks"):
        return "."
    if features.get("ExpandAll"):
        return "*"
    if features.get("Levels"):
        return ".($levels=1)"
    return None


@dataclass(frozen=True)
class Collection:
    """A collection body with its members read in full.

    ``date`` is the service's ``Date`` header: the BMC's own notion of "now", which is what idle times and
    expiries are measured against (the kernel's clock may differ from the BMC's). ``requests`` counts the HTTP
    requests spent reading it (the service root excluded).
    """

    uri: str
    body: Mapping[str, Any]
    members: list[Mapping[str, Any]]
    date: pd.Timestamp | None
    requests: int


def _date_header(response: Any) -> pd.Timestamp | None:
    headers = getattr(response, "headers", None) or {}
    value = headers.get("Date") if hasattr(headers, "get") else None
    if not value:
        return None
    try:
        return pd.Timestamp(email.utils.parsedate_to_datetime(value)).tz_convert("UTC")
    except (TypeError, ValueError):
        return None


def _is_expanded(member: Any) -> bool:
    """A member reference carries only ``@odata.id``; an expanded member carries the resource."""
    return isinstance(member, Mapping) and any(not k.startswith("@odata.") for k in member)


def _get_members(client: Any, uris: Sequence[str], workers: int = _MAX_WORKERS) -> list[Mapping[str, Any]]:
    """GET each URI, a few at a time. A member deleted between the listing and its GET (a session that just
    expired or logged out) is skipped rather than failing the whole table."""

    def one(uri: str) -> Mapping[str, Any] | None:
        try:
            body = client.get(uri).json
        except ResourceNotFound:
            return None
        return body if isinstance(body, Mapping) else None

    if not uris:
        return []
    if len(uris) == 1 or workers <= 1:
        results = [one(uri) for uri in uris]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(uris)), thread_name_prefix="rfnb-get") as pool:
            results = list(pool.map(one, uris))
    return [r for r in results if r is not None]


def read_collection(
    client: Any, uri: str, *, root: Mapping[str, Any] | None = None, workers: int = _MAX_WORKERS
) -> Collection:
    """Read a collection and all its members, spending as few requests as the service allows.

    With ``$expand`` advertised this is one GET (``<uri>?$expand=.`` on iLO). A service that advertises it but
    answers the query with 400/501, or silently returns bare references (iLO's "non implemented options are
    discarded"), still works: the plain collection and the missing members are read instead, ``workers`` at a
    time (1 = one after the other, for callers that already run many BMCs in parallel).
    """
    root = service_root(client) if root is None else root
    expand = expand_query(root)
    response = None
    requests = 0
    if expand:
        try:
            requests += 1
            response = client.get(uri, params={"$expand": expand})
        except (BadRequest, ServiceError):
            response = None
    if response is None:
        requests += 1
        response = client.get(uri)
    body = response.json if isinstance(response.json, Mapping) else {}
    members = [m for m in body.get("Members") or [] if isinstance(m, Mapping)]
    missing = [odata_id(m) for m in members if not _is_expanded(m)]
    missing_uris = [u for u in missing if u]
    if missing_uris:
        fetched = _get_members(client, missing_uris, workers)
        requests += len(missing_uris)
        by_uri = {_path(odata_id(m) or ""): m for m in fetched}
        members = [m if _is_expanded(m) else by_uri.get(_path(odata_id(m) or "")) for m in members]
        members = [m for m in members if m is not None]
    return Collection(uri=uri, body=body, members=members, date=_date_header(response), requests=requests)


def _sessions_uri(root: Mapping[str, Any]) -> str:
    """``Links.Sessions`` of the service root (DSP0266 requires it to match SessionService.Sessions)."""
    return odata_id(dig(root, "Links", "Sessions")) or _SESSIONS_FALLBACK


# ---------------------------------------------------------------------------------------------------------------
# Frame builders (pure functions of payloads)


def _utc(values: Iterable[Any]) -> pd.Series:
    """Timezone-aware UTC datetimes in one unit (microseconds) whatever the input, NaT where absent or bad."""
    series = pd.Series([v if isinstance(v, str) else None for v in values], dtype=object)
    return pd.to_datetime(series, utc=True, errors="coerce", format="ISO8601").dt.as_unit("us")


def _typed(rows: list[dict[str, Any]], columns: Sequence[str], kinds: Mapping[str, str]) -> pd.DataFrame:
    """A frame with the given columns in order and each column in its declared dtype."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for name in columns:
        kind = kinds.get(name, "string")
        if kind == "datetime":
            frame[name] = _utc(frame[name]).array
        elif kind == "boolean":
            frame[name] = pd.array([_bool_or_na(v) for v in frame[name]], dtype="boolean")
        elif kind == "string":
            frame[name] = pd.array([_text_or_na(v) for v in frame[name]], dtype="string")
    return frame


def role_from_ilo_privileges(privileges: Mapping[str, Any] | None) -> str | None:
    """The Redfish role iLO reports for a set of iLO privileges.

    iLO stores no role: it synthesises ``RoleId`` from the privileges — Login only is ReadOnly, any of
    iLOConfigPriv/UserConfigPriv/SystemRecoveryConfigPriv is Administrator, anything else is Operator.
    """
    if not isinstance(privileges, Mapping) or not privileges:
        return None
    granted = {k for k, v in privileges.items() if v is True}
    if granted & {"iLOConfigPriv", "UserConfigPriv", "SystemRecoveryConfigPriv"}:
        return "Administrator"
    if granted <= {"LoginPriv"}:
        return "ReadOnly"
    return "Operator"


def _timestamp(value: Any) -> pd.Timestamp | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def session_row(body: Mapping[str, Any], *, my_uri: str | None = None) -> dict[str, Any]:
    """The facts of one Session body, flavour differences resolved, as plain Python values.

    iLO keeps them under ``Oem.Hpe``; a DMTF service uses ``CreatedTime``, ``ClientOriginIPAddress``,
    ``SessionType`` and ``Roles``; the RMC gives ``Oem.Hpe.InitialRole``. ``mine`` is the service's
    ``MySession`` flag when it gives one, else whether the URI is ``my_uri`` (None when neither is known).
    ``privileges`` lists the granted iLO privileges (sorted; None when the service does not say);
    ``privilege_flags`` keeps each one's true/false. Datetimes are tz-aware UTC ``Timestamp`` or None.
    """
    hpe = dig(body, "Oem", "Hpe") or {}
    uri = odata_id(body)
    flags = hpe.get("Privileges") if isinstance(hpe.get("Privileges"), Mapping) else None
    roles = body.get("Roles")
    mine = hpe.get("MySession")
    if my_uri and same_uri(uri, my_uri):
        mine = True
    elif not isinstance(mine, bool):
        mine = False if my_uri else None
    return {
        "uri": uri,
        "id": body.get("Id"),
        "username": body.get("UserName"),
        "user_ip": hpe.get("UserIP") or body.get("ClientOriginIPAddress"),
        "user_tag": hpe.get("UserTag") or body.get("SessionType"),
        "user_type": hpe.get("UserType"),
        "role": hpe.get("InitialRole")
        or (roles[0] if isinstance(roles, list) and roles else None)
        or role_from_ilo_privileges(flags),
        "login_time": _timestamp(hpe.get("LoginTime") or body.get("CreatedTime")),
        "access_time": _timestamp(hpe.get("AccessTime")),
        "expires": _timestamp(hpe.get("UserExpires") or body.get("ExpirationTime")),
        "mine": mine,
        "privileges": sorted(k for k, v in flags.items() if v is True) if flags is not None else None,
        "privilege_flags": dict(flags) if flags is not None else None,
    }


_ROW_TO_COLUMN = {
    "id": "Id",
    "username": "UserName",
    "user_ip": "UserIP",
    "user_tag": "UserTag",
    "user_type": "UserType",
    "role": "Role",
    "login_time": "LoginTime",
    "access_time": "AccessTime",
    "expires": "UserExpires",
    "mine": "MySession",
    "uri": "URI",
}


def build_sessions_frame(
    members: Iterable[Mapping[str, Any]],
    *,
    my_session_uri: str | None = None,
    now: Any = None,
) -> pd.DataFrame:
    """One row per session from Session resource bodies (iLO ``Oem.Hpe`` or DMTF standard fields).

    Columns: ``SESSION_COLUMNS`` (see :func:`session_row` for where each comes from), then the iLO privileges as
    nullable booleans when at least one session carries ``Oem.Hpe.Privileges``. ``Idle`` is
    ``now - AccessTime`` (``now`` defaults to the kernel's UTC clock; :func:`sessions_frame` passes the BMC's
    ``Date``, since the two clocks may differ).
    """
    rows: list[dict[str, Any]] = []
    any_privileges = False
    for member in members:
        facts = session_row(member, my_uri=my_session_uri)
        row = {column: facts[key] for key, column in _ROW_TO_COLUMN.items()}
        for key in ("login_time", "access_time", "expires"):
            row[_ROW_TO_COLUMN[key]] = facts[key].isoformat() if facts[key] is not None else None
        flags = facts["privilege_flags"]
        any_privileges = any_privileges or flags is not None
        for name in ILO_PRIVILEGES:
            row[name] = (flags or {}).get(name)
        rows.append(row)

    kinds = {c: "datetime" for c in ("LoginTime", "AccessTime", "UserExpires")}
    kinds.update({"MySession": "boolean", "Idle": "timedelta"})
    kinds.update(dict.fromkeys(ILO_PRIVILEGES, "boolean"))
    columns = list(SESSION_COLUMNS) + (list(ILO_PRIVILEGES) if any_privileges else [])
    frame = _typed(rows, columns, kinds)

    now_ts = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    frame["Idle"] = (now_ts - frame["AccessTime"]).clip(lower=pd.Timedelta(0))
    frame = frame.sort_values(["LoginTime", "Id"], na_position="last", kind="stable").reset_index(drop=True)
    frame.attrs.update({"now": now_ts, "my_session_uri": my_session_uri})
    return frame


def build_accounts_frame(members: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per ManagerAccount body; iLO privilege columns when the accounts carry ``Oem.Hpe.Privileges``.

    ``Password`` is never read (the service returns null anyway). ``LoginName`` is iLO's display name
    (``Oem.Hpe.LoginName``) — note that iLO's ``UserName`` is what you log in with.
    """
    rows: list[dict[str, Any]] = []
    any_privileges = False
    for member in members:
        hpe = dig(member, "Oem", "Hpe") or {}
        privileges = hpe.get("Privileges") if isinstance(hpe.get("Privileges"), Mapping) else None
        any_privileges = any_privileges or privileges is not None
        row = {
            "Id": member.get("Id"),
            "UserName": member.get("UserName"),
            "LoginName": hpe.get("LoginName"),
            "RoleId": member.get("RoleId") or role_from_ilo_privileges(privileges),
            "Enabled": member.get("Enabled"),
            "Locked": member.get("Locked"),
            "PasswordChangeRequired": member.get("PasswordChangeRequired"),
            "AccountTypes": member.get("AccountTypes"),
            "URI": odata_id(member),
        }
        for name in ILO_PRIVILEGES:
            row[name] = (privileges or {}).get(name)
        rows.append(row)
    kinds = dict.fromkeys(("Enabled", "Locked", "PasswordChangeRequired", *ILO_PRIVILEGES), "boolean")
    columns = list(ACCOUNT_COLUMNS) + (list(ILO_PRIVILEGES) if any_privileges else [])
    frame = _typed(rows, columns, kinds)
    return frame.sort_values(["UserName"], kind="stable").reset_index(drop=True)


def _role_sort_key(role: Any) -> tuple[int, str]:
    name = "" if role is None or role is pd.NA else str(role)
    return (ROLE_ORDER.index(name), "") if name in ROLE_ORDER else (len(ROLE_ORDER), name)


def build_privileges_frame(
    accounts: Iterable[Mapping[str, Any]],
    roles: Iterable[Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """Accounts × privileges as booleans, indexed by (Role, UserName), standard roles first.

    iLO accounts carry their own ``Oem.Hpe.Privileges`` (columns are the iLO privileges, which may differ from
    what the role would grant). Otherwise each account gets its Role's ``AssignedPrivileges`` and
    ``OemPrivileges`` (columns are the DMTF privileges, then any OEM ones); an account whose role is unknown
    has missing values, not False.
    """
    accounts = list(accounts)
    by_role: dict[str, set[str]] = {}
    oem_names: list[str] = []
    for role in roles or ():
        name = role.get("RoleId") or role.get("Id")
        if not name:
            continue
        granted = set(role.get("AssignedPrivileges") or []) | set(role.get("OemPrivileges") or [])
        by_role[str(name)] = granted
        oem_names += [p for p in role.get("OemPrivileges") or [] if p not in oem_names]

    ilo = any(isinstance(dig(a, "Oem", "Hpe", "Privileges"), Mapping) for a in accounts)
    columns = (
        list(ILO_PRIVILEGES)
        if ilo
        else [*REDFISH_PRIVILEGES, *(p for p in oem_names if p not in REDFISH_PRIVILEGES)]
    )
    rows: list[dict[str, Any]] = []
    for account in accounts:
        own = dig(account, "Oem", "Hpe", "Privileges")
        role = account.get("RoleId") or role_from_ilo_privileges(own)
        row: dict[str, Any] = {"Role": role or "(unknown)", "UserName": account.get("UserName")}
        if ilo:
            for name in columns:
                row[name] = own.get(name) if isinstance(own, Mapping) else None
        else:
            granted = by_role.get(str(role)) if role else None
            for name in columns:
                row[name] = None if granted is None else name in granted
        rows.append(row)

    frame = _typed(rows, ["Role", "UserName", *columns], dict.fromkeys(columns, "boolean"))
    frame = frame.sort_values(
        ["Role", "UserName"],
        key=lambda col: col.map(_role_sort_key) if col.name == "Role" else col,
        kind="stable",
    )
    frame = frame.set_index(["Role", "UserName"])
    frame.columns.name = "Privilege"
    frame.attrs["kind"] = "ilo" if ilo else "redfish"
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Live views


def sessions_frame(client: Any, *, now: Any = None) -> pd.DataFrame:
    """The BMC's sessions, one row each (see :func:`build_sessions_frame` for the columns).

    Costs one request on a service that advertises ``$expand`` (plus one for the service root if the client
    has not cached it), otherwise one plus one per session, a few at a time. Listing other users' sessions may
    need UserConfigPriv on iLO; a 403 is raised as :class:`~redfishnb.errors.InsufficientPrivilege`.
    ``frame.attrs`` holds ``now`` (the BMC's Date), ``my_session_uri`` and ``requests``.
    """
    root = service_root(client)
    collection = read_collection(client, _sessions_uri(root), root=root)
    my_uri = odata_id(dig(collection.body, "Oem", "Hpe", "Links", "MySession")) or getattr(
        client, "session_uri", None
    )
    if now is None:
        now = _bmc_now(collection)
    frame = build_sessions_frame(collection.members, my_session_uri=my_uri, now=now)
    frame.attrs["requests"] = collection.requests
    return frame


def _bmc_now(collection: Collection) -> pd.Timestamp | None:
    """The BMC's "now": the later of its ``Date`` header and the latest ``AccessTime`` it reports.

    The request that read the sessions has just touched the caller's own session, so its AccessTime is the BMC's
    clock to the second even when the Date header lags it or is missing; idle times are then measured on one
    clock, whatever the kernel's clock says.
    """
    candidates = [collection.date] if collection.date is not None else []
    candidates += [t for t in (session_row(m)["access_time"] for m in collection.members) if t is not None]
    return max(candidates) if candidates else None


def accounts_frame(client: Any) -> pd.DataFrame:
    """The BMC's local accounts, one row each (see :func:`build_accounts_frame`)."""
    return build_accounts_frame(read_collection(client, _ACCOUNTS).members)


def privileges_frame(client: Any, *, of: str = "accounts") -> pd.DataFrame:
    """Privileges as a boolean matrix indexed by (Role, UserName).

    ``of="accounts"`` covers every local account (reading accounts may need UserConfigPriv);
    ``of="session"`` covers only the caller's own session, which any logged-in user may read — useful to see
    what *you* may do before an operation fails with 403.
    """
    root = service_root(client)
    if of == "session":
        body = client.my_session()
        body = body.json if hasattr(body, "json") else body
        hpe = dig(body, "Oem", "Hpe") or {}
        account = {
            "UserName": dig(body, "UserName"),
            "RoleId": hpe.get("InitialRole") or role_from_ilo_privileges(hpe.get("Privileges")),
            "Oem": {"Hpe": {"Privileges": hpe["Privileges"]}}
            if isinstance(hpe.get("Privileges"), Mapping)
            else {},
        }
        accounts: list[Mapping[str, Any]] = [account]
    elif of == "accounts":
        accounts = read_collection(client, _ACCOUNTS, root=root).members
    else:
        raise ValueError(f"of={of!r}: use 'accounts' or 'session'")
    roles = None
    if not any(isinstance(dig(a, "Oem", "Hpe", "Privileges"), Mapping) for a in accounts):
        roles = read_collection(client, _ROLES, root=root).members
    return build_privileges_frame(accounts, roles)
