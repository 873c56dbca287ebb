"""iLO two-factor authentication as HPE's tfa.md documents it: one global switch, for directory users only.

The lab's shortcut (``add_account(otp_email=...)`` sets up the directory and SMTP settings and enables
``TwoFactorAuth``, as notebook 06 relies on) is tested next to the HTTP way an administrator does it.
"""

from __future__ import annotations

from typing import Any

import pytest

from redfishnb.mock import MockBMC

from .conftest import SESSIONS, Caller

ADMIN = ("admin", "password")
SERVICE = "/redfish/v1/AccountService/"
PROTOCOL = "/redfish/v1/Managers/1/NetworkProtocol/"
TFA = {"Oem": {"Hpe": {"TwoFactorAuth": "Enabled"}}}
DIRECTORY = {
    "LDAP": {"ServiceEnabled": True, "ServiceAddresses": ["dc.lab.example"]},
    "Oem": {"Hpe": {"DirectorySettings": {"LdapAuthenticationMode": "DefaultSchema"}}},
}


def _ids(r: Any) -> list[str]:
    return [i["MessageId"].rsplit(".", 1)[-1] for i in r.json()["error"]["@Message.ExtendedInfo"]]


def _hpe(call: Caller, path: str) -> dict[str, Any]:
    return call("GET", path, auth=ADMIN).json()["Oem"]["Hpe"]


def _login(call: Caller, user: str, password: str, **extra: str) -> Any:
    return call("POST", SESSIONS, json={"UserName": user, "Password": password, **extra})


def test_factory_default_is_disabled_and_an_account_with_an_address_logs_in_with_its_password(
    call: Caller, bmc: MockBMC
) -> None:
    """Without the switch, a directory user is an ordinary login: no passcode, Basic works."""
    bmc.state.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")  # no lab set-up
    assert _hpe(call, SERVICE)["TwoFactorAuth"] == "Disabled"
    assert _hpe(call, PROTOCOL)["SMTPForTFAEnabled"] is False
    r = _login(call, "dirk", "Dir3ctory!")
    assert r.status_code == 201 and r.json()["Oem"]["Hpe"]["UserType"] == "Directory"
    assert call("GET", "/redfish/v1/Systems/", auth=("dirk", "Dir3ctory!")).status_code == 200


def test_add_account_with_an_address_sets_up_and_enables_two_factor(call: Caller, bmc: MockBMC) -> None:
    """Notebook 06's one call: the settings an administrator would make first are all shown, in force."""
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    service = call("GET", SERVICE, auth=ADMIN).json()
    assert service["Oem"]["Hpe"]["TwoFactorAuth"] == "Enabled"
    assert service["LDAP"]["ServiceEnabled"] is True and service["LDAP"]["ServiceAddresses"]
    assert service["Oem"]["Hpe"]["DirectorySettings"]["LdapAuthenticationMode"] == "DefaultSchema"
    protocol = _hpe(call, PROTOCOL)
    assert protocol["SMTPForTFAEnabled"] is True and protocol["AlertMailSMTPServer"]
    assert call("GET", "/redfish/v1/").json()["Oem"]["Hpe"]["Sessions"]["LDAPEnabled"] is True
    r = _login(call, "dirk", "Dir3ctory!")
    assert r.status_code == 401 and _ids(r) == ["OneTimePasscodeSent"]


def test_two_factor_applies_to_directory_users_only(call: Caller, bmc: MockBMC) -> None:
    """Local accounts (the defaults, and accounts made over Redfish) log in as before, Basic included."""
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    assert _login(call, "operator", "operator").status_code == 201
    assert call("GET", SERVICE, auth=("operator", "operator")).status_code == 200
    basic = call("GET", SERVICE, auth=("dirk", "Dir3ctory!"))
    assert basic.status_code == 401 and _ids(basic) == ["NoValidSession", "AuthenticationTokenRequired"]
    bmc.clear_sessions()


def test_a_directory_user_without_an_address_gets_409_mail_not_configured(call: Caller, bmc: MockBMC) -> None:
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    bmc.add_account("nomail", "Dir3ctory!", "Operator", directory=True)
    r = _login(call, "nomail", "Dir3ctory!")
    assert r.status_code == 409 and _ids(r) == ["MailNotConfigured"]
    assert bmc.last_otp("nomail") is None and bmc.session_count == 0
    wrong = _login(call, "nomail", "wrong")  # the password is checked first: nothing said about the mail
    assert wrong.status_code == 401 and _ids(wrong) == ["UnauthorizedLoginAttempt"]


def test_disabling_by_patch_lets_the_directory_user_in_with_the_password(call: Caller, bmc: MockBMC) -> None:
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    r = call("PATCH", SERVICE, auth=ADMIN, json={"Oem": {"Hpe": {"TwoFactorAuth": "Disabled"}}})
    assert r.status_code == 200 and r.json()["Oem"]["Hpe"]["TwoFactorAuth"] == "Disabled"
    assert _login(call, "dirk", "Dir3ctory!").status_code == 201
    assert call("PATCH", SERVICE, auth=ADMIN, json=TFA).status_code == 200  # prerequisites still hold
    assert _login(call, "dirk", "Dir3ctory!").status_code == 401
    bmc.clear_sessions()


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({}, "SMTPForTFAEnabled"),
        ({"smtp": True}, "LdapAuthenticationMode"),
        ({"smtp": True, "mode": True}, "LDAPService"),
    ],
)
def test_enabling_without_a_prerequisite_is_incompatible(
    call: Caller, settings: dict[str, bool], missing: str
) -> None:
    """HPE: SMTPForTFAEnabled first, and working directory settings, else PropertyValueIncompatible."""
    if settings.get("smtp"):
        smtp = {"Oem": {"Hpe": {"SMTPForTFAEnabled": True}}}
        assert call("PATCH", PROTOCOL, auth=ADMIN, json=smtp).status_code == 200
    if settings.get("mode"):
        mode = {"Oem": {"Hpe": {"DirectorySettings": {"LdapAuthenticationMode": "DefaultSchema"}}}}
        assert call("PATCH", SERVICE, auth=ADMIN, json=mode).status_code == 200
    r = call("PATCH", SERVICE, auth=ADMIN, json=TFA)
    assert r.status_code == 400 and _ids(r) == ["PropertyValueIncompatible"]
    item = r.json()["error"]["@Message.ExtendedInfo"][0]
    assert item["MessageId"].startswith("iLO.")
    assert item["MessageArgs"] == ["Enabled", "TwoFactorAuth", missing]
    assert _hpe(call, SERVICE)["TwoFactorAuth"] == "Disabled"


def test_the_documented_order_enables_it_and_the_setting_is_enforced(call: Caller, bmc: MockBMC) -> None:
    """tfa.md's two PATCHes (its example sends SMTPForTFAEnabled as the string "true"), directory in between."""
    bmc.state.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    r = call("PATCH", PROTOCOL, auth=ADMIN, json={"Oem": {"Hpe": {"SMTPForTFAEnabled": "true"}}})
    assert r.status_code == 200 and r.json()["Oem"]["Hpe"]["SMTPForTFAEnabled"] is True
    both = {
        "LDAP": DIRECTORY["LDAP"],
        "Oem": {"Hpe": {**DIRECTORY["Oem"]["Hpe"], "TwoFactorAuth": "Enabled"}},
    }
    r = call("PATCH", SERVICE, auth=ADMIN, json=both)  # the directory settings in the same body count
    assert r.status_code == 200 and r.json()["Oem"]["Hpe"]["TwoFactorAuth"] == "Enabled"
    assert "@Message.ExtendedInfo" not in r.json(), "every property applied, the address array too"
    assert r.json()["LDAP"]["ServiceAddresses"] == ["dc.lab.example"]
    first = _login(call, "dirk", "Dir3ctory!")
    assert first.status_code == 401 and _ids(first) == ["OneTimePasscodeSent"]
    ok = _login(call, "dirk", "Dir3ctory!", Token=bmc.last_otp("dirk"))
    assert ok.status_code == 201
    bmc.clear_sessions()


def test_turning_smtp_for_tfa_off_turns_two_factor_off(call: Caller, bmc: MockBMC) -> None:
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    r = call("PATCH", PROTOCOL, auth=ADMIN, json={"Oem": {"Hpe": {"SMTPForTFAEnabled": False}}})
    assert r.status_code == 200
    assert _hpe(call, SERVICE)["TwoFactorAuth"] == "Disabled"
    assert _login(call, "dirk", "Dir3ctory!").status_code == 201
    bad = call("PATCH", PROTOCOL, auth=ADMIN, json={"Oem": {"Hpe": {"SMTPForTFAEnabled": "yes"}}})
    assert bad.status_code == 400 and _ids(bad) == ["PropertyValueTypeError"]
    bmc.clear_sessions()


def test_bad_values_and_privileges(call: Caller) -> None:
    r = call("PATCH", SERVICE, auth=ADMIN, json={"Oem": {"Hpe": {"TwoFactorAuth": "On"}}})
    assert r.status_code == 400 and _ids(r) == ["PropertyValueNotInList"]
    r = call("PATCH", SERVICE, auth=("operator", "operator"), json=TFA)
    assert r.status_code == 403


def test_the_setting_survives_an_ilo_reset(bmc: MockBMC) -> None:
    bmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
    bmc.reset(0.1)
    call = Caller(bmc)
    assert _hpe(call, SERVICE)["TwoFactorAuth"] == "Enabled"
    call.http.close()


def test_the_rmc_keeps_its_per_account_two_factor_without_ilo_settings() -> None:
    with MockBMC("rmc", seed=3) as rmc:
        rmc.add_account("dirk", "Dir3ctory!", "Operator", otp_email="dirk@lab.example")
        call = Caller(rmc)
        assert _login(call, "dirk", "Dir3ctory!").status_code == 401
        assert "Oem" not in call("GET", "/redfish/v1/AccountService/", auth=ADMIN).json()
        call.http.close()


def test_the_lab_set_up_changes_only_documented_writable_settings() -> None:
    from redfishnb.mock import surface
    from redfishnb.mock.resources import load_data

    lab = {k: v for k, v in load_data("ilo6_surface.json")["lab_two_factor"].items() if k != "why"}
    for path, settings in lab.items():
        found = surface.doc_for(path)
        assert found is not None and "PATCH" in found[1], path
        props = surface.documented()[found[0]]["properties"]
        for dotted in settings:
            spec = surface._lookup(props, dotted)
            assert spec is not None and not spec["readonly"], f"{path} {dotted}"


def test_an_accounts_file_can_hold_directory_users(tmp_path) -> None:
    """``redfishnb mock --accounts FILE``: a directory user without an address, one with (which enables TFA)."""
    path = tmp_path / "accounts.json"
    path.write_text(
        '[{"username": "admin", "password": "password", "role": "Administrator"},'
        ' {"username": "nomail", "password": "Dir3ctory!", "role": "Operator", "directory": true},'
        ' {"username": "dirk", "password": "Dir3ctory!", "role": "Operator", "otp_email": "dirk@lab.example"}]'
    )
    with MockBMC(seed=4, accounts=path) as bmc:
        call = Caller(bmc)
        assert _hpe(call, SERVICE)["TwoFactorAuth"] == "Enabled"
        assert _login(call, "nomail", "Dir3ctory!").status_code == 409
        assert _login(call, "dirk", "Dir3ctory!").status_code == 401
        call.http.close()
