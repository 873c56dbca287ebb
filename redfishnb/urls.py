"""Where a request goes: the BMC's base URL, and a caller's path (or link, or full URL) resolved against it.

Credentials go only to the client's own BMC, so a full URL on another host is refused here, before anything is
sent; and a URL with credentials in it is refused, because URLs end up in logs and exchange records. A plain
``http://`` address that redirects is refused before any login (:func:`redirect_refusal`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from .errors import NotRedfish, RedfishError, TransportError

__all__ = ["ROOT_URI", "base_url", "redirect_refusal", "url_for"]

ROOT_URI = "/redfish/v1/"


def base_url(url: str) -> str:
    """``https://host[:port]`` of a BMC address (``https://`` when no scheme is given)."""
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a BMC address: use https://<bmc>[:port]")
    if parts.username or parts.password:
        raise ValueError("Put credentials in username=/password=, not in the URL (URLs end up in logs).")
    return f"{parts.scheme}://{parts.netloc}"


def url_for(base: str, path: str, params: Mapping[str, Any] | None = None) -> str:
    """The full URL of ``path`` on the BMC at ``base``: absolute URLs on that BMC, ``/absolute`` paths on the
    host, and paths without a leading slash (``Systems/``) under the service root ``/redfish/v1/``, the way the
    root's links read to someone exploring the API (``redfish/v1/Systems/`` is taken as the path it already is).
    """
    if path.startswith(("http://", "https://")):
        if base_url(path) != base:
            raise ValueError(
                f"{path!r} is on another host than {base}: the client sends its credentials only to its BMC."
            )
        url = path
    elif path.startswith("/"):
        url = base + path
    elif path.startswith(ROOT_URI[1:]):  # "redfish/v1/Systems/" already is a path from the host
        url = f"{base}/{path}"
    else:
        url = base + ROOT_URI + path
    if params:
        # requests drops None-valued params; iLO's "?only" is a bare key, so build the query here.
        query = "&".join(
            quote(str(k), safe="$") if v is None else urlencode({k: v}, safe="$()") for k, v in params.items()
        )
        url += ("&" if "?" in url else "?") + query
    return url


def redirect_refusal(base: str, location: str) -> RedfishError:
    """The error for an ``http://`` BMC that answered with a redirect (iLO's port 80 sends every request to https).

    The client stops before logging in: following it would send the login POST to http first, password in
    clear, and requests turns a redirected POST into a bodiless GET, whose 401 would then read as a wrong
    password."""
    target = urlsplit(location)
    if target.scheme == "https" and target.hostname:
        https = f"https://{target.netloc}"
        return TransportError(
            f"{base} redirects to {https}: this BMC serves Redfish over HTTPS only. No credentials were sent.",
            hint=f"Connect to {https} (with verify= the BMC's CA file or its sha256 fingerprint).",
        )
    return NotRedfish(f"{base}{ROOT_URI} redirects to {location or 'nowhere'}, not to a Redfish service.")
