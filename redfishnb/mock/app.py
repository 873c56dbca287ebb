"""The request pipeline: authenticate, route, authorise, validate, handle, decorate — in that order.

Authentication comes before routing (an anonymous client gets 401 for ``/redfish/v1/Nope`` too, as DSP0266 asks:
authentication headers are processed first). Then: OData-Version (412), 404, 405 with ``Allow``, the
flavour's account gate (PasswordChangeRequired), the route's privilege (403 ``InsufficientPrivilege``; both are
flavour hooks, :mod:`.flavors.hooks`), Accept (406) and query options (501/400), the JSON body (400/415), ``If-Match`` (412), and finally the handler. GET answers get ``ETag``/``@odata.etag``, ``Allow``
and ``Link: rel=describedby``; every answer gets ``OData-Version``, ``Cache-Control`` and ``Content-Type``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from . import query, surface
from .auth import Principal
from .faults import Faults
from .flavors import Flavor
from .handlers import (
    accounts,
    certificates,
    certservice,
    crl,
    directory,
    httpscert,
    license,
    manager,
    network,
    schemas,
    sessions,
    systems,
    timeservice,
)
from .handlers.accounts import ACCOUNTS
from .messages import error_body, message
from .openapi import openapi_document
from .resources import routes as resource_routes
from .routing import Route, Router, normalize
from .state import Account, BMCState
from .wire import Problem, Request, Response

log = logging.getLogger("redfishnb.mock")

_VOLATILE = frozenset({"Time", "DateTime"})  # left out of ETags: they change with the clock, not the resource


@dataclass
class Context:
    """What a handler sees: the app, the request, the caller, path parameters and the parsed body."""

    app: App
    request: Request
    principal: Principal | None
    params: dict[str, str]
    route: Route | None = None
    body: Any = None

    @property
    def state(self) -> BMCState:
        return self.app.state

    @property
    def flavor(self) -> Flavor:
        return self.app.state.flavor


def build_router(flavor: Flavor) -> Router:
    router = Router(resource_routes(flavor))
    modules = (
        sessions,
        accounts,
        systems,
        license,
        certificates,
        crl,
        httpscert,
        certservice,
        network,
        timeservice,
        schemas,
        directory,
        manager,
    )
    for module in modules:
        for route in module.routes(flavor):
            router.add(route)
    extensions = [importlib.import_module(name) for name in flavor.route_modules]
    for extension in extensions:  # the flavour's own routes (flavor.json "route_modules")
        for route in extension.routes(flavor):
            router.put(route)  # same pattern as a generic route: the flavour's replaces it
    surface.extend(router, flavor)
    for (
        extension
    ) in extensions:  # and what they lay over generic routes (optional ``extend(router, flavor)``)
        if hasattr(extension, "extend"):
            extension.extend(router, flavor)
    router.add(
        Route(
            "/redfish/v1/openapi.yaml",
            {"GET": (lambda ctx: openapi_document(ctx.app.router), None)},
            name="OpenAPI",
            public=frozenset({"GET"}),
            media_type="application/yaml",
        )
    )
    return router


def etag_of(flavor: Flavor, body: Any, salt: str = "") -> str:
    """The resource's ETag: a hash of its body without ``@odata.etag`` and the clock-driven properties."""
    if isinstance(body, dict):
        stable = {k: v for k, v in body.items() if k not in _VOLATILE and k != "@odata.etag"}
        hpe = stable.get("Oem", {}).get("Hpe") if isinstance(stable.get("Oem"), dict) else None
        if isinstance(hpe, dict) and _VOLATILE & hpe.keys():
            stable["Oem"] = {**stable["Oem"], "Hpe": {k: v for k, v in hpe.items() if k not in _VOLATILE}}
    else:
        stable = body
    data = (json.dumps(stable, sort_keys=True, separators=(",", ":")) + salt).encode()
    if flavor.etag_style == "weak-crc32":
        return f'W/"{zlib.crc32(data):08X}"'
    return f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"'


def _bare(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


class App:
    """One BMC's Redfish application; the HTTP server hands it :class:`Request` objects."""

    def __init__(
        self, state: BMCState, certs: Any, *, uuid: str, port: int, faults: Faults | None = None
    ) -> None:
        self.state = state
        self.certs = certs
        self.uuid = uuid
        self.port = port
        self.router = build_router(state.flavor)
        # Set by MockBMC: starts an iLO reset in the background (the Manager.Reset action's reply goes first).
        self.on_reset: Callable[[], None] | None = None
        self.faults = faults if faults is not None else Faults()  # the instructor's switches (MockBMC.faults)

    # --- helpers for handlers -------------------------------------------------------------------------------

    def absolute_url(self, request: Request, path: str) -> str:
        """``https://host/path`` on 443 (real iLO style), ``https://host:PORT/path`` otherwise.

        ``host`` is the name the client used when the certificate covers it (so the client can follow the URL),
        else the BMC's own address: a forged Host header cannot point a client's logout elsewhere."""
        port = "" if self.port == 443 else f":{self.port}"
        return f"https://{self.public_host(request.host)}{port}{quote(path, safe='/$')}"

    def public_host(self, candidate: str | None) -> str:
        """``candidate`` (bracketed if IPv6) when the server certificate names it, else the BMC's address."""
        names = self.certs.tls.hosts if self.certs is not None else ("127.0.0.1",)
        host = candidate if candidate and candidate.lower() in names else names[0]
        return f"[{host}]" if ":" in host else host

    def account_path(self, account: Account) -> str:
        return self.state.flavor.link(f"{ACCOUNTS}/{account.id}")

    # --- the pipeline ---------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if self.faults.armed:  # an instructor set a fault switch; otherwise this one read is all it costs
            return self._decorate(request, self.faults.answer(self, request, self._answer))
        return self._decorate(request, self._answer(request))

    def _answer(self, request: Request) -> Response:
        try:
            response = self._handle(request)
        except Problem as problem:
            response = self.problem_response(problem)
        except Exception as exc:  # never a traceback to the client, never a secret in the log
            log.error("internal error on %s %s: %s", request.method, request.path, type(exc).__name__)
            response = self.problem_response(Problem(500, "InternalError"))
        return response

    def problem_response(self, problem: Problem) -> Response:
        flavor = self.state.flavor
        if problem.items is not None:
            items = problem.items
        else:
            items = [message(flavor, problem.key, *problem.args_, related=problem.related)]
            items += [message(flavor, key, *args) for key, args in problem.extra]
        return Response(problem.status, error_body(flavor, items), headers=dict(problem.headers))

    def _handle(self, request: Request) -> Response:
        method = request.method.upper()
        path = normalize(request.path)
        route, params = self.router.match(path)
        principal = self._caller(route, method, request)
        version = request.headers.get("odata-version")
        if version is not None and version.strip() != "4.0":
            raise Problem(412, "HeaderInvalid", "OData-Version")
        if route is None:
            raise Problem(404, "ResourceMissingAtURI", path)
        if method not in route.methods:
            raise Problem(405, "OperationNotAllowed", headers={"Allow": route.allow})
        handler, privilege = route.methods[method]
        if principal is not None:
            flavor = self.state.flavor
            flavor.hook("account_gate")(self, route, method, params, principal)
            if privilege and not flavor.hook("authorize")(principal, route, method, privilege):
                raise Problem(403, "InsufficientPrivilege")
        opts = self._query_options(method, request, route)
        ctx = Context(self, request, principal, params, route)
        if method in ("POST", "PATCH", "PUT"):
            ctx.body = self._parse_body(request)
            if method in ("PATCH", "PUT") and "GET" in route.methods:
                self._check_if_match(ctx, route)
        result = handler(ctx)
        response = result if isinstance(result, Response) else Response(200, result)
        if method in ("GET", "HEAD") and response.status == 200:
            response.headers.setdefault("Allow", route.allow)
            if isinstance(response.body, dict):
                return self._finish_read(request, response, opts, principal)
        if response.status in (200, 201) and isinstance(response.body, dict) and "@odata.id" in response.body:
            response.body = self._with_etag(response.body, response)
        return response

    def _caller(self, route: Route | None, method: str, request: Request) -> Principal | None:
        """Authenticate, unless the URI is open for this method (then only a token is looked at, for $expand)."""
        authenticate = self.state.flavor.hook("authenticate")
        if route is None or method not in route.public:
            return authenticate(self.state, request)  # type: ignore[no-any-return]
        if request.headers.get("x-auth-token") and any(k == "$expand" for k, _ in request.query):
            try:
                return authenticate(self.state, request)  # type: ignore[no-any-return]
            except Problem:
                return None
        return None

    def _query_options(self, method: str, request: Request, route: Route) -> query.QueryOptions:
        if method in ("GET", "HEAD"):
            self._check_accept(request, route)
            return query.parse(request.query)
        for name, _ in request.query:
            if name.startswith("$") and name not in query.SUPPORTED:
                raise Problem(501, "QueryParameterUnsupported", name)
        return query.QueryOptions()

    def _finish_read(
        self, request: Request, response: Response, opts: query.QueryOptions, principal: Principal | None
    ) -> Response:
        """Apply ?only, $expand and $select; add ETag and Link; answer 304 to a matching If-None-Match."""
        body = response.body
        if opts.only:
            member = query.is_single_member_collection(body)
            fetched = self._internal_get(member, principal, request) if member else None
            if fetched is not None:
                body, response.etag_salt = fetched
        if opts.expand and principal is not None:
            body = query.expand(body, lambda p: (self._internal_get(p, principal, request) or (None,))[0])
        if opts.select is not None:
            body = query.select(body, opts.select)
        response.body = self._with_etag(body, response)
        response.headers.setdefault("Link", self._describedby(body))
        wanted = request.headers.get("if-none-match")
        if wanted and _bare(response.headers["ETag"]) in {_bare(t) for t in wanted.split(",")}:
            return Response(304, None, headers=response.headers)
        return response

    def _check_accept(self, request: Request, route: Route) -> None:
        accept = request.headers.get("accept")
        if not accept:
            return
        kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
        if not any(k in (route.media_type, "application/*", "*/*") for k in kinds):
            raise Problem(406, "HeaderInvalid", "Accept")

    def _parse_body(self, request: Request) -> Any:
        if not request.body.strip():
            return None
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            raise Problem(415, "UnsupportedMediaType")
        try:
            return json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Problem(400, "MalformedJSON") from None

    def _check_if_match(self, ctx: Context, route: Route) -> None:
        header = ctx.request.headers.get("if-match")
        if not header or header.strip() == "*":
            return
        current = route.methods["GET"][0](Context(self, ctx.request, ctx.principal, ctx.params, route))
        response = current if isinstance(current, Response) else Response(200, current)
        tag = etag_of(self.state.flavor, response.body, response.etag_salt)
        if _bare(tag) not in {_bare(t) for t in header.split(",")}:
            raise Problem(412, "PreconditionFailed")

    def _internal_get(
        self, path: str, principal: Principal | None, request: Request
    ) -> tuple[dict[str, Any], str] | None:
        """GET ``path`` as ``principal`` for $expand and ?only; None when it is not readable."""
        route, params = self.router.match(normalize(path))
        if route is None or "GET" not in route.methods:
            return None
        handler, privilege = route.methods["GET"]
        authorize = self.state.flavor.hook("authorize")
        if privilege and (principal is None or not authorize(principal, route, "GET", privilege)):
            return None
        try:
            result = handler(Context(self, request, principal, params, route))
        except Problem:
            return None
        response = result if isinstance(result, Response) else Response(200, result)
        if not isinstance(response.body, dict):
            return None
        return self._with_etag(response.body, response), response.etag_salt

    def internal_get(
        self, path: str, principal: Principal | None, request: Request
    ) -> tuple[dict[str, Any], str, Route] | None:
        """GET ``path`` as ``principal`` for the resource walk: (body with ``@odata.etag``, ETag, route)."""
        got = self._internal_get(path, principal, request)
        if got is None:
            return None
        body = got[0]
        route, _ = self.router.match(normalize(path))
        if route is None:  # pragma: no cover - _internal_get found it a moment ago
            return None
        return body, str(body.get("@odata.etag", "")), route

    def _with_etag(self, body: dict[str, Any], response: Response) -> dict[str, Any]:
        tag = etag_of(self.state.flavor, body, response.etag_salt)
        response.headers["ETag"] = tag
        out: dict[str, Any] = {}
        for key, value in body.items():
            if key == "@odata.etag":
                continue
            out[key] = value
            if key == "@odata.context" or (key == "@odata.id" and "@odata.context" not in body):
                out["@odata.etag"] = tag
        if "@odata.etag" not in out and "@odata.id" in body:
            out["@odata.etag"] = tag
        return out

    def _describedby(self, body: dict[str, Any]) -> str:
        odata_type = str(body.get("@odata.type") or "#Resource.Resource")
        name = odata_type.lstrip("#").split(".")[0]
        return f"</redfish/v1/SchemaStore/en/{name}.json/>; rel=describedby"

    def _decorate(self, request: Request, response: Response) -> Response:
        headers = response.headers
        headers.setdefault("OData-Version", "4.0")
        headers.setdefault("Cache-Control", "no-cache")
        headers.setdefault("X-Frame-Options", "sameorigin")
        for name, value in self.state.flavor.extra_headers.items():
            headers.setdefault(name, value)
        return response
