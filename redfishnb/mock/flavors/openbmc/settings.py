"""The openbmc flavour's authentication settings and counters, one object per mock BMC.

Why beside the generic state: these are the AccountService/SessionService settings a DMTF-standard BMC has and
an iLO does not (``HTTPBasicAuth``, ``MultiFactorAuth``, the lockout triple, TOTP secrets, the client-CA trust
store). They hang off the BMC's state through :func:`settings_of`, so the generic state stays flavour-free.

Defaults and their sources (bmcweb @7debb892 unless noted):

* ``SessionTimeout`` 1800 s — ``include/sessions.hpp`` (``SessionStore() : timeoutInSeconds(1800)``).
* Session limit: none — bmcweb never emits ``SessionLimitExceeded`` for Redfish sessions; ``session_limit``
  here can set one (503 ``SessionLimitExceeded`` when reached).
* ``HTTPBasicAuth`` Enabled — ``meson.options`` ``basic-auth`` enabled.
* ``ClientCertificate``: ``Enabled`` true (``mutual-tls-auth`` enabled), ``RespondToUnauthenticatedClients``
  true (``TLSStrict`` false in ``include/sessions.hpp``), ``CertificateMappingAttribute`` CommonName
  (``mutual-tls-common-name-parsing-default``).
* Lockout: :data:`redfishnb.mock.standard.lockout.OPENBMC_DEFAULTS` (threshold 0, duration 0, reset 900 s).
* TOTP: off; ``TimeStepSeconds`` 30 (the schema's default when unsupported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from ...standard import basic_policy
from ...standard.client_cert import DEFAULT_MAPPING
from ...standard.lockout import OPENBMC_DEFAULTS, LockoutPolicy, LockoutTracker
from ...standard.totp import DEFAULT_STEP, TotpVerifier


@dataclass
class ClientCertificateSettings:
    """``AccountService.MultiFactorAuth.ClientCertificate`` and the CAs it trusts (id -> certificate)."""

    enabled: bool = True
    respond_to_unauthenticated: bool = True
    mapping: str = DEFAULT_MAPPING
    authorities: dict[str, x509.Certificate] = field(default_factory=dict, repr=False)


@dataclass
class StandardAuth:
    """Everything the openbmc flavour adds to a BMC's state."""

    basic: basic_policy.BasicAuthState = basic_policy.DEFAULT
    lockout: LockoutTracker = field(default_factory=lambda: LockoutTracker(OPENBMC_DEFAULTS))
    totp_enabled: bool = False
    totp: TotpVerifier = field(default_factory=lambda: TotpVerifier(step=DEFAULT_STEP))
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # user name -> TOTP secret
    client_cert: ClientCertificateSettings = field(default_factory=ClientCertificateSettings)
    identity_certs: dict[str, dict[str, bytes]] = field(default_factory=dict, repr=False)  # user -> id -> DER
    contexts: dict[str, str] = field(default_factory=dict)  # session id -> Context from the login POST
    next_certificate_id: int = 1

    def identity_map(self) -> dict[str, list[bytes]]:
        """User name -> identity certificates (DER), for the ``Whole`` mapping."""
        return {user: list(certs.values()) for user, certs in self.identity_certs.items()}


_KEY = "openbmc.settings"


def settings_of(state: Any) -> StandardAuth:
    """The openbmc settings of one BMC's state (kept in ``state.extras``, as long as its accounts), created on
    first use."""
    with state.lock:
        found = state.extras.get(_KEY)
        if not isinstance(found, StandardAuth):
            found = state.extras[_KEY] = StandardAuth(lockout=LockoutTracker(_initial_lockout(state)))
        return found


def _initial_lockout(state: Any) -> LockoutPolicy:
    """``MockBMC(lockout_threshold=…, lockout_duration=…)`` (else the flavour's defaults) start the counters."""
    policy = state.policy
    return LockoutPolicy(
        threshold=int(policy.lockout_threshold),
        duration=int(policy.lockout_duration),
        reset_after=OPENBMC_DEFAULTS.reset_after,
    )
