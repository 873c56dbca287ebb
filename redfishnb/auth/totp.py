"""A TOTP shared secret (RFC 6238) that computes the code of the moment and never shows itself.

A DMTF-standard service with ``MultiFactorAuth.TimeBasedOneTimePassword`` enabled wants the account's current
code as ``Token`` in every session ``POST``. A code lives one time step (30 s unless the service says
``TimeStepSeconds``) and a careful service accepts it once, so a client that must log in again later
(``reauth=True``) needs the secret, not a code: :class:`TotpSecret` holds it and computes the code at each login.
Its repr, str and pickled form hide the secret; :meth:`TotpSecret.reveal` is the one explicit way to read it (to
put it into an authenticator app).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NoReturn

import pyotp

__all__ = ["TotpSecret", "as_totp_secret"]

DEFAULT_STEP = 30
DIGITS = 6


class _ServiceTOTP(pyotp.TOTP):
    """pyotp refuses secrets under 112 bits (NIST's advice for issuers); the BMC is the issuer here, and the
    client must compute codes for whatever secret it handed out."""

    min_secret_length_bits = 8


class TotpSecret:
    """A Base32 TOTP secret. ``clock`` says what "now" is (seconds since the epoch; the BMC judges by its own)."""

    __slots__ = ("_secret", "step", "digits", "clock", "_last")

    def __init__(
        self,
        secret: str,
        *,
        step: int = DEFAULT_STEP,
        digits: int = DIGITS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        cleaned = "".join(str(secret).split()).upper()
        try:
            _ServiceTOTP(cleaned).at(0)
        except (ValueError, TypeError):  # binascii.Error is a ValueError
            raise ValueError(
                "otp_secret= is not a Base32 TOTP secret (letters A-Z and digits 2-7)."
            ) from None
        self._secret, self.step, self.digits, self.clock = cleaned, int(step), int(digits), clock
        self._last: int | None = None

    def reveal(self) -> str:
        """The secret itself, for an authenticator app. Never print it into a saved notebook."""
        return self._secret

    def code(self, at: float | None = None) -> str:
        """The code valid at ``at`` (default: now on :attr:`clock`)."""
        moment = self.clock() if at is None else at
        return self._totp().generate_otp(int(moment) // self.step)

    def login_code(self) -> str:
        """The code for a login: the current step's, or the next step's when this object already logged in
        with the current one (a service refuses a code twice; RFC 6238 §5.2 lets it accept one step ahead)."""
        step = int(self.clock()) // self.step
        if self._last is not None and step <= self._last:
            step = self._last + 1
        self._last = step
        return self._totp().generate_otp(step)

    def _totp(self) -> pyotp.TOTP:
        return _ServiceTOTP(self._secret, digits=self.digits, interval=self.step)

    def __repr__(self) -> str:
        return f"<TotpSecret *** step={self.step}s digits={self.digits}>"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a TotpSecret is not pickled: the secret would leave in clear")


def as_totp_secret(value: str | TotpSecret | None) -> TotpSecret | None:
    """``otp_secret=`` as given (a Base32 string or a :class:`TotpSecret`) as one object, or None."""
    if value is None or isinstance(value, TotpSecret):
        return value
    return TotpSecret(value)
