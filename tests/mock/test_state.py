"""State helpers: seeded randomness and the user-name rule."""

from __future__ import annotations

from redfishnb.mock.state import Entropy, valid_username


def test_seeded_entropy_repeats_and_usernames() -> None:
    assert Entropy(3).hex(16) == Entropy(3).hex(16) and len(Entropy(3).hex(16)) == 32
    assert Entropy(None).hex(16) != Entropy(None).hex(16)
    assert Entropy(1).digits(6).isdigit()
    assert valid_username("ilo_admin") and valid_username("用户")
    assert not any(valid_username(n) for n in ("", "a b", "a/b", "x" * 40, None))
