"""Typed records of the Redfish objects the kit reads, and where a service keeps them.

:class:`Session` and :class:`Account` are read once from a JSON body (:mod:`.fields` holds the declarative
machinery); :mod:`.links` finds the collections; :mod:`.collections` reads them in few requests.
"""

from __future__ import annotations

from .account import Account
from .collections import Collection, date_header, expand_query, read_collection, service_root
from .links import STANDARD_SESSIONS_URI, my_session_uri, same_uri, sessions_uri, uri_path
from .session import Session, age, bmc_now, idle

__all__ = [
    "Account",
    "Collection",
    "STANDARD_SESSIONS_URI",
    "Session",
    "age",
    "bmc_now",
    "date_header",
    "expand_query",
    "idle",
    "my_session_uri",
    "read_collection",
    "same_uri",
    "service_root",
    "sessions_uri",
    "uri_path",
]
