"""iLO's ResourceDirectory: one ``Instances`` entry per resource, with its type, ETag and HTTP methods.

Why: iLOrest and HPE's scripts read ``/redfish/v1/ResourceDirectory/`` to find resources by type without walking
the tree. The entries here come from walking the mock's own tree at request time (:mod:`redfishnb.mock.crawl`),
each with the ETag its own GET answers (so an ``If-Match`` built from the directory holds) and the methods its
route allows — never a hand-kept list. Like iLO's, the directory leaves out the schema and registry stores
(JsonSchemas, Registries): iLOrest loads those itself with ``$expand=.`` and, when the directory lists a
JsonSchemaFileCollection, skips that download and reports "Schema support unavailable", so ``set`` fails.
"""

from __future__ import annotations

from typing import Any

from ..crawl import Found, walk
from ..flavors import Flavor
from ..routing import Route
from ..surface import documented
from .common import odata_context

RESOURCE_DIRECTORY = "/redfish/v1/ResourceDirectory"


def _instance(item: Found) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "@odata.id": item.path,
        "@odata.type": item.body.get("@odata.type", ""),
        "ETag": item.etag,
        "HttpMethods": [m.strip() for m in item.route.allow.split(",")],
    }
    members = item.body.get("Members")
    if isinstance(members, list) and str(entry["@odata.type"]).endswith("Collection"):
        entry["MemberType"] = str(entry["@odata.type"]).lstrip("#").split(".")[0].removesuffix("Collection")
    return entry


def resource_directory(ctx: Any) -> dict[str, Any]:
    instances = [_instance(item) for item in walk(ctx)]
    return {
        **odata_context(ctx, "HpeiLOResourceDirectory"),
        "@odata.id": ctx.flavor.link(RESOURCE_DIRECTORY),
        "@odata.type": documented(ctx.flavor)["HpeiLOResourceDirectory"]["odata_type"],
        "Id": "ResourceDirectory",
        "Name": "Resource Directory",
        "Description": "Resource Directory",
        "Instances": instances,
    }


def routes(flavor: Flavor) -> list[Route]:
    if not flavor.has("resource_directory"):
        return []
    return [Route(RESOURCE_DIRECTORY, {"GET": (resource_directory, "LoginPriv")}, name="ResourceDirectory")]
