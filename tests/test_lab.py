"""redfishnb.lab: how a notebook picks its BMC, finds a password without holding it, and cleans up."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from redfishnb import lab, lab_kernel
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
    monkeypatch.setattr(lab_kernel, "stdin_available", lambda: False)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    with pytest.raises(lab.LabSetupError, match="LAB_TEST_PW") as caught:
        bmc.library_login()
    assert "papermill" in caught.value.hint


def test_missing_password_with_keyboard_prompts(ca_file, monkeypatch):
    monkeypatch.delenv("LAB_TEST_PW", raising=False)
    monkeypatch.setattr(lab_kernel, "stdin_available", lambda: True)
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or SECRET)
    bmc = lab.target(password_env="LAB_TEST_PW", env=real_env(ca_file))
    assert bmc.library_login()["password"] == SECRET
    assert prompts == ["Password for ops on https://ilo.example.test: "]


def test_other_users_of_a_real_bmc_are_not_given_the_targets_password(ca_file, monkeypatch, no_getpass):
    monkeypatch.setenv("LAB_TEST_PW", SECRET)
    monkeypatch.setattr(lab_kernel, "stdin_available", lambda: False)
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
        "○ Exercise 1: not answered yet. Hint: think",
        "✓ Exercise 1: correct.",
        "✗ Exercise 1: not quite, try again.",
        "✓ Exercise 2: correct.",
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
    monkeypatch.setattr(lab_kernel, "stdin_available", lambda: False)
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


# -- the notebook's last cell and the kernel-long lab ---------------------------------------------------------------


def test_finish_logs_out_what_the_notebook_opened_and_keeps_the_mock(mock_target, capsys):
    first = mock_target.connect()
    second = mock_target.connect("operator", auth="session")
    basic = mock_target.connect(auth="basic")
    mock_target.plant_session("student")  # another person's session: not the notebook's to close
    assert mock_target.sessions_left() == 3

    lab.finish()

    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "sessions this notebook left open: 0"
    assert lines[-2].startswith("logged out ") and "clients this notebook still had open" in lines[-2]
    assert first.closed and second.closed and basic.closed
    assert mock_target.sessions_left() == 1  # the planted one
    # The mock still serves: a widget given the target logs in again after the last cell.
    with mock_target.connect() as again:
        assert again.get("/redfish/v1/SessionService/Sessions/").status == 200


def test_finish_counts_a_notebook_session_it_could_not_close(mock_target, capsys):
    client = mock_target.connect()
    token, uri = client.detach()  # handed over: no client holds it any more, so finish() cannot close it
    lab.finish()
    assert capsys.readouterr().out.splitlines()[-1] == "sessions this notebook left open: 1"
    with mock_target.connect(token=token, session_uri=uri):
        pass  # attaching owns it again, and leaving the block deletes it
    assert mock_target.sessions_left() == 0


def test_a_stopped_mock_is_named_as_the_cause_with_the_fix(mock_target):
    ca_file = mock_target.ca_file
    mock_target.mock.stop()  # what the kernel's exit does, or an instructor's bmc.close()
    assert not Path(ca_file).exists()
    with pytest.raises(lab.MockStopped) as caught:
        mock_target.connect()
    assert "has been stopped" in str(caught.value)
    assert "Setup cell" in caught.value.hint and "CA file" not in caught.value.friendly
    with pytest.raises(lab.MockStopped):
        mock_target.plant_session("student")


def test_a_closed_target_says_stopped_not_real_bmc(mock_target):
    mock_target.close()
    with pytest.raises(lab.MockStopped, match="has been stopped"):
        mock_target.advance_clock(1)


def test_workdir_outlives_cells_and_goes_with_the_kernel(tmp_path):
    folder = lab.workdir(prefix="cert-login-")
    (folder / "student.crt").write_text("x")
    assert folder.name.startswith("cert-login-") and folder.is_dir()
    from redfishnb import lab_kernel

    lab_kernel._remove_folders()  # what atexit runs when the kernel stops
    assert not folder.exists()


def test_the_standalone_mock_is_read_from_dev_labs_variables():
    assert lab.standalone_mock({}) is None
    assert lab.standalone_mock({"REDFISHNB_MOCK_URL": "https://127.0.0.1:8443/"}) is None
    found = lab.standalone_mock(
        {"REDFISHNB_MOCK_URL": "https://127.0.0.1:8443/", "REDFISHNB_MOCK_CA": "/s/ca.pem"}
    )
    assert found == {"url": "https://127.0.0.1:8443", "ca_file": "/s/ca.pem"}


def test_kit_errors_show_as_one_paragraph_in_ipython():
    from IPython.core.interactiveshell import InteractiveShell

    from redfishnb import lab_kernel

    shell = InteractiveShell.instance()
    try:
        assert lab_kernel.show_errors_briefly()
        error = lab.MockStopped("The embedded mock BMC has been stopped.", hint="Re-run the Setup cell.")
        lines = lab_kernel._brief(shell, type(error), error, None)
        assert lines == [f"MockStopped: {error.friendly}"]
        assert "Traceback" not in lines[0] and "Re-run the Setup cell." in lines[0]
        assert shell.custom_exceptions == (RedfishError,)
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_wait_for_reset_rides_out_an_ilo_reset(mock_target):
    admin = mock_target.connect()
    reply = admin.post("/redfish/v1/Managers/1/Actions/Manager.Reset/", json={"ResetType": "GracefulRestart"})
    assert reply.status == 200
    mock_target.wait_for_reset(timeout=30, interval=0.05)
    assert mock_target.sessions_left() == 0  # a reset ends every session, ours included
    with pytest.raises(RedfishError):
        admin.get("/redfish/v1/SessionService/Sessions/")
    admin.close()  # the session is already gone: closing is still clean


def test_wait_for_reset_names_a_bmc_that_never_restarted(mock_target):
    with pytest.raises(lab.LabSetupError, match="did not restart"):
        mock_target.wait_for_reset(timeout=0.5, interval=0.1)


def test_wait_for_reset_gives_up_with_the_connection_error(mock_target):
    mock_target.mock.reset(down_seconds=3.0, wait=False)
    with pytest.raises(RedfishError, match="Could not reach"):
        mock_target.wait_for_reset(timeout=1.0, interval=0.1)
    mock_target.mock.wait_until_up(10)


def test_brief_errors_leave_a_handler_someone_else_installed():
    from IPython.core.interactiveshell import InteractiveShell

    from redfishnb import lab_kernel

    shell = InteractiveShell.instance()
    try:
        shell.set_custom_exc((KeyError,), lambda *args, **kwargs: None)
        assert not lab_kernel.show_errors_briefly()
        assert shell.custom_exceptions == (KeyError,)
        shell.set_custom_exc((), None)
        assert lab_kernel.show_errors_briefly() and lab_kernel.show_errors_briefly()  # once, then kept
        assert shell.custom_exceptions == (RedfishError,)
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_the_fleet_module_imports_on_its_own():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import redfishnb.lab_fleet"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_target_for_a_mock_started_elsewhere_logs_in_with_its_known_passwords():
    from redfishnb.mock import MockBMC

    with MockBMC(flavor="openbmc") as mock:
        bmc = lab.target_for(mock, "operator")
        assert bmc.is_mock and bmc.ca_file == mock.ca_file
        with bmc.connect() as client:
            assert client.username == "operator" and mock.session_count == 1
        assert mock.session_count == 0
        assert mock.running  # the mock's owner stops it, not the target
