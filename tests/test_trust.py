"""verify= decoded once: every spelling a person writes becomes one TrustSetting (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redfishnb.trust import TrustSetting, parse_pin, parse_verify

PIN = "sha256:" + "ab" * 32


@pytest.mark.parametrize("value", [True, None, "", "  ", "true", "YES", "on", "1", "system"])
def test_words_for_the_system_store(value: object) -> None:
    setting = parse_verify(value)
    assert setting == TrustSetting("system") and setting.verify is True
    assert setting.describe() == "system trust"


@pytest.mark.parametrize("value", [False, "false", "No", "off", "0", "insecure"])
def test_words_for_no_checking(value: object) -> None:
    setting = parse_verify(value)
    assert setting.mode == "insecure" and setting.verify is False
    assert setting.describe() == "NOT VERIFIED"


@pytest.mark.parametrize(
    "text", [PIN, PIN.upper(), "sha256:" + ":".join(["AB"] * 32), " SHA-256:" + "AB " * 31 + "AB "]
)
def test_pins_in_every_pasted_form_become_canonical(text: str) -> None:
    setting = parse_verify(text)
    assert (setting.mode, setting.pin, setting.verify) == ("pin", PIN, PIN)
    assert setting.describe() == "pinned sha256:ababab…"
    assert parse_pin("AB:" * 31 + "AB") == PIN  # the login panel's field needs no prefix


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("sha256:ab12", "4 hex digits"),
        ("sha256:" + "zz" * 32, "not a certificate fingerprint"),
        ("sha1:" + "ab" * 20, "SHA1 fingerprint cannot be pinned"),
        ("sha512:" + "ab" * 64, "SHA512 fingerprint cannot be pinned"),
    ],
)
def test_bad_pins_are_refused_with_the_reason(text: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_verify(text)


def test_ca_paths_relative_to_the_inventory_and_home(tmp_path: Path) -> None:
    assert parse_verify("ca.pem", tmp_path) == TrustSetting("ca", path=str(tmp_path / "ca.pem"))
    assert parse_verify("/etc/ca.pem", tmp_path).path == "/etc/ca.pem"
    assert parse_verify("ca.pem").path == "ca.pem"  # no base: as given; connect() resolves it
    assert parse_verify("~/ca.pem").path == str(Path("~/ca.pem").expanduser())
    setting = parse_verify(tmp_path / "lab-ca.pem")
    assert setting.verify == str(tmp_path / "lab-ca.pem") and setting.describe() == "ca=lab-ca.pem"


def test_pem_text_and_settings_pass_through() -> None:
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    setting = parse_verify(pem)
    assert (setting.mode, setting.pem, setting.path, setting.verify) == ("ca", pem.strip(), None, pem.strip())
    assert setting.describe() == "ca=<PEM text>"
    assert parse_verify(setting) is setting


@pytest.mark.parametrize("value", [3, 1.0, ["ca.pem"], b"sha256:ab"])
def test_other_types_are_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="verify must be True, False, a CA file path"):
        parse_verify(value)


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        parse_verify(True).mode = "insecure"  # type: ignore[misc]
