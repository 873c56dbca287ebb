"""Every HTTP exchange with a BMC, redacted, replayable as cURL, and readable in a notebook.

Learners compare what the kit does with the vendor's cURL examples, and runbook writers paste commands into
tickets. So each request/response is kept as an :class:`Exchange` whose secrets are already gone when it is
stored: the session token becomes its first four characters and ``…``, ``Authorization`` becomes
``Basic ***``, and JSON fields such as ``Password``, ``Token`` (iLO's one-time passcode) or a PEM private key
become ``"***"``. :meth:`Exchange.to_curl` renders the command the seed document would show, with shell
variables (``$TOKEN``, ``$PASSWORD``) where the secrets were. Text reprs hold no timings or addresses, so
notebook outputs stay stable.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shlex
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .redaction import REDACTED, redact_headers, redact_json, redact_text, shell_var, token_hint

__all__ = ["Exchange", "Exchanges", "redact_headers", "redact_json", "redact_text", "token_hint", "REDACTED"]


@dataclass
class Exchange:
    """One request and its response (or the transport failure), secrets already removed.

    ``request_json``/``response_json`` are the parsed bodies (None when not JSON); ``response_text`` keeps up to
    4,000 characters of a non-JSON body. ``error`` is the typed error's one-line message when the request failed
    below HTTP. ``note`` explains exchanges the client made by itself (for instance a re-login after
    NoValidSession). ``tls`` holds what cURL needs to reproduce the TLS setup (see :meth:`to_curl`).
    """

    method: str
    url: str
    status: int | None = None
    reason: str = ""
    elapsed_ms: float = 0.0
    request_headers: dict[str, str] = field(default_factory=dict)
    request_json: Any = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_json: Any = None
    response_text: str | None = None
    error: str | None = None
    note: str | None = None
    username: str | None = None
    tls: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    def summary(self) -> str:
        """``POST /redfish/v1/SessionService/Sessions/ -> 201 Created``: stable, no timing, no host."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        outcome = (
            f"{self.status} {self.reason}".strip() if self.status is not None else f"failed: {self.error}"
        )
        text = f"{self.method} {path} -> {outcome}"
        return f"{text}  [{self.note}]" if self.note else text

    def __repr__(self) -> str:
        return f"<Exchange {self.summary()}>"

    def __str__(self) -> str:
        return self.summary()

    # -- cURL ---------------------------------------------------------------------------------------------------

    def to_curl(self) -> str:
        """The equivalent cURL command, in the seed document's style, with ``$TOKEN``/``$PASSWORD`` variables.

        The TLS options follow what the client really did: ``--cacert <file>`` for a CA, nothing for the system
        trust store, ``--insecure`` for verify=False (and for a pinned certificate, which cURL cannot pin by
        fingerprint; a comment says so), ``--cert``/``--key`` for certificate login.
        """
        lines: list[str] = []
        first = ["curl", "--include"]
        tls = self.tls
        if self.url.startswith("https"):
            mode = tls.get("mode")
            if mode == "ca" and tls.get("ca_file"):
                first += ["--cacert", shlex.quote(tls["ca_file"])]
            elif mode in ("insecure", "pin"):
                first.append("--insecure")
            if mode == "pin":
                lines.append(
                    f"# the BMC certificate is pinned by redfishnb ({tls.get('fingerprint')}); "
                    "cURL can only pin public keys (--pinnedpubkey)"
                )
            if tls.get("client_cert_used"):
                first += [
                    "--cert",
                    shlex.quote(tls.get("client_cert") or "user.crt"),
                    "--key",
                    shlex.quote(tls.get("client_key") or "user.key"),
                ]
                if tls.get("key_encrypted"):
                    first += ["--pass", '"$KEY_PASSPHRASE"']
        options = [" ".join(first)]
        auth = self.request_headers.get("Authorization", "")
        if auth.startswith("Basic"):
            user = self.username or "$USERNAME"
            options.append(f'--user "{_dq(user)}:$PASSWORD"')
        if self.method != "GET":
            options.append("--request HEAD" if self.method == "HEAD" else f"--request {self.method}")
        for name, value in self.request_headers.items():
            low = name.lower()
            if low == "x-auth-token":
                options.append('--header "X-Auth-Token: $TOKEN"')
            elif low in ("content-type", "if-match", "if-none-match"):
                options.append(f"--header {shlex.quote(f'{name}: {value}')}")
        heredoc = None
        if self.request_json is not None:
            body, uses_vars = _json_for_shell(self.request_json)
            if uses_vars:
                options.append("--data @-")
                heredoc = body
            else:
                options.append(f"--data {shlex.quote(body)}")
        # No --location, unlike the vendor's examples: cURL would resend a custom X-Auth-Token header to whatever
        # host a redirect names, which the client itself never does.
        options.append(shlex.quote(self.url) + (" <<EOF" if heredoc is not None else ""))
        lines.append(" \\\n     ".join(options))
        if heredoc is not None:
            lines += [heredoc, "EOF"]
        return "\n".join(lines)

    # -- notebooks ----------------------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        status_class = "ok" if self.ok else "err"
        blocks = [
            f"<div class='rfnb-exchange'><div class='rfnb-exchange-summary rfnb-{status_class}'>"
            f"<code>{html.escape(self.summary())}</code></div>"
        ]
        blocks.append(_details("Request headers", _headers_text(_stable_headers(self.request_headers))))
        if self.request_json is not None:
            blocks.append(
                _details("Request body", json.dumps(self.request_json, indent=2, ensure_ascii=False))
            )
        blocks.append(_details("Response headers", _headers_text(_stable_headers(self.response_headers))))
        if self.response_json is not None:
            blocks.append(
                _details("Response body", json.dumps(self.response_json, indent=2, ensure_ascii=False))
            )
        elif self.response_text:
            blocks.append(_details("Response body", self.response_text))
        blocks.append(_details("cURL", self.to_curl()))
        blocks.append("</div>")
        return "".join(blocks)


def _dq(text: str) -> str:
    """Escape for a double-quoted shell word."""
    return re.sub(r'(["\\$`])', r"\\\1", text)


def _json_for_shell(value: Any) -> tuple[str, bool]:
    """Compact JSON; redacted secrets become shell variables inside an (expanding) here-document."""
    text = json.dumps(value, ensure_ascii=False)
    if f'"{REDACTED}"' not in text:
        return text, False
    secrets: list[str] = []

    def mark(v: Any, key: str = "") -> Any:
        if isinstance(v, Mapping):
            return {k: mark(x, str(k)) for k, x in v.items()}
        if isinstance(v, list):
            return [mark(x) for x in v]
        if v == REDACTED:
            secrets.append(shell_var(key))
            return f"\ue000{len(secrets) - 1}\ue000"  # a private-use marker JSON leaves alone
        return v

    marked = json.dumps(mark(value), ensure_ascii=False)
    marked = re.sub(r"([\\$`])", r"\\\1", marked)  # literal text stays literal in the here-document
    marked = re.sub("\ue000(\\d+)\ue000", lambda m: "$" + secrets[int(m.group(1))], marked)
    return marked, True


# Headers whose values change on every run; kept on the Exchange, left out of the HTML so outputs are stable.
_VOLATILE = {"date", "etag", "x-auth-token", "location", "content-length", "link"}


def _stable_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: ("…" if k.lower() in _VOLATILE else v) for k, v in headers.items()}


def _headers_text(headers: Mapping[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in headers.items())


def _details(title: str, body: str) -> str:
    return f"<details><summary>{html.escape(title)}</summary><pre>{html.escape(body)}</pre></details>"


class Exchanges:
    """The exchange log of one client: list-like (``len``, ``[-1]``, ``[-5:]``, iteration), bounded, thread-safe.

    Widgets call :meth:`subscribe` to hear about new exchanges; notebooks print ``client.exchanges[-1].to_curl()``
    or display the log (the last ``show`` exchanges as an HTML table).
    """

    def __init__(self, maxlen: int = 1000, show: int = 20) -> None:
        self._items: deque[Exchange] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Exchange], None]] = []
        self.show = show

    def append(self, exchange: Exchange) -> None:
        with self._lock:
            self._items.append(exchange)
            listeners = list(self._listeners)
        for listener in listeners:
            with contextlib.suppress(Exception):  # a broken display must not break a login
                listener(exchange)

    def subscribe(self, callback: Callable[[Exchange], None]) -> Callable[[], None]:
        """Call ``callback(exchange)`` for every new exchange; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def _snapshot(self) -> list[Exchange]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self._snapshot())

    def __getitem__(self, index: int | slice) -> Any:
        return self._snapshot()[index]

    def last(self, n: int = 1) -> list[Exchange]:
        return self._snapshot()[-n:] if n > 0 else []

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def to_curl(self) -> str:
        """All exchanges as one shell script (blank line between commands)."""
        return "\n\n".join(e.to_curl() for e in self._snapshot())

    def __repr__(self) -> str:
        items = self.last(self.show)
        hidden = len(self) - len(items)
        lines = [f"<Exchanges: {len(self)}>"]
        if hidden:
            lines.append(f"  … {hidden} earlier")
        lines += [f"  {e.summary()}" for e in items]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = self.last(self.show)
        rows = "".join(
            f"<tr class='rfnb-{'ok' if e.ok else 'err'}'><td>{html.escape(e.method)}</td>"
            f"<td><code>{html.escape(e.summary().split(' ', 2)[1])}</code></td>"
            f"<td>{e.status if e.status is not None else html.escape(e.error or '')}</td>"
            f"<td>{html.escape(e.note or '')}</td></tr>"
            for e in items
        )
        return (
            f"<table class='rfnb-exchanges'><caption>{len(self)} exchanges"
            f"{f' (last {len(items)})' if len(items) < len(self) else ''}</caption>"
            "<tr><th>Method</th><th>URI</th><th>Status</th><th>Note</th></tr>" + rows + "</table>"
        )
