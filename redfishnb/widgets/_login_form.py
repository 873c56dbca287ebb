"""What the LoginPanel's form holds and how it becomes a ``redfishnb.connect()`` call, without any widget.

:class:`LoginController` checks the form first (a typo gets a sentence naming the field, not a traceback), turns
it into ``connect()`` arguments and owns the connected client. Scripts and tests use it without a browser; the
panel in :mod:`.login` is a view over it. Secrets (password, key passphrase, TOTP secret) are fields that never
appear in a repr.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as w

from ..trust import parse_pin, parse_verify
from ..urls import base_url

__all__ = [
    "INSECURE_WARNING",
    "METHODS",
    "TLS_MODES",
    "LoginController",
    "LoginForm",
    "LoginInputError",
    "normalise_url",
    "tls_from_verify",
    "upload_bytes",
]

METHODS = (("Session", "session"), ("Basic", "basic"), ("Certificate", "certificate"))
TLS_MODES = (
    ("BMC's CA file", "ca"),
    ("Pinned fingerprint", "fingerprint"),
    ("Insecure (no verification)", "insecure"),
)
INSECURE_WARNING = (
    "TLS verification is OFF: anyone on the path can read the password and the session token. "
    "Use it only on a throw-away lab network."
)


class LoginInputError(ValueError):
    """The form is incomplete or malformed; the message says which field and what to enter."""


@dataclass
class LoginForm:
    """What the panel's fields hold, as plain values (the controller's input)."""

    url: str
    username: str = ""
    password: str = field(default="", repr=False)
    method: str = "session"
    tls: str = "ca"
    ca_file: str = ""
    fingerprint: str = ""
    cert: bytes | None = field(default=None, repr=False)
    key: bytes | None = field(default=None, repr=False)
    passphrase: str = field(default="", repr=False)
    #: a one-time code for this login (``connect(otp=...)``: iLO's e-mailed passcode, a standard service's TOTP)
    otp: str = field(default="", repr=False)
    #: a TOTP secret (Base32) from which each login computes its code (``connect(otp_secret=...)``)
    otp_secret: str = field(default="", repr=False)
    timeout: float = 10.0

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secrets typed into the form, for redacting whatever message a failed login produces."""
        return tuple(s for s in (self.password, self.passphrase, self.otp_secret) if s)


def _default_connect(**kwargs: Any) -> Any:
    from ..client import connect

    return connect(**kwargs)


def normalise_url(text: str) -> str:
    """``https://host[:port]`` from what people type (a bare host or IP gets ``https://``; a path is dropped)."""
    if not text.strip():
        raise LoginInputError(
            "Enter the BMC's address, for example https://10.0.0.5 or https://ilo-host.example."
        )
    try:
        url = base_url(text.strip())
    except ValueError as exc:
        raise LoginInputError(f"{exc}.") from None
    if not url.startswith("https://"):
        raise LoginInputError(
            f"Use https:// for {urlsplit(url).netloc}: BMCs accept Redfish logins over HTTPS only."
        )
    return url


class LoginController:
    """Turns a :class:`LoginForm` into a connected client, and logs it out.

    ``connect`` defaults to :func:`redfishnb.connect`; passing another callable with the same keyword arguments
    lets scripts and tests reuse the validation.
    """

    def __init__(self, connect: Callable[..., Any] | None = None) -> None:
        self._connect = connect or _default_connect
        self.client: Any = None

    def connect_kwargs(self, form: LoginForm) -> dict[str, Any]:
        """The keyword arguments for ``connect()`` (certificate material excluded), or LoginInputError."""
        method = form.method
        if method not in {m for _, m in METHODS}:
            raise LoginInputError(f"Unknown log-in method {method!r}; choose Session, Basic or Certificate.")
        kwargs: dict[str, Any] = {"url": normalise_url(form.url), "auth": method, "timeout": form.timeout}
        if method in ("session", "basic"):
            kwargs.update(self._password_kwargs(form))
        else:
            if not form.cert:
                raise LoginInputError("Upload the user certificate (PEM) mapped to a BMC account.")
            if not form.key:
                raise LoginInputError("Upload the private key (PEM) that belongs to the certificate.")
            kwargs["username"] = form.username.strip() or None
            kwargs["password"] = None
            if form.passphrase:
                kwargs["key_password"] = form.passphrase
        kwargs["verify"] = self._verify(form)
        return kwargs

    @staticmethod
    def _password_kwargs(form: LoginForm) -> dict[str, Any]:
        """User, password and (session logins only) the one-time code or the TOTP secret."""
        if not form.username.strip():
            raise LoginInputError("Enter a user name (the BMC login name, e.g. admin).")
        if not form.password:
            raise LoginInputError("Enter the password.")
        kwargs: dict[str, Any] = {"username": form.username.strip(), "password": form.password}
        code, secret = "".join(form.otp.split()), "".join(form.otp_secret.split())
        if (code or secret) and form.method != "session":
            raise LoginInputError("A one-time code goes with a Session log-in: choose Session.")
        if code and secret:
            raise LoginInputError("Enter the one-time code or the TOTP secret, not both.")
        if code:
            kwargs["otp"] = code
        if secret:
            kwargs["otp_secret"] = secret
        return kwargs

    @staticmethod
    def _verify(form: LoginForm) -> bool | str:
        """The form's TLS fields as ``connect(verify=...)``, decoded by :func:`redfishnb.trust.parse_verify`."""
        if form.tls == "insecure":
            return False
        if form.tls == "fingerprint":
            if not form.fingerprint.strip():
                raise LoginInputError(
                    "Paste the BMC certificate's SHA-256 fingerprint (iLO shows it under Security > SSL Certificate)."
                )
            try:
                return parse_pin(form.fingerprint)
            except ValueError as exc:
                raise LoginInputError(f"{exc}. Paste it as sha256:<hex>, AB:CD:… or plain hex.") from None
        if form.tls == "ca":
            setting = parse_verify(Path(form.ca_file.strip()) if form.ca_file.strip() else True)
            if setting.path is not None and not Path(setting.path).is_file():
                raise LoginInputError(
                    f"CA file not found: {form.ca_file.strip()}. Give the PEM file of the CA that signed the BMC."
                )
            return setting.verify
        raise LoginInputError(f"Unknown TLS mode {form.tls!r}.")

    def login(self, form: LoginForm) -> Any:
        """Log out of any previous client, then connect. Raises LoginInputError or a typed RedfishError."""
        kwargs = self.connect_kwargs(form)
        self.logout()
        if form.method == "certificate":
            # PEM bytes go straight to connect(): the key is never written to disk in the clear.
            kwargs.update(cert=form.cert, key=form.key)
        self.client = self._connect(**kwargs)
        return self.client

    def logout(self) -> None:
        """Close the client (which deletes its session on the BMC). Safe to call when not logged in."""
        client, self.client = self.client, None
        if client is not None:
            client.close()


def upload_bytes(upload: w.FileUpload) -> bytes | None:
    """The content of a FileUpload (ipywidgets 8: a tuple of dicts whose ``content`` is a memoryview)."""
    for item in upload.value or ():
        content = item["content"] if isinstance(item, Mapping) else getattr(item, "content", None)
        if content is not None:
            return bytes(content)
    return None


def tls_from_verify(
    verify: object, ca_file: str | None, fingerprint: str | None
) -> tuple[str, str | None, str | None]:
    """The panel's TLS mode and fields for a ``verify=`` value as ``connect()`` takes it (the pin as given)."""
    setting = parse_verify(verify)
    if setting.mode == "insecure":
        return "insecure", ca_file, fingerprint
    if setting.mode == "system":
        return "ca", ca_file or "", fingerprint
    if setting.mode == "pin":
        return "fingerprint", ca_file, str(verify)
    return "ca", setting.path or "", fingerprint
