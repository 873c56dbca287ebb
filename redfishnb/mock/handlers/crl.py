"""HpeCertAuth's certificate revocation list: ``ImportCRL`` (from a URI, as iLO does) and ``DeleteCRL``.

Why: a CRL is how a lab shows that trusting a CA is not the end of the story — a revoked student certificate must
stop logging in while its CA stays trusted. iLO downloads the CRL from ``ImportUri``; the mock does too, but only
from this machine (``http``/``https`` on a loopback address): a lab mock never reaches off the machine. The
installed CRL shows as ``CRLIssuer``/``CRLSerial`` on CertificateAuthentication; certificate logins with a
certificate it revokes are refused. Both actions need iLOConfigPriv.
"""

from __future__ import annotations

import ipaddress
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from ..flavors import Flavor
from ..routing import Route
from ..wire import Problem
from .certificates import DELETE_CRL, IMPORT_CRL
from .common import require_fields, success

MAX_CRL_BYTES = 1 << 20
FETCH_TIMEOUT_S = 5.0


def _loopback(host: str | None) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse every redirect (urllib raises HTTPError for the 30x answer instead of following it)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _download(uri: str) -> bytes:
    """The CRL at ``uri`` (loopback http/https only); ValueError naming what went wrong."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not _loopback(parts.hostname):
        raise ValueError("only http(s) URIs on this machine can be fetched by the lab BMC")
    context = ssl._create_unverified_context() if parts.scheme == "https" else None  # noqa: S323 - loopback only
    # No redirects: a 30x to another host would undo the loopback check above.
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect())
    try:
        with opener.open(uri, timeout=FETCH_TIMEOUT_S) as reply:
            data: bytes = reply.read(MAX_CRL_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise ValueError(f"download failed: {exc}") from None
    if len(data) > MAX_CRL_BYTES:
        raise ValueError("the CRL is larger than 1 MiB")
    return data


def import_crl(ctx: Any) -> dict[str, Any]:
    action = "HpeCertAuth.ImportCRL"
    body = require_fields(ctx, {"ImportUri": str}, optional={"Action": str})
    uri = body["ImportUri"]
    try:
        ctx.app.certs.install_crl(_download(uri))
    except ValueError:
        raise Problem(400, "ActionParameterValueFormatError", uri, "ImportUri", action) from None
    return success(ctx)


def delete_crl(ctx: Any) -> dict[str, Any]:
    ctx.app.certs.delete_crl()
    return success(ctx)


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("crl"):
        return []
    return [
        Route(IMPORT_CRL, {"POST": (import_crl, "iLOConfigPriv")}, name="ImportCRL"),
        Route(DELETE_CRL, {"POST": (delete_crl, "iLOConfigPriv")}, name="DeleteCRL"),
    ]
