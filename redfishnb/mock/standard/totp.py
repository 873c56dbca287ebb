"""RFC 6238 time-based one-time passwords on the mock's clock: secret keys, the skew window, replay refusal.

DMTF names the feature ``AccountService.MultiFactorAuth.TimeBasedOneTimePassword`` (``Enabled``,
``TimeStepSeconds``, default 30) with the account actions ``GenerateSecretKey`` / ``ClearSecretKey``, and the
code travels as ``Token`` in the session POST. The schema leaves hash, digits and encoding open; this mock uses
the RFC defaults that authenticator apps expect: HMAC-SHA-1, 6 digits, unpadded Base32 secret (32 characters,
160 bits). Codes from one step before or after the current one are accepted (RFC 6238 §5.2 suggests at most one
step of transmission delay), and a code is never accepted twice: once a step's code has logged in, that step and
every earlier one are spent for the account (§5.2: a verifier must not accept the second use of the same OTP).
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field

import pyotp

DEFAULT_STEP = 30
WINDOW = 1  # steps either side of "now"
DIGITS = 6


def new_secret() -> str:
    """A fresh random Base32 secret (what ``GenerateSecretKey`` returns, once)."""
    return pyotp.random_base32()


def code_at(secret: str, now: float, step: int = DEFAULT_STEP) -> str:
    """The code an authenticator app shows at ``now`` (for tests and the instructor API)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=step).at(int(now))


@dataclass
class TotpVerifier:
    """Checks codes against per-account secrets and remembers the last step each account used."""

    step: int = DEFAULT_STEP
    window: int = WINDOW
    _last_step: dict[str, int] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def verify(self, account_key: str, secret: str, code: object, now: float, *, spend: bool = True) -> bool:
        """True when ``code`` is valid at ``now`` within the window and not yet used; the step is then spent
        (``spend=False``: only check, as ``VerifyTimeBasedOneTimePassword`` does, leaving the code usable)."""
        if not isinstance(code, str) or len(code) != DIGITS or not code.isdigit():
            return False
        totp = pyotp.TOTP(secret, digits=DIGITS, interval=self.step)
        current = int(now) // self.step
        with self._lock:
            spent = self._last_step.get(account_key, -1)
            for counter in range(current - self.window, current + self.window + 1):
                if counter <= spent:
                    continue
                if hmac.compare_digest(totp.generate_otp(counter), code):
                    if spend:
                        self._last_step[account_key] = counter
                    return True
        return False

    def forget(self, account_key: str) -> None:
        """Drop the replay record (``ClearSecretKey`` or a new secret)."""
        with self._lock:
            self._last_step.pop(account_key, None)
