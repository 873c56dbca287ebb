"""The embedded mock BMC: an HTTPS Redfish service that behaves like an HPE iLO 6 or iLO 7, a Superdome Flex 280
RMC (or any flavour folder under ``flavors/``) for authentication, sessions and privileges, and enforces them.

    from redfishnb.mock import MockBMC, MockFleet
    with MockBMC(seed=1) as bmc:
        requests.get(bmc.url + "/redfish/v1/", verify=bmc.ca_file)
"""

from __future__ import annotations

from .bmc import MockBMC, PlantedSession
from .fleet import MockFleet

__all__ = ["MockBMC", "MockFleet", "PlantedSession"]
