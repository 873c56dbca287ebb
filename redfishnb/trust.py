"""What ``verify=`` means, decoded once for every place a person can write it.

A BMC's TLS trust reaches the kit in many spellings: ``connect(verify=...)`` takes True, False, a CA file or
directory, PEM text or ``"sha256:<hex>"``; an inventory cell says ``yes``, ``off`` or ``lab-ca.pem`` (relative to
the inventory's folder); the login panel has a TLS mode and a pasted fingerprint in whatever form iLO, Firefox or
openssl printed it. :func:`parse_verify` turns each of them into one :class:`TrustSetting`, so the rules (which
words mean "no checking", where a relative path starts, which pins the client can enforce) live in one place and
every caller gets the same clear error for a bad value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .certs.fingerprints import parse_fingerprint

__all__ = ["TrustMode", "TrustSetting", "parse_pin", "parse_verify"]

TrustMode = Literal["system", "ca", "pin", "insecure"]

_YES = frozenset({"true", "yes", "y", "1", "on", "system"})
_NO = frozenset({"false", "no", "n", "0", "off", "insecure"})
_PIN_PREFIXES = ("sha1:", "sha256:", "sha384:", "sha512:", "sha-1:", "sha-256:", "sha-384:", "sha-512:")
_PEM_MARK = "-----BEGIN CERTIFICATE-----"


@dataclass(frozen=True)
class TrustSetting:
    """How a client decides to trust a BMC's certificate.

    ``mode``: ``system`` (the operating system's trust store), ``ca`` (the CA in ``path``, a file or directory,
    or in ``pem``, PEM text), ``pin`` (the certificate whose SHA-256 is ``pin``, ``sha256:<64 hex>``) or
    ``insecure`` (no checking at all).
    """

    mode: TrustMode
    path: str | None = None
    pin: str | None = None
    pem: str | None = None

    @property
    def verify(self) -> bool | str:
        """The value ``connect(verify=...)`` takes for this setting."""
        if self.mode == "insecure":
            return False
        if self.mode == "pin":
            return self.pin or ""
        if self.mode == "ca":
            return self.path if self.path is not None else self.pem or ""
        return True

    def describe(self) -> str:
        """A short phrase for reprs and tables: ``ca=lab-ca.pem``, ``pinned sha256:ab12…``, ``NOT VERIFIED``."""
        if self.mode == "ca":
            return f"ca={os.path.basename(self.path)}" if self.path else "ca=<PEM text>"
        if self.mode == "pin":
            return f"pinned {(self.pin or '')[:13]}…"
        return "system trust" if self.mode == "system" else "NOT VERIFIED"


SYSTEM = TrustSetting("system")
INSECURE = TrustSetting("insecure")


def parse_verify(value: object, base_dir: str | os.PathLike[str] | None = None) -> TrustSetting:
    """Read any spelling of ``verify=`` into a :class:`TrustSetting`.

    Accepts True/False and None (an empty inventory cell: the system store); the words true/yes/on/system and
    false/no/off/insecure; a fingerprint with its algorithm prefix in any form people paste (``sha256:ab12…``,
    ``SHA256:AB:12:…``; only SHA-256 pins can be enforced); PEM text; a CA file or directory path, ``~``
    expanded and, when relative, taken from ``base_dir`` (the inventory's folder). The path is not checked here:
    ``connect()`` reports a missing file with the name it was given. Raises ValueError for a malformed pin or a
    pin in another digest and TypeError for a value of another type.
    """
    if isinstance(value, TrustSetting):
        return value
    if value is None or value is True:
        return SYSTEM
    if value is False:
        return INSECURE
    if isinstance(value, os.PathLike):
        return _ca_path(os.fspath(value), base_dir)
    if not isinstance(value, str):
        raise TypeError(
            f"verify must be True, False, a CA file path or 'sha256:<hex>', not {type(value).__name__}"
        )
    text = value.strip()
    word = text.lower()
    if not text or word in _YES:
        return SYSTEM
    if word in _NO:
        return INSECURE
    if word.startswith(_PIN_PREFIXES):
        return TrustSetting("pin", pin=parse_pin(text))
    if _PEM_MARK in text:
        return TrustSetting("ca", pem=text)
    return _ca_path(text, base_dir)


def parse_pin(text: str) -> str:
    """A pasted SHA-256 fingerprint (``sha256:…``, ``AB:CD:…``, ``AB CD …``, bare hex) as ``sha256:<64 hex>``.

    Raises ValueError naming what is wrong: not hex, the wrong length, or another digest than SHA-256, which the
    client cannot pin (iLO and browsers show SHA-256 next to SHA-1; the SHA-256 one is needed)."""
    try:
        canonical = parse_fingerprint(text)
    except ValueError as exc:
        raise ValueError(f"verify: {exc}; expected sha256:<64 hex digits>") from None
    if not canonical.startswith("sha256:"):
        algorithm = canonical.split(":", 1)[0].upper()
        raise ValueError(
            f"verify: a {algorithm} fingerprint cannot be pinned; give the SHA-256 one (sha256:<64 hex digits>)"
        )
    return canonical


def _ca_path(text: str, base_dir: str | os.PathLike[str] | None) -> TrustSetting:
    path = Path(text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return TrustSetting("ca", path=str(path))
