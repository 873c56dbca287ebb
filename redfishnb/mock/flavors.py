"""The two personalities of the mock: HPE iLO 6 and the HPE Superdome Flex 280 RMC.

Both speak Redfish, but they differ in ways a client must cope with: iLO sends terse error bodies (MessageId only,
``iLO.0.10.ExtendedInfo`` wrapper), weak 8-hex ETags, trailing slashes on links and ``Location``, and an
``HpeiLOSession`` OEM block; the RMC sends DMTF-style full messages under ``Base.1.8.GeneralError``, strong
32-hex ETags, ``Session.v1_2_1`` with ``HpeSession.InitialRole``, and names its manager ``RMC`` and its system
``Partition0``. Everything that differs is a field here, so handlers never test the flavour name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flavor:
    name: str
    product: str
    base_registry: str  # prefix of Base MessageIds, e.g. "Base.1.12"
    oem_registry: str  # prefix of OEM MessageIds (iLO registry) or "" when the BMC has none
    manager_id: str
    system_id: str
    chassis_id: str
    terse_errors: bool  # iLO: MessageId (+ MessageArgs) only; RMC: full registry text
    weak_etags: bool  # iLO: W/"8HEX"; RMC: "32hex"
    trailing_slash: bool  # iLO appends "/" to collection member links and to Location
    session_type: str
    server_header: str
    hpe_oem_services: bool  # LicenseService, SecurityService, certificate login, UserCertificateMapping
    extra_accounts: tuple[tuple[str, str, str], ...] = ()

    def link(self, path: str) -> str:
        """A member link as this BMC writes it (iLO: with a trailing slash)."""
        return path.rstrip("/") + "/" if self.trailing_slash else path.rstrip("/")


ILO6 = Flavor(
    name="ilo6",
    product="ProLiant DL360 Gen11",
    base_registry="Base.1.12",
    oem_registry="iLO.2.34",
    manager_id="1",
    system_id="1",
    chassis_id="1",
    terse_errors=True,
    weak_etags=True,
    trailing_slash=True,
    session_type="#Session.v1_0_0.Session",
    server_header="HPE-iLO-Server/1.30",
    hpe_oem_services=True,
)

RMC = Flavor(
    name="rmc",
    product="Superdome Flex 280",
    base_registry="Base.1.8",
    oem_registry="",
    manager_id="RMC",
    system_id="Partition0",
    chassis_id="RMC",
    terse_errors=False,
    weak_etags=False,
    trailing_slash=False,
    session_type="#Session.v1_2_1.Session",
    server_header="HPE-RMC",
    hpe_oem_services=False,
    extra_accounts=(("administrator", "administrator", "Administrator"),),
)

FLAVORS: dict[str, Flavor] = {f.name: f for f in (ILO6, RMC)}


def get_flavor(name: str | Flavor) -> Flavor:
    if isinstance(name, Flavor):
        return name
    try:
        return FLAVORS[name.lower()]
    except KeyError:
        raise ValueError(f"flavor must be one of {sorted(FLAVORS)}, not {name!r}") from None
