"""redfishnb.lab: how a notebook picks its BMC, finds a password without holding it, and cleans up."""

from __future__ import annotations

import getpass

import pytest

from redfishnb import lab
from redfishnb.errors import RedfishError

SECRET = "Tr0ub4dor&3-lab-test"


@pytest.fixture
def ca_file(tmp_path):
    path = tmp_path / "bmc-ca.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    return str(path)


@pytest.fixture
def no_getpass(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("getpass must not be called without a keyboard")

    monkeypatch.setattr(getpass, "getpass", refuse)


def real_env(ca_file: str, **extra: str) -> dict[str, str]:
    env = {"REDFISH_URL": "https://ilo.example.test", "REDFISH_USERNAME": "ops", "REDFISH_CA": ca_file}
    env.update(extra)
    return env


# -- choosing the target -----------------------------------------------------------------------------------------


def test_environment_selects_a_real_bmc_trusted_by_its_ca(ca_file):
    bmc = lab.target(env=real_env(ca_file))
    assert not bmc.is_mock
    assert bmc.url == "https://ilo.example.test"
    assert bmc.username == "ops"
    assert bmc.verify == bmc.ca_file == ca_file
    assert bmc.fingerprint is None
    assert "TLS verified with the given CA" in repr(bmc)


def test_parameters_win_over_environment_and_blanks_fall_back(ca_file):
    bmc = lab.target(
        "https://other.example.test/", "", ca=ca_file, env=real_env(ca_file, REDFISH_USERNAME="env-user")
    )
    assert bmc.url == "https://other.example.test"
    assert bmc.username == "env-user"


def test_fingerprint_pin_is_normalised():
    bmc = lab.target("https://ilo.example.test", "ops", fingerprint="AB" * 32, env={})
    assert bmc.verify == bmc.fingerprint == "sha256:" + "AB" * 32
    assert bmc.ca_file is None
    assert "pinned" in repr(bmc)


def test_without_ca_or_pin_the_system_cas_are_used():
    bmc = lab.target("https://ilo.example.test", "ops", env={})
    assert bmc.verify is True


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"url": "http://ilo.example.test", "username": "ops"}, "https://"),
        ({"url": "https://ilo.example.test"}, "REDFISH_USERNAME"),
        (
            {"url": "https://ilo.example.test", "username": "ops", "ca": "/nonexistent/ca.pem"},
            "does not exist",
        ),
        ({"url": "https://ilo.example.test", "username": "ops", "flavor": "rmc"}, "Mock options"),
    ],
)
def test_bad_configuration_is_a_typed_error_with_a_hint(kwargs, words):
    with pytest.raises(lab.LabSetupError) as caught:
        lab.target(env={}, **kwargs)
    assert isinstance(caught.value, RedfishError)
    assert words in str(caught.value)
    assert caught.value.hint


def test_ca_and_fingerprint_together_are_refused(ca_file):
    with pytest.raises(lab.LabSetupError, match="Choose one"):
        lab.target("https://ilo.example.test", "ops", ca=ca_file, fingerprint="sha256:" + "00" * 32, env={})


# -- passwords -----------------------------------------------------------------------------------------------------


def test_real_password_comes_from_the_named_variable_only(ca_file, monkeypatch):
    monkeypatch.setenv("LAB_TEST_PW", SECRET)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    assert bmc.library_login() == {
        "base_url": "https://ilo.example.test",
        "username": "ops",
        "password": SECRET,
    }
    assert SECRET not in repr(bmc)
    assert SECRET not in repr(vars(bmc))


def test_missing_password_without_keyboard_names_the_variable(ca_file, monkeypatch, no_getpass):
    monkeypatch.delenv("LAB_TEST_PW", raising=False)
    monkeypatch.setattr(lab, "stdin_available", lambda: False)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    with pytest.raises(lab.LabSetupError, match="LAB_TEST_PW") as caught:
        bmc.library_login()
    assert "papermill" in caught.value.hint


def test_missing_password_with_keyboard_prompts(ca_file, monkeypatch):
    monkeypatch.delenv("LAB_TEST_PW", raising=False)
    monkeypatch.setattr(lab, "stdin_available", lambda: True)
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or SECRET)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    assert bmc.library_login()["password"] == SECRET
    assert prompts == ["Password for ops on https://ilo.example.test: "]


def test_other_users_of_a_real_bmc_are_not_given_the_targets_password(ca_file, monkeypatch, no_getpass):
    monkeypatch.setenv("LAB_TEST_PW", SECRET)
    monkeypatch.setattr(lab, "stdin_available", lambda: False)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    with pytest.raises(lab.LabSetupError):
        bmc.library_login("someone-else")


def test_stdin_is_not_available_under_pytest():
    # pytest captures stdin, as nbval and papermill kernels refuse it: getpass would fail there.
    assert lab.stdin_available() is False


# -- instructor tools ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("plant_session", ("student",)),
        ("advance_clock", (60,)),
        ("last_otp", ("student",)),
        ("add_account", ("u", "p")),
    ],
)
def test_instructor_tools_refuse_a_real_bmc(ca_file, method, args):
    bmc = lab.target(env=real_env(ca_file))
    with pytest.raises(lab.LabSetupError, match="instructor tool"):
        getattr(bmc, method)(*args)
    assert bmc.sessions_left() is None


# -- exercises -----------------------------------------------------------------------------------------------------


def test_check_reports_unanswered_right_and_wrong_without_revealing(capsys):
    lab.check("Exercise 1", ..., 401, hint="think")
    lab.check("Exercise 1", 401, 401)
    lab.check("Exercise 1", 403, 401)
    lab.check("Exercise 2", "  userconfigpriv ", "UserConfigPriv")
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Exercise 1: not answered yet. Hint: think",
        "Exercise 1: correct.",
        "Exercise 1: not quite, try again.",
        "Exercise 2: correct.",
    ]
    assert "401" not in out


# -- cURL of a chosen exchange -------------------------------------------------------------------------------------


class _Exchange:
    def __init__(self, method: str, url: str) -> None:
        self.method, self.url = method, url

    def to_curl(self) -> str:
        return f"curl --request {self.method} {self.url}"


class _Client:
    exchanges = [
        _Exchange("GET", "https://bmc/redfish/v1/"),
        _Exchange("PATCH", "https://bmc/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/"),
        _Exchange("GET", "https://bmc/redfish/v1/Managers/1/SecurityService/CertificateAuthentication/"),
    ]


def test_curl_picks_the_latest_matching_exchange():
    assert lab.curl(_Client(), "patch").startswith("curl --request PATCH")
    assert lab.curl(_Client()).endswith("CertificateAuthentication/")
    assert lab.curl(_Client(), "GET", "/redfish/v1/").startswith("curl --request GET")
    with pytest.raises(LookupError, match="DELETE"):
        lab.curl(_Client(), "DELETE")
