"""``connect(auth="session" | "basic" | "certificate" | "none")``: the one place a method name becomes an object.

Two logins depend on the service as well as on the name: a certificate login is iLO's login page or a DMTF
session POST over mutual TLS, and a two-factor code is iLO's e-mailed passcode or a TOTP code. The service root
decides (:mod:`redfishnb.auth.service`), so ``connect()`` calls :func:`auth_for` twice: once before any request
(the arguments are checked, and a root that cannot be read leaves the iLO-shaped objects the kit always had),
and once with the root it read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .attached import AttachedSession
from .base import Auth, NoAuth
from .basic import BasicAuth
from .certificate import CertificateSession, StandardCertificateSession
from .password import PasswordSession
from .service import is_standard
from .totp import TotpSecret, as_totp_secret

__all__ = ["METHODS", "auth_for"]

METHODS = ("session", "basic", "certificate", "none")


def _check(
    method: str, username: str | None, password: str | None, token: str | None, cert: Any, two_factor: bool
) -> None:
    if method not in METHODS:
        raise ValueError(f"auth must be one of {', '.join(METHODS)}, not {method!r}")
    if method in ("session", "basic") and not token and (not username or password is None):
        raise ValueError(
            f'auth="{method}" needs username= and password= (or token= and session_uri= to attach).'
        )
    if method == "certificate" and cert is None:
        raise ValueError('auth="certificate" needs cert= (and key= unless the key is in the same file).')
    if two_factor and (method != "session" or token):
        raise ValueError('otp= and otp_secret= belong to a password login (auth="session" without token=).')


def auth_for(
    method: str,
    username: str | None = None,
    password: str | None = None,
    *,
    otp: str | None = None,
    otp_secret: str | TotpSecret | None = None,
    token: str | None = None,
    session_uri: str | None = None,
    cert: Any = None,
    key: Any = None,
    key_password: str | bytes | None = None,
    reauth: bool = False,
    root: Mapping[str, Any] | None = None,
) -> Auth:
    """The auth object for ``connect()``'s arguments; ValueError when they do not fit the method.

    ``"session"`` with ``token=`` attaches to an existing session; ``reauth`` keeps what a new login after a 401
    needs (the password, for a password session). ``root`` is the service root when it was read: a standard
    service gets the standard certificate login and standard wording of refusals."""
    _check(method, username, password, token, cert, bool(otp or otp_secret))
    secret = as_totp_secret(otp_secret)
    if otp and secret is not None:
        raise ValueError("Pass otp= (one code) or otp_secret= (computes each code), not both.")
    standard = is_standard(root)
    chosen: Auth
    if method == "certificate":
        kind = StandardCertificateSession if standard else CertificateSession
        chosen = kind(cert, key, key_password, refreshable=reauth)
    else:
        chosen = _build(method, username, password, otp, secret, token, session_uri, reauth, standard)
    if root is not None:
        chosen.standard = standard
    return chosen


def _build(
    method: str,
    username: str | None,
    password: str | None,
    otp: str | None,
    secret: TotpSecret | None,
    token: str | None,
    session_uri: str | None,
    reauth: bool,
    standard: bool,
) -> Auth:
    """The auth object of a method other than a certificate login (``_check`` has vetted the arguments)."""
    if method == "basic":
        return BasicAuth(username or "", password or "", standard=standard)
    if method == "session" and token:
        return AttachedSession(token, session_uri, username)
    if method == "session":
        return PasswordSession(username or "", password or "", otp, otp_secret=secret, refreshable=reauth)
    return NoAuth()
