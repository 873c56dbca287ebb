"""LoginPanel: log in to a BMC from a notebook without writing the password into a cell.

The panel is a thin ipywidgets view over :class:`LoginController`, a plain-Python object that turns the form into
``redfishnb.connect()`` arguments (checking them first, so a typo gets a sentence, not a traceback) and owns the
connected client. Other widgets follow the panel through its ``client`` and ``state`` traits: a SessionTable bound
to it refreshes on log-in and empties on log-out.

Secrets: the password and key passphrase fields are cleared after every attempt, and the uploaded key is dropped
from the FileUpload as soon as it has been read, so no secret stays in the widget state that a saved notebook could
keep. The status line shows the token only as its first four characters.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as w
import traitlets

from ..certs import parse_fingerprint
from ..exchanges import token_hint
from ._common import StaticRenderMixin, busy, friendly_error, on_enter, status_html, status_text
from ._theme import STRONG_RULE, css, restart_note

__all__ = ["LoginController", "LoginForm", "LoginInputError", "LoginPanel", "METHODS", "TLS_MODES"]

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
    timeout: float = 10.0


def _default_connect(**kwargs: Any) -> Any:
    from ..client import connect

    return connect(**kwargs)


def normalise_url(text: str) -> str:
    """``https://host[:port]`` from what people type (a bare host or IP gets ``https://``; a path is dropped)."""
    text = text.strip()
    if not text:
        raise LoginInputError(
            "Enter the BMC's address, for example https://10.0.0.5 or https://ilo-host.example."
        )
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise LoginInputError(
            f"Use https:// for {parts.netloc or text}: BMCs accept Redfish logins over HTTPS only."
        )
    if not parts.hostname:
        raise LoginInputError(f"{text!r} has no host name; enter https://<bmc address>.")
    return f"https://{parts.netloc}"


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
            if not form.username.strip():
                raise LoginInputError("Enter a user name (the iLO login name, e.g. admin).")
            if not form.password:
                raise LoginInputError("Enter the password.")
            kwargs["username"] = form.username.strip()
            kwargs["password"] = form.password
        else:
            if not form.cert:
                raise LoginInputError("Upload the user certificate (PEM) mapped to an iLO account.")
            if not form.key:
                raise LoginInputError("Upload the private key (PEM) that belongs to the certificate.")
            kwargs["username"] = form.username.strip() or None
            kwargs["password"] = None
            if form.passphrase:
                kwargs["key_password"] = form.passphrase
        kwargs["verify"] = self._verify(form)
        return kwargs

    @staticmethod
    def _verify(form: LoginForm) -> Any:
        if form.tls == "insecure":
            return False
        if form.tls == "fingerprint":
            if not form.fingerprint.strip():
                raise LoginInputError(
                    "Paste the BMC certificate's SHA-256 fingerprint (iLO shows it under Security > SSL Certificate)."
                )
            try:
                return parse_fingerprint(form.fingerprint)
            except ValueError as exc:
                raise LoginInputError(f"{exc}. Paste it as sha256:<hex>, AB:CD:… or plain hex.") from None
        if form.tls == "ca":
            path = form.ca_file.strip()
            if not path:
                return True  # the system trust store
            if not Path(path).expanduser().is_file():
                raise LoginInputError(
                    f"CA file not found: {path}. Give the PEM file of the CA that signed the BMC."
                )
            return str(Path(path).expanduser())
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


def _upload_bytes(upload: w.FileUpload) -> bytes | None:
    """The content of a FileUpload (ipywidgets 8: a tuple of dicts whose ``content`` is a memoryview)."""
    for item in upload.value or ():
        content = item["content"] if isinstance(item, Mapping) else getattr(item, "content", None)
        if content is not None:
            return bytes(content)
    return None


def _tls_from_verify(
    verify: Any, ca_file: str | None, fingerprint: str | None
) -> tuple[str, str | None, str | None]:
    """The panel's TLS mode and fields for a ``verify=`` value as ``connect()`` takes it."""
    if verify is False:
        return "insecure", ca_file, fingerprint
    if verify is True:
        return "ca", ca_file or "", fingerprint
    text = str(verify)
    if text.lower().startswith(("sha256:", "sha1:", "sha384:", "sha512:")):
        return "fingerprint", ca_file, text
    return "ca", text, fingerprint


class LoginPanel(StaticRenderMixin, w.VBox):
    """BMC URL, user, password, method, TLS mode, Log in / Log out and a status line.

    ``LoginPanel(bmc)`` takes the URL and CA file from a MockBMC; otherwise ``url``, ``ca_file`` and ``username``
    default to the environment variables ``REDFISH_URL``, ``REDFISH_CA`` and ``REDFISH_USERNAME``. The password is
    never read from the environment into the panel. ``verify=`` accepts what ``connect()`` does (True, a CA file,
    ``"sha256:<hex>"``, False) and presets the TLS fields from it.

    Observe ``state`` ("disconnected", "connecting", "connected", "error") or ``client`` to follow log-ins.
    """

    state = traitlets.Unicode("disconnected", help="disconnected | connecting | connected | error")
    client = traitlets.Any(None, allow_none=True, help="the connected RedfishClient, None when logged out")

    def __init__(
        self,
        url: Any = None,
        username: str | None = None,
        *,
        ca_file: str | None = None,
        fingerprint: str | None = None,
        method: str = "session",
        tls: str | None = None,
        verify: Any = None,
        timeout: float = 10.0,
        connect: Callable[..., Any] | None = None,
    ) -> None:
        if url is not None and hasattr(url, "url") and hasattr(url, "ca_file"):
            ca_file = ca_file or url.ca_file
            url = url.url
        if verify is not None:  # connect()'s spelling: True | "ca.pem" | "sha256:<hex>" | False
            tls, ca_file, fingerprint = _tls_from_verify(verify, ca_file, fingerprint)
        url = url if url is not None else os.environ.get("REDFISH_URL", "")
        ca_file = ca_file if ca_file is not None else os.environ.get("REDFISH_CA", "")
        username = username if username is not None else os.environ.get("REDFISH_USERNAME", "")
        tls = tls or ("fingerprint" if fingerprint and not ca_file else "ca")
        self.controller = LoginController(connect)
        self.timeout = timeout

        layout = w.Layout(width="420px")
        style = {"description_width": "90px"}
        self._url = w.Text(
            value=str(url), description="BMC URL", placeholder="https://10.0.0.5", layout=layout, style=style
        )
        self._user = w.Text(
            value=username, description="User", placeholder="admin", layout=layout, style=style
        )
        self._password = w.Password(description="Password", layout=layout, style=style)
        self._method = w.ToggleButtons(options=METHODS, value=method, description="Method", style=style)
        self._cert = w.FileUpload(accept=".pem,.crt,.cer", multiple=False, description="Certificate")
        self._key = w.FileUpload(accept=".pem,.key", multiple=False, description="Private key")
        self._passphrase = w.Password(
            description="Passphrase", placeholder="only if the key is encrypted", layout=layout, style=style
        )
        self._cert_box = w.VBox([w.HBox([self._cert, self._key]), self._passphrase])
        self._tls = w.Dropdown(options=TLS_MODES, value=tls, description="TLS", layout=layout, style=style)
        self._ca_file = w.Text(
            value=ca_file,
            description="CA file",
            placeholder="empty: system trust store",
            layout=layout,
            style=style,
        )
        self._fingerprint = w.Text(
            value=fingerprint or "",
            description="Fingerprint",
            placeholder="sha256:… or AB:CD:…",
            layout=layout,
            style=style,
        )
        self._insecure = w.HTML(status_html(INSECURE_WARNING, "warning"))
        self._login_button = w.Button(description="Log in", button_style="primary", icon="sign-in")
        self._logout_button = w.Button(description="Log out", icon="sign-out", disabled=True)
        self._status = w.HTML(status_html("Not logged in.", "info"))
        self._status.add_class("rfnb-status-block")
        self._note = restart_note()

        for widget, css_class in (
            (self._url, "rfnb-login-url"),
            (self._user, "rfnb-login-user"),
            (self._password, "rfnb-login-password"),
            (self._method, "rfnb-login-method"),
            (self._cert, "rfnb-login-cert"),
            (self._key, "rfnb-login-key"),
            (self._passphrase, "rfnb-login-passphrase"),
            (self._tls, "rfnb-login-tls"),
            (self._ca_file, "rfnb-login-ca"),
            (self._fingerprint, "rfnb-login-fingerprint"),
            (self._insecure, "rfnb-login-insecure-warning"),
            (self._login_button, "rfnb-login-button"),
            (self._logout_button, "rfnb-logout-button"),
            (self._status, "rfnb-login-status"),
        ):
            widget.add_class(css_class)

        self._login_button.on_click(lambda _b: self.login())
        self._logout_button.on_click(lambda _b: self.logout())
        for field_widget in (self._url, self._user, self._password, self._passphrase, self._fingerprint):
            on_enter(field_widget, self.login)
        self._method.observe(lambda _c: self._arrange(), names="value")
        self._tls.observe(lambda _c: self._arrange(), names="value")

        super().__init__(layout=w.Layout(width="auto"))
        self.add_class("rfnb-login")
        self._arrange()

    # -- layout ------------------------------------------------------------------------------------------------

    def _arrange(self) -> None:
        """Show only the fields the chosen method and TLS mode use."""
        rows: list[w.Widget] = [self._note, self._url]
        if self._method.value == "certificate":
            rows.append(self._cert_box)
        else:
            rows += [self._user, self._password]
        rows.append(self._method)
        rows.append(self._tls)
        if self._tls.value == "ca":
            rows.append(self._ca_file)
        elif self._tls.value == "fingerprint":
            rows.append(self._fingerprint)
        else:
            rows.append(self._insecure)
        rows += [w.HBox([self._login_button, self._logout_button]), self._status]
        self.children = tuple(rows)

    # -- actions -----------------------------------------------------------------------------------------------

    def _form(self) -> LoginForm:
        return LoginForm(
            url=self._url.value,
            username=self._user.value,
            password=self._password.value,
            method=self._method.value,
            tls=self._tls.value,
            ca_file=self._ca_file.value,
            fingerprint=self._fingerprint.value,
            cert=_upload_bytes(self._cert),
            key=_upload_bytes(self._key),
            passphrase=self._passphrase.value,
            timeout=self.timeout,
        )

    def _inputs(self) -> tuple[w.DOMWidget, ...]:
        return (
            self._login_button,
            self._logout_button,
            self._url,
            self._user,
            self._password,
            self._method,
            self._tls,
            self._ca_file,
            self._fingerprint,
            self._cert,
            self._key,
            self._passphrase,
        )

    def login(self) -> bool:
        """Log in with what the fields hold. Returns True on success; never raises (the status line says why)."""
        if self.state == "connecting":
            return False
        form = self._form()
        secrets = tuple(s for s in (form.password, form.passphrase) if s)
        # Secrets leave the widget state before the request starts, whatever happens next.
        self._password.value = ""
        self._passphrase.value = ""
        if form.key is not None:
            self._key.value = ()
        self._set_client(None)
        self.state = "connecting"
        self._status.value = status_html(f"Logging in to {form.url.strip()} …", "busy")
        try:
            with busy(*self._inputs()):
                client = self.controller.login(form)
        except Exception as exc:  # noqa: BLE001 - shown in the status line; callbacks must not raise
            self.state = "error"
            self._status.value = status_html(friendly_error(exc, secrets), "error")
            self._logout_button.disabled = True
            return False
        self._set_client(client)
        self.state = "connected"
        self._logout_button.disabled = False
        self._status.value = status_html(self._connected_text(client, form), "ok")
        return True

    def logout(self) -> bool:
        """Log out (delete the session on the BMC). Returns True when done; errors go to the status line."""
        if self.controller.client is None:
            self._status.value = status_html("Not logged in.", "info")
            self._logout_button.disabled = True
            return True
        try:
            with busy(*self._inputs()):
                self.controller.logout()
        except Exception as exc:  # noqa: BLE001
            self._status.value = status_html(
                "Logged out locally; the BMC said: " + friendly_error(exc), "error"
            )
        else:
            self._status.value = status_html("Logged out; the session was deleted on the BMC.", "info")
        self._set_client(None)
        self.state = "disconnected"
        self._logout_button.disabled = True
        return True

    def _set_client(self, client: Any) -> None:
        if client is None and self.controller.client is not None:
            self.controller.logout()
        self.client = client

    @staticmethod
    def _connected_text(client: Any, form: LoginForm) -> str:
        who = getattr(client, "username", None) or form.username or "certificate user"
        method = getattr(client, "auth_method", None) or form.method
        text = f"Logged in to {getattr(client, 'url', None) or form.url} as {who} ({method} authentication"
        hint = getattr(client, "token_hint", None)
        if hint:
            text += f", token {hint if str(hint).endswith('…') else token_hint(str(hint))}"
        text += ")."
        if form.tls == "insecure":
            text += " TLS verification is off."
        return text

    def close(self) -> None:
        """Log out and close the widget and its children."""
        try:
            self.controller.logout()
        finally:
            for child in self._inputs() + (self._status, self._insecure, self._cert_box, self._note):
                child.close()
            super().close()

    # -- rendering ---------------------------------------------------------------------------------------------

    @property
    def status_text(self) -> str:
        """The status line as plain text."""
        return status_text(self._status.value)

    def _text_summary(self) -> str:
        user = getattr(self.client, "username", None) or self._user.value
        return (
            f"LoginPanel(url={self._url.value!r}, user={user!r}, method={self._method.value!r}, "
            f"tls={self._tls.value!r}, state={self.state!r})"
        )

    def _static_html(self) -> str:
        return (
            f'<div class="rfnb-login rfnb-static" style="{css("text")};border:1px solid {STRONG_RULE};'
            'padding:6px;max-width:520px">'
            f"<b>Log-in panel</b> (live in a running kernel) — {html.escape(self._url.value or 'no URL')}"
            f"{self._status.value}</div>"
        )
