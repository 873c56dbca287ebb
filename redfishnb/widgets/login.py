"""LoginPanel: log in to a BMC from a notebook without writing the password into a cell.

The panel is a thin ipywidgets view over :class:`LoginController`, a plain-Python object that turns the form into
``redfishnb.connect()`` arguments (checking them first, so a typo gets a sentence, not a traceback) and owns the
connected client. Other widgets follow the panel through its ``client`` and ``state`` traits: a SessionTable bound
to it refreshes on log-in and empties on log-out.

Two-factor log-ins: the "Code" field takes a one-time code (``connect(otp=...)``: iLO's e-mailed passcode, a
standard service's TOTP code); "TOTP secret" takes the account's secret instead (``otp_secret=``), masked.

Secrets: the password, TOTP secret and key passphrase fields (and the used-up code) are cleared after every
attempt, and the uploaded key is dropped from the FileUpload as soon as it has been read, so no secret stays in the
widget state that a saved notebook could keep. The status line shows the token only as its first four characters.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets

from ..exchanges import token_hint
from ._common import StaticRenderMixin, busy, friendly_error, on_enter, status_html, status_text, tagged
from ._login_form import (
    INSECURE_WARNING,
    METHODS,
    TLS_MODES,
    LoginController,
    LoginForm,
    LoginInputError,
    tls_from_verify,
    upload_bytes,
)
from ._theme import STRONG_RULE, css, restart_note

__all__ = ["LoginController", "LoginForm", "LoginInputError", "LoginPanel", "METHODS", "TLS_MODES"]


class LoginPanel(StaticRenderMixin, w.VBox):  # type: ignore[misc]  # ipywidgets ships no types
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
            tls, ca_file, fingerprint = tls_from_verify(verify, ca_file, fingerprint)
        url = url if url is not None else os.environ.get("REDFISH_URL", "")
        ca_file = ca_file if ca_file is not None else os.environ.get("REDFISH_CA", "")
        username = username if username is not None else os.environ.get("REDFISH_USERNAME", "")
        tls = tls or ("fingerprint" if fingerprint and not ca_file else "ca")
        self.controller = LoginController(connect)
        self.timeout = timeout

        self._build(str(url), username, method, tls, ca_file, fingerprint)
        self._login_button.on_click(lambda _b: self.login())
        self._logout_button.on_click(lambda _b: self.logout())
        fields = (self._url, self._user, self._password, self._otp, self._otp_secret, self._passphrase)
        for field_widget in (*fields, self._fingerprint):
            on_enter(field_widget, self.login)
        self._method.observe(lambda _c: self._arrange(), names="value")
        self._tls.observe(lambda _c: self._arrange(), names="value")

        super().__init__(layout=w.Layout(width="auto"))
        self.add_class("rfnb-login")
        self._arrange()

    def _build(
        self, url: str, username: str, method: str, tls: str, ca_file: str, fingerprint: str | None
    ) -> None:
        """The panel's child widgets, each with the CSS class browser tests and stylesheets select on."""
        layout = w.Layout(width="420px")
        style = {"description_width": "90px"}

        def row(make: Callable[..., Any], css_class: str, **options: Any) -> Any:
            return tagged(make(layout=layout, style=style, **options), css_class)

        self._url = row(
            w.Text, "rfnb-login-url", value=url, description="BMC URL", placeholder="https://10.0.0.5"
        )
        self._build_credentials(row, username)
        self._method = tagged(
            w.ToggleButtons(options=METHODS, value=method, description="Method", style=style),
            "rfnb-login-method",
        )
        self._build_certificate(row)
        self._tls = row(w.Dropdown, "rfnb-login-tls", options=TLS_MODES, value=tls, description="TLS")
        self._ca_file = row(
            w.Text,
            "rfnb-login-ca",
            value=ca_file,
            description="CA file",
            placeholder="empty: system trust store",
        )
        self._fingerprint = row(
            w.Text,
            "rfnb-login-fingerprint",
            value=fingerprint or "",
            description="Fingerprint",
            placeholder="sha256:… or AB:CD:…",
        )
        self._insecure = tagged(
            w.HTML(status_html(INSECURE_WARNING, "warning")), "rfnb-login-insecure-warning"
        )
        self._login_button = tagged(
            w.Button(description="Log in", button_style="primary", icon="sign-in"), "rfnb-login-button"
        )
        self._logout_button = tagged(
            w.Button(description="Log out", icon="sign-out", disabled=True), "rfnb-logout-button"
        )
        self._status = w.HTML(status_html("Not logged in.", "info"))
        self._status.add_class("rfnb-status-block")
        self._status.add_class("rfnb-login-status")
        self._note = restart_note()

    def _build_credentials(self, row: Callable[..., Any], username: str) -> None:
        """User, password, and the two-factor fields of a session log-in: a one-time code (iLO's e-mailed
        passcode, or the current code of a standard service's authenticator app) or the TOTP secret itself,
        masked like the password, from which the client computes each code."""
        self._user = row(w.Text, "rfnb-login-user", value=username, description="User", placeholder="admin")
        self._password = row(w.Password, "rfnb-login-password", description="Password")
        self._otp = row(
            w.Text, "rfnb-login-otp", description="Code", placeholder="one-time code, if the BMC asks for one"
        )
        self._otp_secret = row(
            w.Password,
            "rfnb-login-otp-secret",
            description="TOTP secret",
            placeholder="or the Base32 secret, to compute the code",
        )

    def _build_certificate(self, row: Callable[..., Any]) -> None:
        """The certificate log-in's fields: the same mutual-TLS path on iLO and on a standard service."""
        self._cert = tagged(
            w.FileUpload(accept=".pem,.crt,.cer", multiple=False, description="Certificate"),
            "rfnb-login-cert",
        )
        self._key = tagged(
            w.FileUpload(accept=".pem,.key", multiple=False, description="Private key"), "rfnb-login-key"
        )
        self._passphrase = row(
            w.Password,
            "rfnb-login-passphrase",
            description="Passphrase",
            placeholder="only if the key is encrypted",
        )
        self._cert_box = w.VBox([w.HBox([self._cert, self._key]), self._passphrase])

    # -- layout ------------------------------------------------------------------------------------------------

    def _arrange(self) -> None:
        """Show only the fields the chosen method and TLS mode use."""
        rows: list[w.Widget] = [self._note, self._url]
        if self._method.value == "certificate":
            rows.append(self._cert_box)
        else:
            rows += [self._user, self._password]
            if self._method.value == "session":
                rows += [self._otp, self._otp_secret]
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
            cert=upload_bytes(self._cert),
            key=upload_bytes(self._key),
            passphrase=self._passphrase.value,
            otp=self._otp.value,
            otp_secret=self._otp_secret.value,
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
            self._otp,
            self._otp_secret,
        )

    def login(self) -> bool:
        """Log in with what the fields hold. Returns True on success; never raises (the status line says why)."""
        if self.state == "connecting":
            return False
        form = self._form()
        secrets = form.secrets
        # Secrets leave the widget state before the request starts, whatever happens next (a one-time code is
        # used up by the attempt, so it goes too).
        for secret_field in (self._password, self._passphrase, self._otp, self._otp_secret):
            secret_field.value = ""
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
