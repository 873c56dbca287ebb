"""What kind of service a BMC is, judged from what its visit read — never by an extra request.

A Basic audit reads one resource: ``GET /redfish/v1/SessionService/Sessions/?$expand=.``, the place DSP0266 gives
the collection. That answer says enough to tell an iLO from a DMTF-standard service: iLO puts ``Oem.Hpe`` on the
collection (``Links.MySession``, the sessions summary) and iLO's session details (``AccessTime``, ``LoginTime``,
``MySession``) in ``Oem.Hpe`` of each member; the Superdome Flex RMC's members have an ``Oem.Hpe`` too, but only
with ``InitialRole``, and OpenBMC has none. Who made the BMC (``Vendor``, ``Product``, the root's ``Oem`` blocks)
is only in the service root, so it is known only where the visit read the root anyway: a session visit (the
client reads it before its login), a BMC that keeps its sessions elsewhere (the root names the place), or a
Basic refusal that has to be worded by the kind of service. Nothing here is guessed from a host name or a port.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._json import dig
from ..auth.service import is_ilo
from ..records import Collection, expand_query, sessions_uri

__all__ = ["Service", "BASIC_EXPAND"]

#: iLO's documented form; a service that ignores it returns references, which are read one by one.
BASIC_EXPAND = "."

# iLO's own session details under a member's Oem.Hpe (the RMC's Oem.Hpe has only InitialRole).
_ILO_SESSION_DETAILS = ("AccessTime", "LoginTime", "MySession", "Privileges", "UserTag")


@dataclass(frozen=True)
class Service:
    """One BMC's service, as far as the fleet needs it and as far as its visit read it.

    ``kind`` is ``"iLO"`` or ``"standard"`` (OpenBMC, the Superdome Flex RMC ...). ``vendor``, ``product`` and
    ``oem`` (the root's ``Oem`` blocks) come from the service root only: None/empty when the visit did not read
    it (``root_read`` False — a Basic audit reads the Sessions collection alone). ``sessions_uri`` is where the
    sessions were read, ``expand`` the ``$expand`` value to ask for there (None: the service does not expand).
    """

    vendor: str | None
    product: str | None
    oem: tuple[str, ...]
    kind: str
    sessions_uri: str
    expand: str | None
    root_read: bool = True

    @classmethod
    def from_root(cls, root: Mapping[str, Any]) -> Service:
        """The service as its root says (see :func:`redfishnb.auth.service.is_ilo`)."""
        oem = root.get("Oem")
        features = root.get("ProtocolFeaturesSupported")
        return cls(
            vendor=_text(root.get("Vendor")),
            product=_text(root.get("Product")),
            oem=tuple(sorted(str(k) for k in oem)) if isinstance(oem, Mapping) else (),
            kind="iLO" if is_ilo(root) else "standard",
            sessions_uri=sessions_uri(root),
            # a root that does not describe its protocol features gets iLO's form, which others ignore or refuse
            expand=expand_query(root) if isinstance(features, Mapping) else BASIC_EXPAND,
        )

    @classmethod
    def from_sessions(cls, read: Collection) -> Service:
        """The service as its Sessions answer says: iLO's ``Oem.Hpe`` on the collection or iLO's session details
        in a member's ``Oem.Hpe`` make an iLO, anything else a standard service. Vendor and product stay unknown."""
        ilo = isinstance(dig(read.body, "Oem", "Hpe"), Mapping) or any(_ilo_member(m) for m in read.members)
        return cls(
            vendor=None,
            product=None,
            oem=(),
            kind="iLO" if ilo else "standard",
            sessions_uri=read.uri,
            expand=BASIC_EXPAND,
            root_read=False,
        )

    @property
    def standard(self) -> bool:
        """A DMTF-standard service: a Basic 401 without a challenge then says Basic is not Enabled on it."""
        return self.kind == "standard"


def _ilo_member(member: Mapping[str, Any]) -> bool:
    hpe = dig(member, "Oem", "Hpe")
    return isinstance(hpe, Mapping) and any(key in hpe for key in _ILO_SESSION_DETAILS)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
