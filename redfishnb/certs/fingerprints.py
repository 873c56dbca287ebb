"""Certificate fingerprints in every form people paste, and PEM carried inside a JSON string.

A fingerprint is how a person checks a BMC's certificate against what its console shows before pinning it
(``connect(verify="sha256:...")``), and each tool prints it differently: iLO and Firefox ``AB:CD:…``, Chrome
``AB CD …``, ``openssl`` with a prefix. iLO's certificate-login requests want a whole PEM inside a JSON string,
which HPE's walkthrough builds with ``sed``; the two converters here do it with ``json`` instead.
"""

from __future__ import annotations

import hashlib
import json
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .loading import CertSource, HoldsCertificate, load_certificate

__all__ = [
    "fingerprint",
    "format_fingerprint",
    "parse_fingerprint",
    "fingerprints_match",
    "pem_to_json_string",
    "json_string_to_pem",
]

_DIGEST_SIZES = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}


def fingerprint(cert: CertSource, algorithm: str = "sha256") -> str:
    """``sha256:<hex>`` of a certificate's DER: the form ``connect(verify=...)`` accepts for pinning."""
    if algorithm not in _DIGEST_SIZES.values():
        raise ValueError(f"algorithm must be one of {sorted(_DIGEST_SIZES.values())}, not {algorithm!r}")
    if isinstance(cert, bytes) and not cert.lstrip().startswith(b"-----BEGIN"):
        der = cert
    else:
        der = load_certificate(cert).public_bytes(serialization.Encoding.DER)
    return f"{algorithm}:{hashlib.new(algorithm, der).hexdigest()}"


_FP_PREFIX = re.compile(r"^\s*(?:(sha-?(?:1|256|384|512))\s*(?:fingerprint)?\s*[:=]?)?\s*", re.IGNORECASE)


def parse_fingerprint(text: str) -> str:
    """Read a fingerprint in any form people paste and return the canonical ``sha256:<hex>`` (or sha1/384/512).

    Accepts ``sha256:ab12…``, ``AB:12:…`` (Firefox, iLO, ``openssl x509 -fingerprint``), ``AB 12 …`` (Chrome),
    ``SHA256 Fingerprint=AB:12:…`` (openssl's output line) and bare hex; the algorithm is taken from the prefix
    or, without one, from the length.
    """
    match = _FP_PREFIX.match(text)
    named = match.group(1).lower().replace("-", "") if match and match.group(1) else None
    hexpart = re.sub(r"[\s:]", "", text[match.end() if match else 0 :]).lower()
    if not hexpart or not re.fullmatch(r"[0-9a-f]+", hexpart):
        raise ValueError(f"not a certificate fingerprint: {text[:80]!r}")
    algorithm = _DIGEST_SIZES.get(len(hexpart))
    if algorithm is None or (named and named != algorithm):
        raise ValueError(
            f"{len(hexpart)} hex digits is not a {named or 'SHA-1/256/384/512'} fingerprint: {text[:80]!r}"
        )
    return f"{algorithm}:{hexpart}"


def format_fingerprint(fp: str, style: str = "colon") -> str:
    """Show a fingerprint as BMCs and browsers do.

    ``colon``: ``AB:CD:…`` (iLO's web pages, Firefox, ``openssl``); ``space``: ``AB CD …`` (Chrome);
    ``openssl``: ``SHA256 Fingerprint=AB:CD:…``; ``hex``: bare lower-case hex; ``pin``: ``sha256:<hex>``.
    """
    canonical = parse_fingerprint(fp)
    algorithm, hexpart = canonical.split(":", 1)
    pairs = [hexpart[i : i + 2].upper() for i in range(0, len(hexpart), 2)]
    styles = {
        "colon": ":".join(pairs),
        "space": " ".join(pairs),
        "openssl": f"{algorithm.upper()} Fingerprint={':'.join(pairs)}",
        "hex": hexpart,
        "pin": canonical,
    }
    if style not in styles:
        raise ValueError(f"style must be one of {sorted(styles)}, not {style!r}")
    return styles[style]


def fingerprints_match(a: str, b: str) -> bool:
    """True when two fingerprints, in any of the forms :func:`parse_fingerprint` reads, are the same."""
    try:
        return parse_fingerprint(a) == parse_fingerprint(b)
    except ValueError:
        return False


def pem_to_json_string(pem: bytes | str | x509.Certificate | HoldsCertificate) -> str:
    """The PEM as a JSON string literal (what the seed's ``sed``/``awk`` step produces, done right).

    CR-LF and lone CR line endings are normalised to LF and the text ends with one newline; ``json.dumps`` does
    the escaping, so the result can be pasted into a request body. (Request bodies built with ``json=`` in
    Python need no such step: pass the PEM text itself.)
    """
    if not isinstance(pem, (bytes, str)):  # a certificate, or a pair holding one
        pem = load_certificate(pem).public_bytes(serialization.Encoding.PEM)
    text = pem.decode() if isinstance(pem, bytes) else pem
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"
    return json.dumps(text)


def json_string_to_pem(value: str) -> str:
    """The inverse of :func:`pem_to_json_string`.

    Accepts the JSON literal (with its quotes), the seed's ``sed`` output (literal ``\\n`` sequences without
    quotes) or plain PEM text.
    """
    text = value.strip()
    if text.startswith('"'):
        text = json.loads(text)
    elif "\\n" in text and "\n" not in text:
        text = json.loads(f'"{text}"')
    return text.replace("\r\n", "\n").strip() + "\n"
