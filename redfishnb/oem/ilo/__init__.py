"""HPE iLO OEM helpers: license, clock, certificate-login setup, the BMC's HTTPS certificate, MySession.

Certificate login on iLO is a chain of prerequisites, each failing in its own way: an "iLO Advanced" license, a
BMC clock that agrees with the certificates' validity, ``CertificateLoginEnabled``, the CA imported into
``CACertificates``, and the user certificate mapped to an iLO user (``UserCertificateMapping``, with the whole PEM
in a property called ``Fingerprint``). Each step here is one call that checks its prerequisite first and raises
the kit's typed error with a hint, instead of a bare 403 from the BMC.

Every function takes a connected client (:func:`redfishnb.connect`) and works against a real iLO 5/6 or the
embedded mock. The parts, each with one job:

* :mod:`~redfishnb.oem.ilo.accounts`: the caller's privileges (read once per multi-step helper, cached on an
  :class:`IloFacts` per client), accounts, :func:`whoami`;
* :mod:`~redfishnb.oem.ilo.license` and :mod:`~redfishnb.oem.ilo.clock`: the two prerequisites outside the
  certificates;
* :mod:`~redfishnb.oem.ilo.certificate_login`: the setting, trusted CAs, mappings, the whole chain;
* :mod:`~redfishnb.oem.ilo.httpscert`: the BMC's own HTTPS certificate, replaced by a lab-CA one.
"""

from __future__ import annotations

# The package's API is its parts' APIs: each part's __all__ says what it offers, and nothing is restated here.
from . import accounts, certificate_login, clock, httpscert, license
from ._resources import MANAGER, CertLike
from .accounts import *  # noqa: F403
from .certificate_login import *  # noqa: F403
from .clock import *  # noqa: F403
from .httpscert import *  # noqa: F403
from .license import *  # noqa: F403

__all__ = [
    "MANAGER",
    "CertLike",
    *accounts.__all__,
    *license.__all__,
    *clock.__all__,
    *certificate_login.__all__,
    *httpscert.__all__,
]
