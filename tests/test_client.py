"""The client against the mock BMC: sessions never leak, typed errors from real conditions, no secret anywhere."""

from __future__ import annotations

import gc
import logging
import os
import secrets
import signal
import subprocess
import sys
import textwrap
import threading
import time
import types

import pytest

import redfishnb
from redfishnb.client import connect
from redfishnb.errors import (
    InvalidCredentials,
    NoValidSession,
    PreconditionFailed,
    RedfishError,
    ResourceNotFound,
    SessionLimitReached,
)
from redfishnb.mock import MockBMC

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def login(bmc, user="admin", password="password", **kwargs):
    return connect(bmc.url, user, password, verify=bmc.ca_file, **kwargs)


# -- sessions never leak ------------------------------------------------------------------------------------------


def test_with_block_logs_out(mock_bmc):
    with login(mock_bmc) as client:
        assert mock_bmc.session_count == 1
        assert client.get("/redfish/v1/Systems/").status == 200
    assert client.closed and mock_bmc.session_count == 0
    assert "closed" in repr(client)


def test_exception_in_the_with_block_still_logs_out(mock_bmc):
    with pytest.raises(ZeroDivisionError), login(mock_bmc):
        1 / 0  # noqa: B018


def test_close_is_idempotent_and_the_client_refuses_work_after_it(mock_bmc):
    client = login(mock_bmc)
    client.close()
    client.close()
    with pytest.raises(RedfishError, match="closed"):
        client.get("/redfish/v1/")


def test_a_forgotten_client_logs_out_when_collected(mock_bmc):
    login(mock_bmc).get("/redfish/v1/Systems/")
    gc.collect()
    assert mock_bmc.session_count == 0


SCRIPT = textwrap.dedent(
    """
    import signal, sys, time, redfishnb
    # A test run started in the background inherits SIGINT as ignored; a user's Ctrl-C is not ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    url, ca, mode = sys.argv[1:4]
    client = redfishnb.connect(url, "admin", "password", verify=ca)
    if mode == "with":
        with client:
            print("ready", flush=True)
            time.sleep(30)
    elif mode == "forgotten":
        print("ready", flush=True)
        time.sleep(30)
    else:
        print("ready", flush=True)
        sys.stdin.readline()  # the parent has seen the session; then the interpreter exits, client never closed
    """
)


@pytest.mark.parametrize("mode", ["with", "forgotten", "exit"])
def test_ctrl_c_and_interpreter_exit_leave_no_session(mock_bmc, mode):
    proc = _logged_in_child(mock_bmc, SCRIPT, mode, None if mode == "exit" else signal.SIGINT)
    _, err = proc.outcome
    if mode != "exit":
        assert "KeyboardInterrupt" in err
    assert mock_bmc.session_count == 0


def _logged_in_child(bmc, script, mode, signum):
    """Run ``script`` until it prints "ready" with its session open, send ``signum`` (if any), wait for the end;
    the child's (stdout, stderr) are in ``.outcome``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, bmc.url, bmc.ca_file, mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        assert bmc.session_count == 1
        if signum is not None:
            proc.send_signal(signum)
        proc.outcome = proc.communicate(timeout=15)
    finally:
        proc.kill()
    return proc


LOGIN_LOOP = textwrap.dedent(
    """
    import signal, sys, redfishnb
    signal.signal(signal.SIGINT, signal.default_int_handler)  # see SCRIPT above
    url, ca, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for _ in range(rounds):
        sys.stdin.readline()  # the test's "go": it counts the requests from here
        try:
            redfishnb.connect(url, "admin", "password", verify=ca).close()
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """
)


def test_ctrl_c_while_the_login_post_is_in_flight_leaves_no_session(mock_bmc):
    # The mock waits before handling each request, so the SIGINT lands after the login POST reached the BMC and
    # before the BMC answered: the BMC creates the session anyway, as a real one would.
    mock_bmc.latency_ms = 150
    rounds = 3
    proc = subprocess.Popen(
        [sys.executable, "-c", LOGIN_LOOP, mock_bmc.url, mock_bmc.ca_file, str(rounds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        outcomes = []
        for _ in range(rounds):
            before = mock_bmc.request_count
            proc.stdin.write("go\n")
            proc.stdin.flush()
            _wait_for(lambda before=before: mock_bmc.request_count >= before + 2)  # service root, login POST
            proc.send_signal(signal.SIGINT)
            outcomes.append(proc.stdout.readline().strip())
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert outcomes == ["interrupted"] * rounds, err
    time.sleep(0.3)  # a login the client gave up on is still being served
    assert mock_bmc.session_count == 0


def _wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def test_the_login_leaves_a_sigint_handler_of_the_application_alone(mock_bmc):
    def mine(signum, frame):
        raise RuntimeError("never called")

    previous = signal.signal(signal.SIGINT, mine)
    try:
        with login(mock_bmc):
            assert signal.getsignal(signal.SIGINT) is mine
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, previous)


SIGTERM_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time, redfishnb
    url, ca, mode = sys.argv[1:4]
    if mode == "handler":
        signal.signal(signal.SIGTERM, lambda signum, frame: print("the application's handler", flush=True))
    with redfishnb.connect(url, "admin", "password", verify=ca):
        print("ready", flush=True)
        time.sleep(1 if mode == "handler" else 30)
    """
)


@pytest.mark.parametrize(
    ("mode", "code", "said"),
    [
        (
            "default",
            128 + signal.SIGTERM,
            "",
        ),  # unwinds like sys.exit(143): the with-block deletes the session
        ("handler", 0, "the application's handler"),  # an application's own handler is never replaced
    ],
)
def test_sigterm_leaves_no_session(mock_bmc, mode, code, said):
    proc = _logged_in_child(mock_bmc, SIGTERM_SCRIPT, mode, signal.SIGTERM)
    out, err = proc.outcome
    assert proc.returncode == code and said in out, err
    assert mock_bmc.session_count == 0


def test_close_after_the_exit_finalizer_sends_nothing(mock_bmc):
    client = login(mock_bmc)
    client._finalizer()  # what interpreter exit runs first
    assert mock_bmc.session_count == 0
    sent = len(client.exchanges)
    assert client.logout() is False
    client.close()
    assert client.closed and len(client.exchanges) == sent


PANEL_AT_EXIT = textwrap.dedent(
    """
    import sys
    from redfishnb import widgets
    panel = widgets.LoginPanel(sys.argv[1], verify=sys.argv[2])
    panel._user.value, panel._password.value = "admin", "password"
    panel.login()
    print("ready", flush=True)
    """
)


def test_a_login_panel_left_open_exits_without_a_traceback(mock_bmc):
    out = subprocess.run(
        [sys.executable, "-c", PANEL_AT_EXIT, mock_bmc.url, mock_bmc.ca_file],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "ready" and out.stderr == ""
    assert mock_bmc.session_count == 0


def test_detach_and_attach_hand_a_session_over(mock_bmc):
    first = login(mock_bmc)
    token, uri = first.detach()
    assert first.closed and mock_bmc.session_count == 1
    with connect(mock_bmc.url, token=token, session_uri=uri, verify=mock_bmc.ca_file) as second:
        assert second.username == "admin" and second.session_uri == uri
        assert second.get("/redfish/v1/Systems/").ok
    assert mock_bmc.session_count == 0


def test_attach_finds_the_session_uri_through_my_session(mock_bmc):
    token, uri = login(mock_bmc).detach()
    with connect(mock_bmc.url, token=token, verify=mock_bmc.ca_file) as client:
        assert client.session_uri.rstrip("/") == uri.rstrip("/")


def test_attaching_an_expired_token_is_no_valid_session(mock_bmc):
    token, uri = login(mock_bmc).detach()
    mock_bmc.advance_clock(1801)
    with pytest.raises(NoValidSession):
        connect(mock_bmc.url, token=token, session_uri=uri, verify=mock_bmc.ca_file)


# -- expiry and re-login ------------------------------------------------------------------------------------------


def test_expired_session_raises_and_logout_is_quiet(mock_bmc):
    client = login(mock_bmc)
    mock_bmc.advance_clock(1801)
    with pytest.raises(NoValidSession, match="reauth=True"):
        client.get("/redfish/v1/Systems/")
    client.close()  # logging out a session that is already gone is not an error
    assert client.exchanges[-1].method == "DELETE" and client.exchanges[-1].status in (401, 404)


def test_reauth_logs_in_again_once_and_says_so(mock_bmc):
    with login(mock_bmc, reauth=True) as client:
        first_uri = client.session_uri
        mock_bmc.advance_clock(1801)
        assert client.get("/redfish/v1/Systems/").ok
        assert client.session_uri != first_uri
        notes = [e.note for e in client.exchanges if e.note]
        assert notes == ["re-login after NoValidSession (reauth=True)", "retried after re-login"]
        assert mock_bmc.session_count == 1


def _reachable_strings(root: object) -> set[str]:
    """Every str the object graph under ``root`` holds: attributes, containers and closure cells (functions are
    followed through their closures only, never into module globals)."""
    seen, found, todo = set(), set(), [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type | types.ModuleType | types.CodeType | threading.Thread):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.add(obj)
        elif isinstance(obj, types.FunctionType):
            todo.extend(c.cell_contents for c in obj.__closure__ or () if c.cell_contents is not None)
        elif isinstance(obj, types.MethodType):
            todo.extend([obj.__self__, obj.__func__])
        elif not (isinstance(obj, dict) and "__builtins__" in obj):
            todo.extend(gc.get_referents(obj))
    return found


def test_the_password_is_kept_in_memory_only_with_reauth(mock_bmc):
    secret = "K" + secrets.token_hex(8)  # built at run time: no code constant holds it
    mock_bmc.add_account("keeper", secret, role="Operator")
    with login(mock_bmc, "keeper", secret) as plain:
        assert secret not in _reachable_strings(plain)
    with login(mock_bmc, "keeper", secret, reauth=True) as keeping:
        assert secret in _reachable_strings(keeping), "the check can see a kept password"
    assert secret not in _reachable_strings(keeping), "close() forgets it"


# -- typed errors from real conditions ----------------------------------------------------------------------------


def test_wrong_password(mock_bmc):
    with pytest.raises(InvalidCredentials) as info:
        login(mock_bmc, password="not-the-password")
    assert "not-the-password" not in str(info.value) and "not-the-password" not in repr(info.value)
    assert info.value.status == 401


def test_session_limit_reached():
    with MockBMC(session_limit=2) as bmc:
        clients = [login(bmc), login(bmc)]
        with pytest.raises(SessionLimitReached) as info:
            login(bmc)
        assert "Sessions" in str(info.value) and "delete" in str(info.value)
        for client in clients:
            client.close()
        assert bmc.session_count == 0


def test_unknown_resource_and_check_false(mock_bmc):
    with login(mock_bmc) as client:
        with pytest.raises(ResourceNotFound):
            client.get("/redfish/v1/NoSuchThing/")
        response = client.get("/redfish/v1/NoSuchThing/", check=False)
        assert response.status == 404 and not response.ok and response.json["error"]


def test_paths_without_a_leading_slash_are_relative_to_the_service_root(mock_bmc):
    with login(mock_bmc) as client:
        assert client.get("Systems/").json["@odata.id"].rstrip("/") == "/redfish/v1/Systems"
        assert client.get("SessionService/", params={"$select": "Id"}).ok
        assert client.exchanges[-2].url == mock_bmc.url + "/redfish/v1/Systems/"
        assert client.get("redfish/v1/Chassis/").url == mock_bmc.url + "/redfish/v1/Chassis/"
        with pytest.raises(ResourceNotFound):
            client.get("/Systems/")  # a leading slash means: from the host


def test_tls_with_the_environment_bundles_set(mock_bmc, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE)
    monkeypatch.setenv("CURL_CA_BUNDLE", SYSTEM_BUNDLE)
    with login(mock_bmc) as client:
        assert client.get("/redfish/v1/Systems/").ok
    with connect(mock_bmc.url, "admin", "password", verify=mock_bmc.server_fingerprint) as client:
        assert client.get("/redfish/v1/Systems/").ok
    with pytest.raises(redfishnb.TLSVerificationFailed):
        connect(mock_bmc.url, "admin", "password")
    assert mock_bmc.session_count == 0


# -- convenience --------------------------------------------------------------------------------------------------


def test_my_session_only_and_etags(mock_bmc):
    with login(mock_bmc) as client:
        mine = client.my_session()
        assert mine.json["@odata.id"].rstrip("/") == client.session_uri.rstrip("/")
        assert mine.json["Oem"]["Hpe"]["MySession"] is True
        only = client.get("/redfish/v1/Systems/", params={"only": None})
        assert (
            only.url.endswith("/Systems/?only")
            and only.json["@odata.id"].rstrip("/") == "/redfish/v1/Systems/1"
        )
        read = client.get("/redfish/v1/AccountService/")
        assert read.etag and read.headers["etag"] == read.etag
        client.patch("/redfish/v1/AccountService/", {"AccountLockoutThreshold": 5}, etag="auto")
        assert (
            client.exchanges[-1].request_headers["If-Match"] == client.exchanges[-2].response_headers["ETag"]
        )
        with pytest.raises(PreconditionFailed):
            client.patch("/redfish/v1/AccountService/", {"AccountLockoutThreshold": 6}, etag=read.etag)


def test_basic_client_has_no_session_to_show(mock_bmc):
    client = connect(mock_bmc.url, "admin", "password", auth="basic", verify=mock_bmc.ca_file)
    with client, pytest.raises(RedfishError, match="creates no session"):
        client.my_session()


def test_a_401_without_a_session_does_not_talk_about_an_expired_session(mock_bmc):
    """Basic credentials refused later (the account went away), or no credentials at all: reauth= and session
    expiry describe neither."""
    from redfishnb.errors import InvalidCredentials, NoValidSession

    mock_bmc.add_account("temp", "Temp-pass-1", role="Operator")
    with connect(mock_bmc.url, "temp", "Temp-pass-1", auth="basic", verify=mock_bmc.ca_file) as client:
        mock_bmc.remove_account("temp")
        with pytest.raises(InvalidCredentials) as basic:
            client.get("Systems/")
    assert (
        basic.value.message
        == "GET /redfish/v1/Systems/ with Basic authentication as 'temp' was refused (HTTP 401)."
    )
    assert "reauth" not in basic.value.hint and "Temp-pass-1" not in basic.value.friendly
    anonymous = connect(mock_bmc.url, auth="none", verify=mock_bmc.ca_file)
    with anonymous, pytest.raises(NoValidSession) as none:
        anonymous.get("Systems/")
    assert none.value.hint.startswith(
        'This client is not logged in (auth="none" reads only the service root)'
    )


def test_bad_arguments_fail_before_any_request():
    with pytest.raises(ValueError, match="auth must be"):
        connect("https://127.0.0.1:1", "a", "b", auth="digest")
    with pytest.raises(ValueError, match="needs username"):
        connect("https://127.0.0.1:1")
    with pytest.raises(ValueError, match="needs cert"):
        connect("https://127.0.0.1:1", auth="certificate")


# -- secrets ------------------------------------------------------------------------------------------------------


def test_no_secret_in_reprs_logs_curl_html_or_errors(mock_bmc, caplog):
    caplog.set_level(logging.DEBUG, logger="redfishnb")
    secret = "Pa55-unique-9"
    mock_bmc.add_account("tester", secret, role="Administrator")
    client = login(mock_bmc, "tester", secret)
    token = client._auth.token
    texts = [repr(client), str(client.exchanges), client.exchanges._repr_html_(), client.exchanges.to_curl()]
    texts += [
        e._repr_html_() + repr(e) + str(e.request_headers) + str(e.response_headers) for e in client.exchanges
    ]
    mock_bmc.advance_clock(1801)
    try:
        client.get("/redfish/v1/Systems/")
    except NoValidSession as error:
        texts += [str(error), repr(error)]
    client.close()
    with pytest.raises(InvalidCredentials) as info:
        login(mock_bmc, "tester", "S3cret-Wrong")
    texts += [str(info.value), repr(info.value), caplog.text]
    blob = "\n".join(texts)
    assert secret not in blob and "$PASSWORD" in blob
    assert token not in blob and token[:4] + "…" in blob
    assert "S3cret-Wrong" not in blob
    assert "POST /redfish/v1/SessionService/Sessions/ -> 201 Created" in caplog.text


def test_import_stays_light():
    code = (
        "import sys, redfishnb; redfishnb.connect; redfishnb.which_redfish_library; "
        "heavy = [m for m in ('pandas', 'ipywidgets', 'IPython', 'jupyter_client', 'redfishnb.mock') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert out.stdout.strip() == "[]", out.stderr


def test_a_client_built_by_hand_logs_in_with_its_one_auth_object(mock_bmc):
    """What connect() does, with public calls only: build the auth object, the client, then login()."""
    from redfishnb import auth
    from redfishnb.client import RedfishClient
    from redfishnb.transport import build_ssl_context

    session = auth.PasswordSession("operator", "operator")
    with RedfishClient(mock_bmc.url, build_ssl_context(mock_bmc.ca_file), auth=session) as client:
        client.login()
        assert (client.auth_method, client.username) == ("session", "operator")
        assert client.session_uri == session.session_uri and client.token_hint == session.token_hint
        assert mock_bmc.session_count == 1 and [e.method for e in client.exchanges] == ["GET", "POST"]
    assert not session.has_session and mock_bmc.session_count == 0
    identity = auth.ClientIdentity(b"-----BEGIN CERTIFICATE-----", "user.key", "s3cret")
    assert "s3cret" not in repr(identity) and "BEGIN" not in repr(identity)
