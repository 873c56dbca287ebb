"""Where a Redfish service keeps the resources the kit needs, found one way for every caller.

The service root names the sessions collection (``Links.Sessions``, DSP0266 requires it to equal
``SessionService.Sessions``); iLO adds ``Oem.Hpe.Links.MySession`` to that collection, the caller's own session.
The standard has no such link, so a client falls back to the session URI it was given at login. The client, the
tables, the fleet and the iLO helpers all ask here, so a BMC that keeps things elsewhere is handled once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .._json import dig, odata_id

#: The sessions collection where DSP0266 puts it (iLO writes links with the trailing slash).
STANDARD_SESSIONS_URI = "/redfish/v1/SessionService/Sessions/"


def sessions_uri(root: Mapping[str, Any] | None) -> str:
    """The sessions collection the service root names (``Links.Sessions``), else the standard location."""
    uri = odata_id(dig(root, "Links", "Sessions"))
    return uri if uri is not None and uri.startswith("/") else STANDARD_SESSIONS_URI


def my_session_uri(collection: Mapping[str, Any] | None, known: str | None = None) -> str | None:
    """The caller's own session: iLO's ``Oem.Hpe.Links.MySession`` in the collection body, else ``known``.

    ``known`` is the URI the client holds from its login (the ``Location`` answer), which is the only way to
    find one's session on a standard service."""
    return odata_id(dig(collection, "Oem", "Hpe", "Links", "MySession")) or known


def uri_path(uri: str) -> str:
    """The path of an absolute URL or a path, normalised for comparison (iLO URIs are case-insensitive and
    appear with and without a trailing slash)."""
    return (urlsplit(uri).path or uri).rstrip("/").lower()


def same_uri(a: str | None, b: str | None) -> bool:
    """True when two resource URIs name the same resource (host, case and trailing slash ignored)."""
    return a is not None and b is not None and bool(a) and bool(b) and uri_path(a) == uri_path(b)


__all__ = ["STANDARD_SESSIONS_URI", "my_session_uri", "same_uri", "sessions_uri", "uri_path"]
