"""Password login: ``POST`` user name and password to the sessions collection, keep the token it answers with.

Two-factor codes travel as ``Token`` in the same body, but where they come from depends on the service. iLO mails
a passcode: without one it answers ``OneTimePasscodeSent`` instead of opening a session, and the next login passes
it (``otp=``). A DMTF-standard service wants the account's current TOTP code: ``otp=`` gives one code (good for
one login), ``otp_secret=`` (:class:`~redfishnb.auth.totp.TotpSecret`) computes a fresh one at each login, so a
new login after a 401 (``reauth=True``) works once the first code has expired. The password (and the secret) is
kept after the login only for ``reauth=True``, and dropped when the client closes.
"""

from __future__ import annotations

from ..errors import OneTimePasscodeRequired, RedfishError, message_ids
from ..response import Response
from .base import NoAuth, Wire
from .refusals import lockout_settings, standard_login_failed
from .session import SessionAuth, login_failed
from .totp import TotpSecret

__all__ = ["PasswordSession"]

_NO_TOKEN_HINT = 'The service does not hand out session tokens this way: try auth="basic".'
_ILO_SECRET_HINT = (
    "iLO's two-factor login e-mails a one-time passcode instead: log in without otp_secret= to receive it, then "
    'again with otp="<passcode>".'
)


class PasswordSession(SessionAuth):
    """A session opened with a user name and password, and a two-factor code when the account needs one.

    ``standard``: the service root says a DMTF-standard service (True), an iLO (False), or was not read (None,
    worded as iLO, the kit's first BMC)."""

    def __init__(
        self,
        user: str,
        password: str,
        otp: str | None = None,
        *,
        otp_secret: TotpSecret | None = None,
        refreshable: bool = False,
        standard: bool | None = None,
    ) -> None:
        super().__init__(user, refreshable=refreshable)
        self._password: str | None = password
        self._otp = otp
        self._secret = otp_secret
        self.standard = standard

    @property
    def can_refresh(self) -> bool:
        return self.refreshable and self._password is not None

    def login(self, wire: Wire) -> None:
        """POST the credentials; without ``refreshable`` the password is forgotten whatever the answer."""
        try:
            self._post(wire)
        finally:
            if not self.refreshable:
                self._password = self._secret = None

    def _code(self) -> str | None:
        """The code for this login: a fresh TOTP code from the secret, else the ``otp=`` given."""
        if self._secret is not None:
            if self.standard is False:
                raise RedfishError(
                    "otp_secret= computes time-based codes, but this BMC is an iLO.", hint=_ILO_SECRET_HINT
                )
            return self._secret.login_code()
        return str(self._otp) if self._otp else None

    def _post(self, wire: Wire) -> None:
        uri = wire.login_uri
        body = {"UserName": self.username or "", "Password": self._password or ""}
        token = self._code()
        if token:
            body["Token"] = token
        response = wire.send("POST", uri, json=body, auth=NoAuth())
        ids = message_ids(response.json)
        if any(i.endswith("OneTimePasscodeSent") for i in ids) and not response.headers.get("X-Auth-Token"):
            raise OneTimePasscodeRequired(
                f"POST {uri}: the BMC sent a one-time passcode instead of opening a session.",
                status=response.status,
                message_ids=ids,
                response=response,
            )
        if response.status >= 400:
            raise self._refused(response, wire, token is not None)
        self._adopt(response, wire.url, f"POST {uri}", _NO_TOKEN_HINT)

    def _refused(self, response: Response, wire: Wire, token_sent: bool) -> RedfishError:
        if not self.standard:
            return login_failed(response, "POST", wire.login_uri, wire.login_delay, otp=token_sent)
        return standard_login_failed(
            response,
            "POST",
            wire.login_uri,
            username=self.username or "",
            token_sent=token_sent,
            lockout=lambda: lockout_settings(wire),
        )

    def drop_credentials(self) -> None:
        super().drop_credentials()
        self._password = self._secret = None

    def password_changed(self, password: str) -> None:
        """A later login (``reauth=True``) uses the new password."""
        super().password_changed(password)
        if self._password is not None:
            self._password = password

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + " password=***>"
