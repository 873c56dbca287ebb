"""TOTP verification on a given clock: the ±1 step window and refusal of a reused code."""

from __future__ import annotations

import pyotp

from redfishnb.mock.standard.totp import TotpVerifier, code_at, new_secret

NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z, a step boundary


def test_secret_is_base32_and_matches_pyotp() -> None:
    secret = new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert code_at(secret, NOW) == pyotp.TOTP(secret).at(int(NOW))


def test_window_of_one_step() -> None:
    secret = new_secret()
    for offset in (-30, 0, 30):
        assert TotpVerifier().verify("a", secret, code_at(secret, NOW + offset), NOW)
    for offset in (-60, 60):
        assert not TotpVerifier().verify("a", secret, code_at(secret, NOW + offset), NOW)


def test_code_cannot_be_replayed() -> None:
    secret = new_secret()
    verifier = TotpVerifier()
    code = code_at(secret, NOW)
    assert verifier.verify("a", secret, code, NOW)
    assert not verifier.verify("a", secret, code, NOW + 5)
    assert not verifier.verify("a", secret, code_at(secret, NOW - 30), NOW + 5)  # earlier step: spent too
    assert verifier.verify("a", secret, code_at(secret, NOW + 30), NOW + 30)
    assert verifier.verify("b", secret, code, NOW)  # per account


def test_malformed_codes() -> None:
    secret = new_secret()
    verifier = TotpVerifier()
    for bad in (None, 123456, "", "12345", "1234567", "abcdef"):
        assert not verifier.verify("a", secret, bad, NOW)


def test_forget_allows_the_step_again() -> None:
    secret = new_secret()
    verifier = TotpVerifier()
    code = code_at(secret, NOW)
    assert verifier.verify("a", secret, code, NOW)
    verifier.forget("a")
    assert verifier.verify("a", secret, code, NOW)


def test_check_without_spending() -> None:
    secret = new_secret()
    verifier = TotpVerifier()
    code = code_at(secret, NOW)
    assert verifier.verify("a", secret, code, NOW, spend=False)
    assert verifier.verify("a", secret, code, NOW)
    assert not verifier.verify("a", secret, code, NOW, spend=False)
