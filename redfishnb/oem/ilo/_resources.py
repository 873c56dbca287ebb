"""Where iLO keeps things and how its answers are read: the URIs, privilege names and small readers every helper uses.

Action targets and collection links are read from each resource rather than assumed (iLO versions differ:
``HpHttpsCert`` vs ``HpeHttpsCert``); the URIs here are HPE's documented ones, used only as fallbacks and as the
resources that have no link to follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from ... import certs
from ..._json import dig, odata_id
from ...errors import ServiceError

MANAGER = "/redfish/v1/Managers/1"
_LICENSE = f"{MANAGER}/LicenseService/"
_CERT_AUTH = f"{MANAGER}/SecurityService/CertificateAuthentication"
_HTTPS_CERT = f"{MANAGER}/SecurityService/HttpsCert"
_ACCOUNT_SERVICE = "/redfish/v1/AccountService"
_ACCOUNTS = f"{_ACCOUNT_SERVICE}/Accounts"
_MAPPINGS = f"{_ACCOUNT_SERVICE}/UserCertificateMapping"

# What each operation needs on iLO (user guide: "Prerequisites" of each page).
_ILO_CONFIG = "iLOConfigPriv"
_USER_CONFIG = "UserConfigPriv"
_ADVANCED_TIERS = {"ADV", "BLADV", "APSE"}

CertLike = certs.Source | x509.Certificate | certs.KeyPair


def _body(response: Any) -> dict[str, Any]:
    body = getattr(response, "json", response)
    return dict(body) if isinstance(body, Mapping) else {}


def _link(body: Mapping[str, Any], fallback: str, *paths: tuple[str, ...]) -> str:
    """The first ``@odata.id`` found at one of ``paths`` in ``body``, else the documented fallback URI."""
    for path in paths:
        found = odata_id(dig(body, *path))
        if found:
            return found
    return fallback


def _action_target(body: Mapping[str, Any], action: str, resource: str) -> str:
    """``Actions["#<action>"].target``: iLO versions differ (``HpHttpsCert`` vs ``HpeHttpsCert``), so read it."""
    actions = body.get("Actions")
    if not isinstance(actions, Mapping):
        actions = {}
    short = action.split(".", 1)[1]
    for name, spec in actions.items():
        if name.lstrip("#") == action or name.endswith(f".{short}"):
            target = spec.get("target") if isinstance(spec, Mapping) else None
            if target:
                return str(target)
    raise ServiceError(
        f"{resource} offers no {action} action (Actions: {sorted(actions) or 'none'}).",
        hint="This firmware does not support the operation through Redfish: update the iLO firmware or use its web UI.",
    )


def _members(client: Any, uri: str) -> list[dict[str, Any]]:
    """The members of a collection, read with ``$expand`` where iLO offers it (see redfishnb.records)."""
    from ...records import read_collection

    return [dict(m) for m in read_collection(client, uri).members]


def _uri(member: Mapping[str, Any]) -> str:
    return str(member.get("@odata.id") or "")


def _path_of(uri: str | None) -> str:
    """A ``Location`` (iLO makes it absolute) as the path the rest of the kit uses."""
    return urlsplit(uri).path if uri else ""


def _is_uri(which: Any) -> bool:
    return isinstance(which, str) and which.startswith(("/redfish/", "https://", "http://"))


def _looks_like_path(text: str) -> bool:
    return text.endswith((".pem", ".crt", ".cer", ".der")) or "/" in text or "\\" in text
