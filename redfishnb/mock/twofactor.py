"""iLO two-factor authentication (TFA) as HPE documents it for iLO 6 (1.50 and later), in the lab's terms.

What HPE documents (``tfa.md``; iLO 6 v1.70 resource definitions): ``AccountService`` ``Oem.Hpe.TwoFactorAuth``
(``Enabled``/``Disabled``) is one global switch. When it is on, it applies to directory (Microsoft Active
Directory) users only; local accounts log in as before, Basic authentication included. A directory user's
session login is answered ``OneTimePasscodeSent`` and a passcode is mailed to the address the directory holds
for the user; the same login with that passcode in ``Token`` opens the session. A directory user without a mail
address gets ``409 MailNotConfigured``; Basic authentication by a directory user gets ``401 NoValidSession``.
Enabling needs, in that order, ``SMTPForTFAEnabled`` (ManagerNetworkProtocol ``Oem.Hpe``) and working directory
settings, otherwise ``PropertyValueIncompatible``; turning ``SMTPForTFAEnabled`` off turns TFA off.

The lab's terms: the mock has no directory server. An account added with ``directory=True`` stands for a
directory user (its sessions show ``UserType: Directory``; unlike on iLO it is also listed under
``Accounts``), and its ``otp_email`` is the address the directory would hold. Giving an account an
``otp_email`` makes it such a user and is the instructor's shortcut for HPE's setup: it configures the lab's
directory and SMTP settings (``lab_two_factor`` in the flavour's ``surface.json``), turns ``SMTPForTFAEnabled``
on, then ``TwoFactorAuth``, as an administrator would — so ``bmc.add_account("dirk", ..., otp_email=...)``
alone gives notebook 06 a two-factor user. A PATCH of ``TwoFactorAuth`` to ``Disabled`` afterwards lets that
user log in with the password alone.

"Working directory settings" is read as HPE's tfa.md example shows them: ``LDAP.ServiceEnabled`` true with a
``LDAP.ServiceAddresses`` entry, and ``Oem.Hpe.DirectorySettings.LdapAuthenticationMode`` other than
``Disabled``. Those settings are only stored (the mock contacts no directory and no mail server); the passcode
goes to the mailbox an instructor reads with ``bmc.last_otp(user)``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from . import surface
from .state import Account, BMCState
from .wire import Problem

ACCOUNT_SERVICE = "/redfish/v1/AccountService"


def applies(state: BMCState, account: Account) -> bool:
    """Whether a login of ``account`` needs a one-time passcode: TFA on, and a directory user."""
    return state.two_factor and account.directory


def set_up_for_lab(state: BMCState) -> None:
    """What an administrator does before a directory user can use TFA: directory, SMTP, then TwoFactorAuth.

    Settings an instructor already changed are kept (only defaults are filled in). A BMC without iLO's
    settings (the RMC) only gets the switch, as the mock always gave it."""
    with state.lock:
        state.smtp_for_tfa = True
        state.two_factor = True
        if not state.flavor.has("documented_surface"):
            return
        for path, settings in _lab_settings(state.flavor).items():
            overrides = state.overrides.setdefault(path.lower(), {})
            for dotted, value in settings.items():
                if not _configured(surface.setting(state, path, dotted)):
                    overrides[dotted] = value


@cache
def _lab_settings(flavor: Any) -> dict[str, dict[str, Any]]:
    data = dict(flavor.data("surface")["lab_two_factor"])
    data.pop("why")
    return data


def _configured(value: Any) -> bool:
    if isinstance(value, list):
        return any(isinstance(v, str) and v.strip() for v in value)
    return bool(value) and value != "Disabled"


def missing_prerequisite(ctx: Any) -> str | None:
    """The first prerequisite of ``TwoFactorAuth: Enabled`` that is not met (the PATCH body's values count)."""
    if not ctx.state.smtp_for_tfa:
        return "SMTPForTFAEnabled"
    for dotted, name in (
        ("Oem.Hpe.DirectorySettings.LdapAuthenticationMode", "LdapAuthenticationMode"),
        ("LDAP.ServiceEnabled", "LDAPService"),
        ("LDAP.ServiceAddresses", "LDAPService"),
    ):
        if not _configured(_requested(ctx, dotted)):
            return name
    return None


def _requested(ctx: Any, dotted: str) -> Any:
    """The value ``dotted`` will have if this PATCH applies: the body's, else the current setting."""
    node: Any = ctx.body
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return surface.setting(ctx.state, ACCOUNT_SERVICE, dotted)
        node = node[part]
    return node


def account_service_patch(ctx: Any) -> dict[str, tuple[type, Any, Any]]:
    """The PATCH spec entry of ``Oem.Hpe.TwoFactorAuth`` (see :func:`redfishnb.mock.handlers.common.apply_patch`)."""
    state = ctx.state

    def check(value: str) -> None:
        if value not in ("Enabled", "Disabled"):
            raise Problem(400, "PropertyValueNotInList", value, "Oem.Hpe.TwoFactorAuth")
        missing = missing_prerequisite(ctx) if value == "Enabled" else None
        if missing:
            raise Problem(400, "PropertyValueIncompatible", value, "TwoFactorAuth", missing)

    def apply(value: str) -> None:
        state.two_factor = value == "Enabled"

    return {"Oem.Hpe.TwoFactorAuth": (str, apply, check)}


def network_protocol_patch(ctx: Any) -> dict[str, tuple[Any, Any, Any]]:
    """The PATCH spec entry of ``Oem.Hpe.SMTPForTFAEnabled``: off also turns TwoFactorAuth off, as HPE documents.

    HPE's own example body sends the string ``"true"`` and gets ``Success``, so "true"/"false" strings count."""
    state = ctx.state

    def check(value: Any) -> None:
        if isinstance(value, str) and value.lower() not in ("true", "false"):
            raise Problem(400, "PropertyValueTypeError", value, "Oem.Hpe.SMTPForTFAEnabled")

    def apply(value: Any) -> None:
        state.smtp_for_tfa = value if isinstance(value, bool) else value.lower() == "true"
        if not state.smtp_for_tfa:
            state.two_factor = False

    return {"Oem.Hpe.SMTPForTFAEnabled": ((bool, str), apply, check)}


def basic_refusal(refusal: Problem) -> Problem:
    """iLO's 401 ``NoValidSession`` to Basic authentication by a directory user under TFA, with one more item.

    The extra ``AuthenticationTokenRequired`` tells this refusal from a wrong password (the passcode, a session
    login's ``Token``, is what is missing); the kit's client relies on it."""
    refusal.extra.append(("AuthenticationTokenRequired", ()))
    return refusal


def check_login(state: BMCState, account: Account, token: str | None) -> None:
    """The TFA step of a session login with correct credentials: pass, or raise the documented answer.

    The first POST mails a passcode (401 ``OneTimePasscodeSent``); the second carries it in ``Token``."""
    if not applies(state, account):
        return
    if not account.otp_email:
        raise Problem(409, "MailNotConfigured")
    now = state.clock.now()
    with state.lock:
        pending = state.otp_mailbox.get(account.username)
        if token is None or pending is None:
            code = state.entropy.digits(6)
            state.otp_mailbox[account.username] = (code, now + state.policy.otp_lifetime)
            raise Problem(401, "OneTimePasscodeSent", _mask_email(account.otp_email))
        code, expires = pending
        if now >= expires:
            state.otp_mailbox.pop(account.username, None)
            raise Problem(401, "AuthenticationTokenExpired")
        if token != code:
            raise Problem(state.policy.bad_login_status, "UnauthorizedLoginAttempt")
        state.otp_mailbox.pop(account.username, None)


def _mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "configured mail"
    user, domain = email.split("@", 1)
    return f"{user[:1]}***@{domain}"
