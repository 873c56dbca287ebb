"""Real-browser fixtures: a throw-away JupyterLab server and Debian's headless Chromium driven by Playwright.

JupyterLab runs on a free loopback port with a token, in its own HOME/config/runtime directories, on a copy of
notebooks/, with the Lab settings that make a browser session deterministic (start the kernel without the
"Select Kernel" dialog, no news toast, no autosave). Its kernels reach a mock BMC of this test session through the
real-BMC environment variables. Failures name the step that broke and leave a screenshot and the server log
under ``artifacts/browser/`` (ignored by git).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from classroom_helpers import AUTOSAVE_SECONDS, close_and_shut_down

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Lab settings (same intent as binder/overrides.json, plus what only a test wants).
LAB_SETTINGS: Mapping[str, Mapping[str, Any]] = {
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyter-widgets/jupyterlab-manager/plugin": {"saveState": False},
}

# Variables that would change which BMC a notebook talks to; the tests set the ones they mean.
_TARGET_VARIABLES = (
    "REDFISH_URL",
    "REDFISH_USERNAME",
    "REDFISH_PASSWORD",
    "REDFISH_CA",
    "REDFISH_FINGERPRINT",
    "REDFISHNB_MOCK_URL",
    "REDFISHNB_MOCK_CA",
)


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _find_chromium() -> str | None:
    """$REDFISHNB_CHROMIUM when set (exactly that browser), else Debian's /usr/bin/chromium or chromium on PATH."""
    chosen = os.environ.get("REDFISHNB_CHROMIUM")
    candidates = [chosen] if chosen else ["/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLabServer:
    """One JupyterLab process serving ``root`` on 127.0.0.1, with the kernel environment given at start."""

    def __init__(
        self,
        root: Path,
        home: Path,
        kernel_env: Mapping[str, str],
        lab_settings: Mapping[str, Mapping[str, Any]] = LAB_SETTINGS,
    ) -> None:
        self.root = root
        self.home = home
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyterlab.log"
        self.kernel_env = dict(kernel_env)
        settings = home / "lab-user-settings"
        for name, values in lab_settings.items():
            path = settings / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = {k: v for k, v in os.environ.items() if k not in _TARGET_VARIABLES}
        env.update(
            HOME=str(home),
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTER_DATA_DIR=str(home / "data"),
            IPYTHONDIR=str(home / "ipython"),
            PYTHONUNBUFFERED="1",
        )
        env.update(kernel_env)
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")  # Jupyter refuses to run as root otherwise (CI runs as root)
        # The log goes to a file: a pipe nobody reads fills up and stalls the server.
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=root)

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode}\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"JupyterLab did not answer /api/status within {timeout:.0f} s\n{self.log_tail()}")

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # JupyterLab shuts its kernels down on SIGTERM
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _find_chromium()
    if path is None:
        message = (
            "Debian's chromium is not installed (looked for $REDFISHNB_CHROMIUM, /usr/bin/chromium, chromium on PATH); "
            "install it with `apt-get install chromium`."
        )
        if _ci():
            pytest.fail(f"CI=true and the browser tests cannot run: {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # screenshots of this run only
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


USER, PASSWORD = "admin", "password"  # the mock's public default account


@pytest.fixture(scope="session")
def target_bmc() -> Iterator[Any]:
    """The BMC the notebooks in the browser talk to, handed over as a "real BMC" so the test can watch it."""
    from redfishnb.mock import MockBMC

    with MockBMC() as bmc:
        yield bmc


@pytest.fixture(scope="session")
def jupyterlab(
    chromium_path: str, target_bmc: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """One JupyterLab for the browser tests, serving a copy of notebooks/ (running cells never touches the repo).

    Kernels inherit the real-BMC variables pointing at ``target_bmc``. The server starts only when a browser
    exists (``chromium_path`` skips or fails first), and is shared because starting it is the slow part.
    """
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(
        ROOT / "notebooks",
        root / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    kernel_env = {
        "REDFISH_URL": target_bmc.url,
        "REDFISH_CA": target_bmc.ca_file,
        "REDFISH_USERNAME": USER,
        "REDFISH_PASSWORD": PASSWORD,
    }
    server = JupyterLabServer(root, tmp_path_factory.mktemp("jupyter-home"), kernel_env)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


class BrowserSteps:
    """Runs a browser scenario as named steps; a failing step fails the test with its name and a screenshot."""

    def __init__(self, page: Any, lab: JupyterLabServer, name: str) -> None:
        self.page = page
        self.lab = lab
        self.name = name
        self.count = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def screenshot(self, label: str) -> Path:
        path = ARTIFACTS / f"{self.name}-{self.count:02d}-{label}.png"
        with contextlib.suppress(Exception):  # a screenshot must never hide the real failure
            self.page.screenshot(path=str(path), full_page=True)
        return path

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        self.count += 1
        failure = ""
        started = time.monotonic()
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - turned into a readable test failure below
            detail = "\n".join(str(exc).strip().splitlines()[:6])
            failure = f"{type(exc).__name__}: {detail}"
        # Shown by pytest for failing tests (and with -rP): where the browser time went.
        print(
            f"browser step {self.count} ({title}): {time.monotonic() - started:.1f} s{' FAILED' if failure else ''}"
        )
        if failure:
            shot = self.screenshot("FAILED")
            message = (
                f"browser step {self.count} ({title}) failed: {failure}\n"
                f"screenshot: {shot}\nJupyterLab log {self.lab.log_path}, last lines:\n{self.lab.log_tail(15)}"
            )
            # `from None`: the report is this message, not the browser's exception chained above it.
            raise pytest.fail.Exception(message, pytrace=False) from None


# JavaScript run in the page. `window.jupyterapp` exists because the server runs with expose_app_in_browser.
_JS_NOTEBOOK_OPEN = """(name) => {
    const app = window.jupyterapp;
    const w = app && app.shell && app.shell.currentWidget;
    return !!(w && w.context && w.sessionContext && w.context.path.endsWith(name));
}"""
# Loading JupyterLab is the slowest part of a browser test; later tests reuse the loaded app unless a dialog
# left by an earlier test is in the way.
_JS_APP_USABLE = (
    """() => !!(window.jupyterapp && window.jupyterapp.shell && !document.querySelector('.jp-Dialog'))"""
)
_JS_OPEN_DOCUMENT = """(path) => { void window.jupyterapp.commands.execute('docmanager:open', {path}); }"""
_JS_KERNEL_READY = """async () => {
    const w = window.jupyterapp.shell.currentWidget;
    await w.context.ready;
    await w.sessionContext.ready;
    await w.sessionContext.session.kernel.info;
}"""
# Not awaited on purpose: the promise settles only when the whole run ends (never, if a dialog opens).
_JS_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    await app.commands.execute('notebook:clear-all-cell-outputs');
    // Counts must start empty, or "every code cell has a count" would not prove that this run reached it.
    const cells = app.shell.currentWidget.content.widgets.filter((c) => c.model.type === 'code');
    if (cells.some((c) => c.model.executionCount !== null)) {
        throw new Error('clearing the outputs left execution counts behind');
    }
    void app.commands.execute('notebook:run-all-cells');
}"""
_JS_RUN_STATE = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const cells = w.content.widgets.filter((c) => c.model.type === 'code');
    let pending = 0;
    const errors = [];
    cells.forEach((cell, i) => {
        if (cell.model.executionCount === null) pending += 1;
        const tags = cell.model.getMetadata('tags') || [];
        if (tags.includes('raises-exception')) return;
        for (const out of cell.model.outputs.toJSON()) {
            if (out.output_type === 'error') errors.push(`code cell ${i + 1}: ${out.ename}: ${out.evalue}`);
        }
    });
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    const dialog = document.querySelector('.jp-Dialog');
    return {
        total: cells.length,
        pending,
        errors,
        status: kernel ? kernel.status : 'no kernel',
        dialog: dialog ? dialog.innerText.slice(0, 300) : null,
    };
}"""


class NotebookPage:
    """A notebook opened in JupyterLab, with the waits that make "run all" reliable."""

    def __init__(self, page: Any, lab: JupyterLabServer) -> None:
        self.page = page
        self.lab = lab

    def open(self, relative_path: str) -> None:
        """Bring this notebook to the front: in the JupyterLab already loaded in the tab, else by loading it."""
        if self.page.evaluate(_JS_APP_USABLE):
            self.page.evaluate(_JS_OPEN_DOCUMENT, relative_path)
        else:
            self.page.goto(self.lab.url(f"lab/tree/{relative_path}"))
        self.page.wait_for_function(_JS_NOTEBOOK_OPEN, arg=Path(relative_path).name, timeout=60_000)

    def wait_for_kernel(self) -> None:
        """Waiting for the kernel's info reply (not just an idle indicator) is what makes run-all start for real."""
        self.page.evaluate(_JS_KERNEL_READY)

    def run_all(self, timeout: float = 40.0) -> dict[str, Any]:
        self.page.evaluate(_JS_RUN_ALL)
        deadline = time.monotonic() + timeout
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = self.page.evaluate(_JS_RUN_STATE)
            if state["dialog"]:
                raise AssertionError(f"a JupyterLab dialog blocked the run: {state['dialog']!r}")
            if state["errors"]:
                raise AssertionError("a cell raised: " + "; ".join(state["errors"]))
            if state["pending"] == 0 and state["status"] == "idle":
                return state
            time.sleep(0.25)
        raise AssertionError(
            f"run-all did not finish in {timeout:.0f} s: {state.get('pending')} of {state.get('total')} code cells "
            f"not run, kernel {state.get('status')}"
        )


@pytest.fixture(scope="session")
def browser_page(browser: Any) -> Iterator[Any]:
    """One tab for all browser tests: each opens its notebook in the JupyterLab the first one loaded."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)  # assertions wait as long as actions (the machine may be busy)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def lab_page(browser_page: Any, jupyterlab: JupyterLabServer, request: pytest.FixtureRequest) -> Any:
    """(page, NotebookPage, BrowserSteps) for one test."""
    return (
        browser_page,
        NotebookPage(browser_page, jupyterlab),
        BrowserSteps(browser_page, jupyterlab, request.node.name),
    )


# -- the classroom: JupyterLab as a class has it (tests/browser/test_classroom.py) ---------------------------------


def _class_server(
    tmp_path_factory: pytest.TempPathFactory, name: str, *, autosave: bool
) -> Iterator[JupyterLabServer]:
    """A JupyterLab on a copy of notebooks/ with kernels that have no REDFISH_* variables (embedded mocks)."""
    root = tmp_path_factory.mktemp(f"{name}-root")
    shutil.copytree(
        ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    settings = dict(LAB_SETTINGS)
    if autosave:
        settings["@jupyterlab/docmanager-extension/plugin"] = {
            "autosave": True,
            "autosaveInterval": AUTOSAVE_SECONDS,
        }
    server = JupyterLabServer(root, tmp_path_factory.mktemp(f"{name}-home"), {}, lab_settings=settings)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def class_lab(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    """A JupyterLab as a class has it for "Run All, then play" (autosave off: a save racing the test's closing
    of a notebook would open an error dialog that is the harness's doing, not the kit's)."""
    yield from _class_server(tmp_path_factory, "class", autosave=False)


@pytest.fixture(scope="session")
def autosave_lab(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    """A JupyterLab with autosave on (every AUTOSAVE_SECONDS): for the test that nothing is rewritten on open."""
    yield from _class_server(tmp_path_factory, "autosave", autosave=True)


@pytest.fixture
def autosave_page(
    browser: Any, autosave_lab: JupyterLabServer, request: pytest.FixtureRequest
) -> Iterator[tuple[Any, NotebookPage, BrowserSteps]]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page, NotebookPage(page, autosave_lab), BrowserSteps(page, autosave_lab, request.node.name)
    finally:
        context.close()


@pytest.fixture(scope="session")
def class_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_default_timeout(20_000)
    expect.set_options(timeout=20_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def classroom(class_page: Any, class_lab: JupyterLabServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    page = class_page
    yield page, NotebookPage(page, class_lab), BrowserSteps(page, class_lab, request.node.name)
    close_and_shut_down(page)
