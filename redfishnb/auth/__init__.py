"""How a client proves who it is to a BMC: one auth object per client, owning its session's life.

Redfish offers HTTP Basic on every request (:class:`BasicAuth`: no session is created, safe against session
leaks, but the password travels each time) and sessions (:class:`PasswordSession`: ``POST`` credentials to the
collection named by the service root's ``Links.Sessions``; the BMC answers ``201`` with an ``X-Auth-Token`` and
the session's ``Location``, which is what logout ``DELETE``\\ s). iLO adds certificate login
(:class:`CertificateSession`); a DMTF-standard service takes a session POST over mutual TLS
(:class:`StandardCertificateSession`) and TOTP codes (:class:`TotpSecret`). :class:`AttachedSession` takes up a session another program handed over, and
:class:`NoAuth` sends nothing (``auth="none"``). Each object logs in, says whether it can log in again after a
401, refreshes and logs out, always through the client's own send path (:class:`Wire`), so every login and
logout lands in the exchange log. BMCs allow few sessions, so logout matters; no auth object shows a password or
a whole token in its repr.
"""

from __future__ import annotations

from ..records.links import STANDARD_SESSIONS_URI, sessions_uri
from .attached import AttachedSession
from .base import Auth, ClientIdentity, NoAuth, Wire
from .basic import TWO_FACTOR_BASIC_HINT, BasicAuth, basic_login_refused
from .certificate import (
    CERTIFICATE_LOGIN_URI,
    CertificateSession,
    StandardCertificateSession,
    untrusted_by,
)
from .choice import auth_for
from .password import PasswordSession
from .service import is_ilo, is_standard
from .session import SessionAuth, session_path
from .totp import TotpSecret

__all__ = [
    "Auth",
    "Wire",
    "NoAuth",
    "BasicAuth",
    "SessionAuth",
    "PasswordSession",
    "CertificateSession",
    "StandardCertificateSession",
    "TotpSecret",
    "is_ilo",
    "is_standard",
    "ClientIdentity",
    "AttachedSession",
    "STANDARD_SESSIONS_URI",
    "CERTIFICATE_LOGIN_URI",
    "TWO_FACTOR_BASIC_HINT",
    "login_uri_from_root",
    "session_path",
    "basic_login_refused",
    "auth_for",
    "untrusted_by",
]

#: The old name of :func:`redfishnb.records.links.sessions_uri`, kept for its callers.
login_uri_from_root = sessions_uri
