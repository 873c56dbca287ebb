"""Which values are secrets, decided once for every place the kit shows, stores or renders something.

A secret can leave through many doors: the exchange log, a cURL line pasted into a ticket, a widget's status
line, an inventory error message, a saved notebook. Each of them used to keep its own list of secret names, and
the lists drifted (a license key masked in the log but not in a widget). Here is the one list: JSON members
(:data:`SECRET_KEYS`, compared case-insensitively ignoring everything but letters, so ``otp_secret``,
``OtpSecret`` and ``otp-secret`` are one key), headers (:data:`SECRET_HEADERS`) and the shell variable a cURL
rendering puts in each secret's place. Every redaction function below reads only these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "REDACTED",
    "SECRET_HEADERS",
    "SECRET_KEYS",
    "is_secret_key",
    "redact",
    "redact_headers",
    "redact_json",
    "redact_text",
    "shell_var",
    "token_hint",
]

REDACTED = "***"

#: JSON members (and inventory columns) whose values are secrets, as :func:`norm_key` spells them.
SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "oldpassword",
        "newpassword",
        "token",
        "authtoken",
        "xauthtoken",
        "accesstoken",
        "refreshtoken",
        "sessionkey",
        "otp",
        "passcode",
        "onetimepasscode",
        "secret",
        "secretkey",  # a TOTP shared secret (the seed an authenticator app is given)
        "otpsecret",
        "totpsecret",
        "clientsecret",
        "passphrase",
        "keypassword",
        "privatekey",
        "apikey",
        "licensekey",  # an iLO license key is paid for: it must not travel in a cURL line or a saved notebook
    }
)

#: Headers that carry credentials: the session token, Basic/Bearer credentials, cookies.
SECRET_HEADERS = frozenset({"x-auth-token", "authorization", "proxy-authorization", "cookie", "set-cookie"})

# The shell variable a cURL rendering puts where a redacted member was; any other secret becomes $SECRET.
_SHELL_VARS = {
    "password": "PASSWORD",
    "token": "OTP",
    "otp": "OTP",
    "passcode": "OTP",
    "onetimepasscode": "OTP",
    "passphrase": "KEY_PASSPHRASE",
    "keypassword": "KEY_PASSPHRASE",
    "licensekey": "LICENSE_KEY",
    "secretkey": "OTP_SECRET",
    "otpsecret": "OTP_SECRET",
    "totpsecret": "OTP_SECRET",
}

_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S)


def norm_key(key: object) -> str:
    """A member or column name reduced to its lower-case letters: the form :data:`SECRET_KEYS` holds."""
    return re.sub(r"[^a-z]", "", str(key).lower())


def is_secret_key(key: object) -> bool:
    """Whether a JSON member, inventory column or form field of this name holds a secret."""
    return norm_key(key) in SECRET_KEYS


def shell_var(key: object) -> str:
    """The shell variable (without ``$``) a cURL line uses in place of the secret member ``key``."""
    return _SHELL_VARS.get(norm_key(key), "SECRET")


def token_hint(token: str | None) -> str | None:
    """A session token as its first four characters and ``…``: enough to tell sessions apart, useless to steal."""
    if not token:
        return None
    return f"{token[:4]}…"


def redact_json(value: Any) -> Any:
    """A copy of a JSON value with secret members replaced by ``"***"`` and PEM private keys removed."""
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if is_secret_key(k) and v not in (None, "") else redact_json(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_json(v) for v in value]
    if isinstance(value, str) and "PRIVATE KEY-----" in value:
        return _PRIVATE_KEY.sub(REDACTED, value)
    return value


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with the token shortened and credentials masked (Authorization, Cookie, Set-Cookie)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        low = name.lower()
        if low == "x-auth-token":
            value = token_hint(value) or ""
        elif low in ("authorization", "proxy-authorization"):
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        elif low == "cookie":
            value = re.sub(r"=([^;]*)", f"={REDACTED}", value)
        elif low == "set-cookie":  # only the first pair is the cookie; the rest are attributes (Path, Secure)
            value = re.sub(r"=([^;]*)", f"={REDACTED}", value, count=1)
        elif low in SECRET_HEADERS:  # one added to the list later: masked whole
            value = REDACTED
        out[name] = value
    return out


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove PEM private keys and any known secret values from free text (non-JSON bodies, error messages)."""
    text = _PRIVATE_KEY.sub(REDACTED, text)
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, REDACTED)
    return text


# In free text: a secret header's value (header blocks, cURL lines), a JSON member with a string value, and the
# password of ``--user name:password``.
_HEADER_IN_TEXT = re.compile(
    r"(?i)((?:" + "|".join(sorted(SECRET_HEADERS, key=len, reverse=True)) + r")\s*:\s*)((?:basic|bearer)\s+)?"
    r"([^\s'\"<]+)"
)
_MEMBER_IN_TEXT = re.compile(r'("([^"\\]{1,64})"\s*:\s*)"((?:[^"\\]|\\.)*)"')
_USERINFO_IN_TEXT = re.compile(r"(?i)((?:--user|-u)\s+['\"]?[^:\s'\"]+:)([^\s'\"]+)")


def _mask_header(match: re.Match[str]) -> str:
    name, scheme, value = match.group(1), match.group(2), match.group(3)
    if value.startswith("$") or set(value) <= {"*", "…"} or value.endswith("…") or "=***" in value:
        return match.group(0)  # a shell variable, or already masked upstream
    if scheme:
        return f"{name}{scheme}{REDACTED}"
    return f"{name}{token_hint(value)}"


def _mask_member(match: re.Match[str]) -> str:
    if not is_secret_key(match.group(2)) or match.group(3).startswith("$"):
        return match.group(0)  # not a secret, or a cURL here-document's shell variable
    return f'{match.group(1)}"{REDACTED}"'


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with tokens, Authorization values, secret JSON members, passwords and private keys masked.

    The client redacts what it records; this is the second line of defence for anything shown as text (error
    messages, cURL lines, bodies in a widget). ``secrets`` are literal values to mask as well (a password being
    typed)."""
    text = redact_text(text, tuple(secrets))
    text = _HEADER_IN_TEXT.sub(_mask_header, text)
    text = _MEMBER_IN_TEXT.sub(_mask_member, text)
    return _USERINFO_IN_TEXT.sub(
        lambda m: m.group(0) if m.group(2).startswith("$") else f"{m.group(1)}{REDACTED}", text
    )
