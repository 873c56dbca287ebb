"""pandas views of a BMC's sessions, accounts and privileges.

A BMC allows only a handful of sessions at once, so "who is logged in, from where, since when, idle how long, with
which rights" is the first question of every lab and runbook. These functions answer it with one DataFrame, usable
in scripts without any widget.

Both flavours the kit knows are handled, by the records in :mod:`redfishnb.records`:

- iLO 6 puts the session details under ``Oem.Hpe`` (``LoginTime``, ``AccessTime``, ``UserExpires``, ``UserIP``,
  ``UserTag``, ``UserType``, ``MySession``, ``Privileges``) and the account privileges under ``Oem.Hpe.Privileges``;
- the Superdome Flex 280 RMC gives little more than ``UserName`` and ``Oem.Hpe.InitialRole``; its privileges come
  from the standard Role resources (``AssignedPrivileges``/``OemPrivileges``);
- a DMTF-standard service (OpenBMC's bmcweb) has Session v1_7's ``ClientOriginIPAddress``, ``CreatedTime``,
  ``SessionType``, ``Context`` and ``Roles``, no access time and no MySession link (your own session is the one
  whose URI the client got at login), and grants privileges by Role.

The session columns follow what the sessions carry (see :func:`session_columns`); :func:`where_kept` lays the
standard and the OEM spelling of each fact side by side.

Fields a service does not give are missing values (``<NA>``/``NaT``), never guesses. Datetimes are timezone-aware
(UTC), flags are pandas' nullable ``boolean``. The frame builders (``build_*``, in :mod:`.frames`) are pure
functions of the JSON payloads, so they can be fed saved bodies as well as live ones; :mod:`.live` reads them
from a BMC (see :func:`redfishnb.records.read_collection` for the request strategy).
"""

from __future__ import annotations

from ..privileges import ILO_PRIVILEGES, REDFISH_PRIVILEGES
from ..records import Collection, expand_query, read_collection, same_uri, service_root
from .frames import (
    ACCOUNT_COLUMNS,
    OEM_SESSION_COLUMNS,
    ROLE_ORDER,
    SESSION_COLUMNS,
    STANDARD_SESSION_COLUMNS,
    build_accounts_frame,
    build_privileges_frame,
    build_sessions_frame,
    role_from_ilo_privileges,
    session_columns,
)
from .kept import FACT_COLUMNS, where_kept
from .live import accounts_frame, privileges_frame, read_accounts, read_sessions, sessions_frame

__all__ = [
    "FACT_COLUMNS",
    "ILO_PRIVILEGES",
    "OEM_SESSION_COLUMNS",
    "REDFISH_PRIVILEGES",
    "ROLE_ORDER",
    "SESSION_COLUMNS",
    "STANDARD_SESSION_COLUMNS",
    "ACCOUNT_COLUMNS",
    "Collection",
    "accounts_frame",
    "build_accounts_frame",
    "build_privileges_frame",
    "build_sessions_frame",
    "expand_query",
    "privileges_frame",
    "read_accounts",
    "read_collection",
    "read_sessions",
    "role_from_ilo_privileges",
    "same_uri",
    "service_root",
    "session_columns",
    "sessions_frame",
    "where_kept",
]
