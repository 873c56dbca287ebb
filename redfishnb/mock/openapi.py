"""``/redfish/v1/openapi.yaml``: an OpenAPI 3 description generated from the mock's own route table.

Redfish services may publish one; generating it from the routes keeps it true to what the mock serves, and it
lets tools that read OpenAPI (and DMTF's protocol validator) see each URI, its methods and who may call them.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .routing import Router
from .wire import Response

_DESCRIBE = {
    "GET": "Read",
    "HEAD": "Read headers of",
    "POST": "Create or act on",
    "PATCH": "Update",
    "DELETE": "Delete",
}


def openapi_document(router: Router) -> Response:
    paths: dict[str, Any] = {}
    for route in router.routes:
        params = re.findall(r"\{(\w+)\}", route.pattern)
        ops: dict[str, Any] = {}
        for method, (_handler, privilege) in route.methods.items():
            if method == "HEAD":
                continue
            op: dict[str, Any] = {
                "summary": f"{_DESCRIBE.get(method, method)} {route.name or route.pattern}",
                "responses": {"200": {"description": "Success"}, "401": {"description": "No valid session"}},
            }
            if method in route.public:
                op["security"] = []
            elif privilege:
                op["description"] = f"Needs the iLO privilege {privilege}."
            ops[method.lower()] = op
        if params:
            ops["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in params
            ]
        paths[route.pattern] = ops
    document = {
        "openapi": "3.0.1",
        "info": {"title": "redfishnb mock BMC", "version": "1.0.0"},
        "components": {
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "session": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"},
            }
        },
        "security": [{"basicAuth": []}, {"session": []}],
        "paths": paths,
    }
    text = yaml.safe_dump(document, sort_keys=False)
    return Response(200, text.encode(), content_type="application/yaml")
