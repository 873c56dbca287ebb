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


@pytest.mark.parametrize("pasted", ["AB" * 32, "SHA256:" + "AB" * 32, ":".join(["AB"] * 32)])
def test_fingerprint_pin_is_normalised(pasted):
    bmc = lab.target("https://ilo.example.test", "ops", fingerprint=pasted, env={})
    assert bmc.verify == bmc.fingerprint == "sha256:" + "ab" * 32
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
        ({"url": "https://ilo.example.test", "username": "ops", "fingerprint": "not-hex"}, "cannot be read"),
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


# -- secret scanning -----------------------------------------------------------------------------------------------


def test_find_secrets_flags_tokens_keys_and_passwords_in_their_travelling_forms():
    token = "0123456789abcdef0123456789abcdef"
    accounts = {"admin": "password", "labops": SECRET}
    assert lab.find_secrets(f"X-Auth-Token: {token}") == ["session token 0123…"]
    assert lab.find_secrets("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB") == ["private key"]
    assert lab.find_secrets('{"UserName": "admin", "Password": "password"}', accounts) == [
        "password of admin"
    ]
    assert lab.find_secrets("curl --user admin:password", accounts) == ["password of admin"]
    assert lab.find_secrets("Authorization: Basic YWRtaW46cGFzc3dvcmQ=", accounts) == ["password of admin"]
    assert lab.find_secrets(f"export X={SECRET}", accounts) == ["password of labops"]


def test_find_secrets_leaves_redacted_and_public_values_alone():
    text = (
        "X-Auth-Token: 0123… sha256:" + "ab" * 32 + " --user admin:$PASSWORD {'Password': '***'} "
        "/redfish/v1/SessionService/Sessions/administrator0123456789abcdef0123456789abcdef/ "
        "the password is checked "
        '{"application/vnd.jupyter.widget-view+json": {"model_id": "0123456789abcdef0123456789abcdef"}}'
    )
    assert lab.find_secrets(text, {"admin": "password"}) == []


# -- the embedded mock -------------------------------------------------------------------------------------------


@pytest.fixture
def mock_target():
    bmc = lab.target(env={})
    yield bmc
    bmc.close()


def test_default_target_is_a_seeded_mock_trusted_by_its_ca(mock_target):
    assert mock_target.is_mock
    assert mock_target.url.startswith("https://127.0.0.1:")
    assert mock_target.ca_file == mock_target.mock.ca_file
    assert repr(mock_target).startswith("<Target embedded mock BMC (ilo6, seed 42) at https://127.0.0.1:")
    with mock_target.connect(auth="session") as client:
        assert client.username == "admin"
        assert mock_target.sessions_left() == 1
        assert lab.leftover_sessions()[mock_target.url] == 1
    assert mock_target.sessions_left() == 0
    assert lab.leftover_sessions()[mock_target.url] == 0


def test_seeded_mocks_repeat_their_tokens():
    hints = []
    for _ in range(2):
        bmc = lab.target(env={})
        with bmc.connect() as client:
            hints.append((client.token_hint, client.session_uri))
        bmc.close()
    assert hints[0] == hints[1]


def test_planted_sessions_are_material_not_leaks(mock_target):
    planted = mock_target.plant_session("student", user_tag="Web UI")
    assert planted["username"] == "student"
    assert mock_target.sessions_left() == 1
    assert lab.leftover_sessions()[mock_target.url] == 0
    forgotten = mock_target.connect("operator")
    assert lab.leftover_sessions()[mock_target.url] == 1
    forgotten.close()
    url = mock_target.url
    mock_target.close()
    # still counted, under the URL it had while running, after the mock stopped
    assert lab.leftover_sessions()[url] == 0


def test_added_accounts_get_a_password_the_notebook_never_sees(mock_target):
    mock_target.add_account("dirk", role="Operator")
    with mock_target.connect("dirk") as client:
        assert client.username == "dirk"
    with pytest.raises(lab.LabSetupError, match="no account 'nobody'"):
        mock_target.connect("nobody")


def test_instructor_clock_expires_sessions(mock_target):
    mock_target.plant_session("student")
    mock_target.advance_clock(1801)
    assert mock_target.sessions_left() == 0


# -- fleets ------------------------------------------------------------------------------------------------------


def test_lab_fleet_tells_its_story_of_stale_sessions():
    from redfishnb import fleet

    targets = lab.fleet_targets(env={})
    try:
        assert repr(targets) == "<FleetTargets lab fleet of 3 embedded mock BMCs, user 'admin'>"
        assert list(targets.sessions_left().values()) == [len(story) for story in lab.LAB_FLEET_SESSIONS]
        audit = fleet.collect_sessions(targets.inventory, targets.credentials, progress=False)
        others = audit.sessions[~audit.sessions["mine"].astype(bool)]
        minutes = sorted(int(idle.total_seconds() // 60) for idle in others["idle"])
        assert minutes == sorted(m for story in lab.LAB_FLEET_SESSIONS for _, _, m in story)
    finally:
        targets.close()
    assert all(count == 0 for count in lab.leftover_sessions().values())


def test_fleet_from_an_inventory_reads_the_password_from_the_named_variable(
    tmp_path, monkeypatch, no_getpass
):
    inventory = tmp_path / "bmcs.csv"
    inventory.write_text("name,url\nrack1-bmc,https://bmc1.example.test\n")
    monkeypatch.setattr(lab, "stdin_available", lambda: False)
    targets = lab.fleet_targets(str(inventory), "ops", password_env="LAB_FLEET_PW", env={})
    assert not targets.is_mock
    assert repr(targets) == "<FleetTargets 1 BMCs from the inventory, user 'ops'>"
    monkeypatch.delenv("LAB_FLEET_PW", raising=False)
    with pytest.raises(lab.LabSetupError, match="LAB_FLEET_PW"):
        targets.credentials  # noqa: B018 - the property reads the environment
    monkeypatch.setenv("LAB_FLEET_PW", SECRET)
    assert targets.credentials.password == SECRET
    assert SECRET not in repr(targets.credentials)
    with pytest.raises(lab.LabSetupError, match="REDFISH_USERNAME"):
        lab.fleet_targets(str(inventory), env={})


def test_mock_target_ignores_a_real_bmc_in_the_environment(monkeypatch):
    monkeypatch.setenv("REDFISH_URL", "https://ilo.example.test")
    other = lab.mock_target(flavor="rmc")
    try:
        assert other.is_mock
        assert repr(other).startswith("<Target embedded mock BMC (rmc, seed 42)")
        with other.connect() as client:
            assert client.username == "admin"
    finally:
        other.close()
