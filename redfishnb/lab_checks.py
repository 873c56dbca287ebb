"""What a notebook checks about itself: exercise answers, the cURL of one exchange, secrets in its outputs.

Split from :mod:`redfishnb.lab` (which re-exports all of it): none of it needs a BMC.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["check", "curl", "find_secrets"]


def curl(client: Any, method: str | None = None, path: str | None = None) -> str:
    """The cURL equivalent of the client's most recent exchange with ``method`` (and ``path`` in its URL).

    Helpers such as :func:`redfishnb.oem.ilo.enable_certificate_login` send several requests; a notebook shows the
    one that matters (the PATCH, the POST) rather than whichever came last.
    """
    for exchange in reversed(list(client.exchanges)):
        if (method is None or exchange.method == method.upper()) and (path is None or path in exchange.url):
            command: str = exchange.to_curl()
            return command
    wanted = " ".join(part for part in (method, path) if part) or "any"
    raise LookupError(f"this client has sent no {wanted} request")


# A session token: 32 hex digits standing alone (iLO's and the mock's format). Longer hex runs are fingerprints or
# serial numbers; hex glued to letters is an id such as an RMC session's "<user><32 hex>".
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32}(?![0-9A-Za-z])")
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
# ipywidgets' model ids are 32 hex digits too (a uuid4), in every widget output and in saved widget state.
_WIDGET_MODEL_ID = re.compile(r"""(["']model_id["']\s*:\s*["'])[0-9a-f]{32}""")


def find_secrets(text: str, passwords: Mapping[str, str] | None = None) -> list[str]:
    """What in ``text`` looks like a leaked secret: whole session tokens, private keys, and the given passwords.

    Meant for notebook outputs before they are saved or shared (the notebook tests run it on every output).
    A password counts as leaked in the forms it travels in: a JSON login body, ``user:password`` (cURL's
    ``--user``), the Basic header's base64, and, when it is long enough not to be an ordinary word, bare.
    The findings name the kind of secret, never the secret itself.
    """
    found = [f"session token {match[:4]}…" for match in _TOKEN.findall(_WIDGET_MODEL_ID.sub(r"\1…", text))]
    found += ["private key" for _ in _PRIVATE_KEY.findall(text)]
    for user, password in (passwords or {}).items():
        forms = [
            f'"Password": "{password}"',
            f"{user}:{password}",
            base64.b64encode(f"{user}:{password}".encode()).decode(),
        ]
        if len(password) >= 12:
            forms.append(password)
        found += [f"password of {user}" for form in forms if form in text]
    return found


def check(label: str, answer: Any, expected: Any, hint: str = "") -> None:
    """Self-check cell of an exercise: prints right (✓) or wrong (✗), never the expected value.

    ``...`` (Ellipsis) is the placeholder for "not answered yet" (○), so a notebook runs top to bottom unanswered.
    Strings compare case-insensitively and without surrounding blanks.
    """

    def norm(value: Any) -> Any:
        return value.strip().casefold() if isinstance(value, str) else value

    tip = f" Hint: {hint}" if hint else ""
    if answer is ...:
        print(f"○ {label}: not answered yet.{tip}")
    elif norm(answer) == norm(expected):
        print(f"✓ {label}: correct.")
    else:
        print(f"✗ {label}: not quite, try again.{tip}")
