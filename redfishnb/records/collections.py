"""Reading a Redfish collection with all its members, in as few requests as the service allows.

Reading a collection costs one request when the service advertises ``$expand`` in
``ProtocolFeaturesSupported.ExpandQuery`` (iLO 5/6 do: ``$expand=.`` inlines the members one level deep);
otherwise the members are read with a few concurrent GETs. The tables, the fleet (over a session or over Basic
credentials) and the iLO helpers all read collections here, so the fallbacks (a refused query, references where
members were asked for, a member gone meanwhile) are handled once.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from .._json import dig, odata_id
from ..errors import BadRequest, ResourceNotFound, ServiceError
from .links import uri_path

__all__ = ["Collection", "Getter", "date_header", "expand_query", "read_collection", "service_root"]

_MAX_WORKERS = 4


class Getter(Protocol):
    """What :func:`read_collection` needs of a client: ``get(uri, params=...)`` answering an object with ``json``
    and ``headers``, raising the kit's typed errors (ResourceNotFound, BadRequest ...) for error statuses."""

    def get(self, path: str, *, params: Mapping[str, str] | None = None) -> Any: ...


def service_root(client: Any) -> Mapping[str, Any]:
    """The service root body: the client's cached copy when it has one (no request), else one GET."""
    root = getattr(client, "root", None)
    if isinstance(root, Mapping):
        return root
    body = getattr(root, "json", None)
    if isinstance(body, Mapping):
        return body
    answer = client.get("/redfish/v1/").json
    return answer if isinstance(answer, Mapping) else {}


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

    ``date`` is the service's ``Date`` header (tz-aware UTC): the BMC's own notion of "now", which is what idle
    times and expiries are measured against (the kernel's clock may differ from the BMC's). ``requests`` counts
    the HTTP requests spent reading it (the service root excluded).
    """

    uri: str
    body: Mapping[str, Any]
    members: list[Mapping[str, Any]]
    date: datetime | None
    requests: int


def date_header(response: Any) -> datetime | None:
    """The ``Date`` header of a response as an aware UTC datetime, None when absent or unreadable."""
    headers = getattr(response, "headers", None) or {}
    value = headers.get("Date") if hasattr(headers, "get") else None
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _is_expanded(member: Any) -> bool:
    """A member reference carries only ``@odata.id``; an expanded member carries the resource."""
    return isinstance(member, Mapping) and any(not k.startswith("@odata.") for k in member)


def _get_members(client: Getter, uris: Sequence[str], workers: int) -> list[Mapping[str, Any]]:
    """GET each URI, a few at a time. A member deleted between the listing and its GET (a session that just
    expired or logged out) is skipped rather than failing the whole table."""

    def one(uri: str) -> Mapping[str, Any] | None:
        try:
            body = client.get(uri).json
        except ResourceNotFound:
            return None
        return body if isinstance(body, Mapping) else None

    if len(uris) <= 1 or workers <= 1:
        results = [one(uri) for uri in uris]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(uris)), thread_name_prefix="rfnb-get") as pool:
            results = list(pool.map(one, uris))
    return [r for r in results if r is not None]


def _first_answer(client: Getter, uri: str, expand: str | None) -> tuple[Any, int]:
    """The collection, expanded when the service may expand it; a refused query falls back to the plain GET."""
    if expand:
        try:
            return client.get(uri, params={"$expand": expand}), 1
        except (BadRequest, ServiceError):
            pass
    return client.get(uri), 2 if expand else 1


def read_collection(
    client: Getter,
    uri: str,
    *,
    root: Mapping[str, Any] | None = None,
    workers: int = _MAX_WORKERS,
    expand: str | None = None,
) -> Collection:
    """Read a collection and all its members, spending as few requests as the service allows.

    With ``$expand`` advertised this is one GET (``<uri>?$expand=.`` on iLO). A service that advertises it but
    answers the query with 400/501, or silently returns bare references (iLO's "non implemented options are
    discarded"), still works: the plain collection and the missing members are read instead, ``workers`` at a
    time (1 = one after the other, for callers that already run many BMCs in parallel). ``expand`` names the
    query to try without reading the service root (a fleet's single-request audit).
    """
    if expand is None:
        expand = expand_query(service_root(client) if root is None else root)
    response, requests = _first_answer(client, uri, expand)
    body = response.json if isinstance(response.json, Mapping) else {}
    members = [m for m in body.get("Members") or [] if isinstance(m, Mapping)]
    missing = [u for u in (odata_id(m) for m in members if not _is_expanded(m)) if u]
    if missing:
        fetched = {uri_path(odata_id(m) or ""): m for m in _get_members(client, missing, workers)}
        requests += len(missing)
        found = [m if _is_expanded(m) else fetched.get(uri_path(odata_id(m) or "")) for m in members]
        members = [m for m in found if m is not None]
    return Collection(uri=uri, body=body, members=members, date=date_header(response), requests=requests)
