"""The caller's own account: finding it, changing its password, and its TOTP secret (two-factor setup).

Why a module of its own: a login that must change its password first (``PasswordChangeRequired``) may do almost
nothing else, so finding "my account" cannot start by reading AccountService or listing everyone. The order here
is what such a restricted login is allowed: the account URI the BMC named in its ``PasswordChangeRequired``
message, then ``Accounts/<UserName>`` (bmcweb's account ``Id`` is the user name), then the collection's members
(iLO's numeric ids; a restricted iLO login names its account in the message). The DMTF-standard Session has no
link to its account, so this works from the user name the login used.

The TOTP helpers call ``ManagerAccount.GenerateSecretKey`` / ``ClearSecretKey``. The secret appears once, in the
action's answer; it comes back wrapped in a :class:`~redfishnb.auth.TotpSecret`, whose repr hides it (the
exchange log masks ``SecretKey`` as every secret member).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._json import dig, odata_id
from .auth.totp import TotpSecret
from .errors import RedfishError, ResourceNotFound

if TYPE_CHECKING:
    from .client import RedfishClient

__all__ = ["account_uri", "change_password", "clear_totp_secret", "generate_totp_secret"]

_ACCOUNT_SERVICE = "/redfish/v1/AccountService"


def _accounts_collection(client: RedfishClient) -> str:
    """The Accounts collection: under the service root's AccountService (DSP0266 fixes the last segment)."""
    service = odata_id(dig(client.root, "AccountService")) or _ACCOUNT_SERVICE
    slash = "/" if service.endswith("/") else ""
    return f"{service.rstrip('/')}/Accounts{slash}"


def _named_by_user(client: RedfishClient, uri: str, username: str) -> bool:
    answer = client.get(uri, check=False)
    return answer.status == 200 and bool(dig(answer.json, "UserName") == username)


def account_uri(client: RedfishClient, account: str | None = None) -> str:
    """The URI of ``account`` (a user name or a URI; None: the caller's own account)."""
    if account is not None and account.startswith("/"):
        return account
    username = account or client.username
    if account is None and client._auth.password_change_uri:  # the BMC named it in the login answer
        return str(client._auth.password_change_uri)
    if not username:
        raise RedfishError(
            "This client does not know its user name, so it cannot find its account.",
            hint="Pass the account's URI: account=/redfish/v1/AccountService/Accounts/<id>.",
        )
    collection = _accounts_collection(client)
    direct = f"{collection.rstrip('/')}/{quote(username, safe='')}"
    if _named_by_user(client, direct, username):
        return direct
    for member in dig(client.get(collection).json, "Members") or []:
        uri = odata_id(member)
        if uri and _named_by_user(client, uri, username):
            return uri
    raise ResourceNotFound(
        f"No account named {username!r} in {collection}.",
        hint="Check the user name, or pass the account's URI with account=.",
    )


def change_password(client: RedfishClient, new_password: str, *, old_password: str | None = None) -> str:
    """Change the caller's own password; returns the account URI.

    With ``old_password`` and an account that offers ``#ManagerAccount.ChangePassword`` (DMTF 2023.2, required
    where ``AccountService.RequireChangePasswordAction`` is true), the action is used; otherwise ``Password`` is
    PATCHed, with the account's ETag in ``If-Match``. Afterwards the client's credentials follow the change (Basic
    sends the new password, ``reauth=True`` logs in with it) and a restricted login is no longer restricted."""
    uri = account_uri(client)
    current = client.get(uri)
    action = dig(current.json, "Actions", "#ManagerAccount.ChangePassword", "target")
    if old_password is not None and isinstance(action, str):
        body = {"SessionAccountPassword": old_password, "NewPassword": new_password}
        client.post(action, json=body)
    else:
        client.patch(uri, json={"Password": new_password}, etag=current.etag)
    client._auth.password_changed(new_password)
    return uri


def _action(client: RedfishClient, account: str | None, name: str) -> Any:
    uri = account_uri(client, account)
    body = client.get(uri).json
    target = dig(body, "Actions", f"#ManagerAccount.{name}", "target")
    if not isinstance(target, str):
        raise RedfishError(
            f"{uri} offers no #ManagerAccount.{name} action: this BMC has no time-based two-factor login "
            "(ManagerAccount v1_13_0).",
            hint="Check the BMC's firmware; iLO's two-factor login mails passcodes instead (otp=).",
        )
    return client.post(target, json={}).json


def generate_totp_secret(client: RedfishClient, account: str | None = None) -> TotpSecret:
    """A new TOTP secret for ``account`` (default: the caller's), which replaces any earlier one.

    Log in with it later as ``connect(..., otp_secret=secret)``; ``secret.reveal()`` is the Base32 text an
    authenticator app takes. The BMC shows it this once: keep it somewhere safe."""
    answer = _action(client, account, "GenerateSecretKey")
    secret = answer.get("SecretKey") if isinstance(answer, Mapping) else None
    if not isinstance(secret, str) or not secret:
        raise RedfishError(
            "GenerateSecretKey answered without a SecretKey.", hint="Check the BMC's firmware."
        )
    return TotpSecret(secret)


def clear_totp_secret(client: RedfishClient, account: str | None = None) -> None:
    """Remove the TOTP secret of ``account`` (default: the caller's); its logins then need no code."""
    _action(client, account, "ClearSecretKey")
