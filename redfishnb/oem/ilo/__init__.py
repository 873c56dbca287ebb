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

from ._resources import MANAGER, CertLike
from .accounts import (
    IloFacts,
    caller_privileges,
    ensure_user,
    find_account,
    remembered_privileges,
    require_privilege,
    whoami,
)
from .certificate_login import (
    certificate_login_problems,
    certificate_login_settings,
    disable_certificate_login,
    enable_certificate_login,
    import_ca_certificate,
    list_ca_certificates,
    list_user_certificate_mappings,
    map_user_certificate,
    remove_ca_certificate,
    remove_user_certificate_mapping,
    setup_certificate_login,
)
from .clock import ClockReport, ClockSkewWarning, bmc_clock, check_clock
from .httpscert import https_certificate, replace_https_certificate
from .license import License, install_license, read_license, require_advanced_license

__all__ = [
    "MANAGER",
    "CertLike",
    "IloFacts",
    "License",
    "ClockReport",
    "ClockSkewWarning",
    "read_license",
    "require_advanced_license",
    "install_license",
    "bmc_clock",
    "check_clock",
    "caller_privileges",
    "require_privilege",
    "remembered_privileges",
    "certificate_login_settings",
    "enable_certificate_login",
    "disable_certificate_login",
    "import_ca_certificate",
    "list_ca_certificates",
    "remove_ca_certificate",
    "map_user_certificate",
    "list_user_certificate_mappings",
    "remove_user_certificate_mapping",
    "find_account",
    "ensure_user",
    "https_certificate",
    "replace_https_certificate",
    "certificate_login_problems",
    "setup_certificate_login",
    "whoami",
]
