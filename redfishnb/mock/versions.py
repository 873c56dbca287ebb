"""Which properties a declared schema version defines: a body shows only what its own ``@odata.type`` has.

A mock resource declares one DMTF version (HPE documents ``#ManagerNetworkProtocol.v1_0_0`` for iLO 6 and 7; the
RMC and OpenBMC flavours declare later ones), and a property that version lacks is an error to a schema-checking
client such as DMTF's service validator. The handlers ask here, by the declared type, instead of by flavour.
The versions are those of DMTF's CSDL (DSP8010): the first version of each type that defines the property.
"""

from __future__ import annotations

import re

Version = tuple[int, int, int]

# (type, dotted property) -> first version defining it (DMTF CSDL, ``Namespace="<Type>.vX_Y_Z"``).
ADDED: dict[tuple[str, str], Version] = {
    ("ManagerNetworkProtocol", "NTP"): (1, 2, 0),
    ("ManagerNetworkProtocol", "HTTPS.Certificates"): (1, 4, 0),
    ("Certificate", "SerialNumber"): (1, 3, 0),
}
_VERSION = re.compile(r"^#(\w+)\.v(\d+)_(\d+)_(\d+)\.")


def version(odata_type: str) -> tuple[str, Version] | None:
    """``"#Certificate.v1_8_0.Certificate"`` -> ``("Certificate", (1, 8, 0))``; None for an unversioned type."""
    m = _VERSION.match(odata_type)
    if not m:
        return None
    return m.group(1), (int(m.group(2)), int(m.group(3)), int(m.group(4)))


def defines(odata_type: str, prop: str) -> bool:
    """Whether the declared ``odata_type`` has ``prop`` (a property not listed in :data:`ADDED` is taken as there)."""
    parsed = version(odata_type)
    if parsed is None:
        return True
    name, declared = parsed
    since = ADDED.get((name, prop))
    return since is None or declared >= since
