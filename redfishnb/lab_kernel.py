"""What a notebook keeps for the life of its kernel: its clients, its work folders, and how its errors look.

A class runs a notebook with "Run All" and then plays with the widgets above the last cell. So the last cell must
not tear down what those widgets use: the embedded mock BMC and the work folders live until the kernel stops
(``atexit``), and the last cell only logs out what the notebook opened (``lab.finish()``). Widgets that were given
the notebook's target log in again when they are used next, and say so.

Errors from the kit carry a message and a hint; in a notebook they are shown as that one paragraph instead of a
traceback (:func:`show_errors_briefly`), because a student needs the cause and the fix, not the kit's call stack.

A real BMC's password comes from the environment variable :data:`ENV` names, or from a prompt only when the kernel
can ask a person (:func:`stdin_available`): nbval and papermill kernels cannot, and get an error saying what to set.
"""

from __future__ import annotations

import atexit
import getpass
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import RedfishError

DEFAULT_SEED = 42  # the embedded mocks' seed: the same tokens, ids and clock on every run of a notebook

__all__ = [
    "DEFAULT_SEED",
    "ENV",
    "LabSetupError",
    "MockStopped",
    "log_out_everything",
    "read_password",
    "show_errors_briefly",
    "standalone_mock",
    "stdin_available",
    "workdir",
]

_folders: list[Path] = []
_folders_lock = threading.Lock()


# The environment variables a notebook reads when no parameter overrides them.
ENV: Mapping[str, str] = {
    "url": "REDFISH_URL",
    "username": "REDFISH_USERNAME",
    "password": "REDFISH_PASSWORD",
    "ca": "REDFISH_CA",
    "fingerprint": "REDFISH_FINGERPRINT",
}


class LabSetupError(RedfishError):
    """The notebook's target is not configured well enough to connect (no password, no way to trust TLS, ...)."""


class MockStopped(LabSetupError):
    """The notebook's embedded mock BMC was stopped; the fix is to run the notebook's Setup cell again."""


def stdin_available() -> bool:
    """True when a person can answer ``getpass`` now.

    Under nbval, nbclient and papermill the kernel refuses stdin (``getpass`` would raise
    ``StdinNotImplementedError``); in a plain script stdin must be a terminal.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel, a dependency of the lab extra
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        return bool(getattr(kernel, "_allow_stdin", False))
    return bool(sys.stdin is not None and sys.stdin.isatty())


def read_password(username: str, where: str, password_env: str) -> str:
    """The password of ``username`` from the environment variable named ``password_env``, else from a prompt.

    The prompt is only shown when a person can answer it (:func:`stdin_available`); otherwise the error says which
    variable to set. The value is returned to the caller and never kept here.
    """
    value = os.environ.get(password_env)
    if value:
        return value
    if stdin_available():
        return getpass.getpass(f"Password for {username} on {where}: ")
    raise LabSetupError(
        f"No password for {username!r} on {where}: the environment variable {password_env} is not set "
        "and this kernel cannot prompt (nbval, papermill and nbclient run without a keyboard).",
        hint=f"export {password_env}=... before starting Jupyter or papermill; never put the password "
        "in a cell or a papermill parameter (both are saved in the notebook).",
    )


def workdir(prefix: str = "redfishnb-lab-") -> Path:
    """A fresh folder for the notebook's files (keys, certificates, reports), removed when the kernel stops.

    Not removed by a cell: the cURL lines a notebook prints name these files, and they must still work when a
    student replays them from a terminal after "Run All".
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    with _folders_lock:
        _folders.append(path)
    return path


@atexit.register
def _remove_folders() -> None:
    with _folders_lock:
        folders = list(_folders)
        _folders.clear()
    for path in folders:
        shutil.rmtree(path, ignore_errors=True)


def log_out_everything(urls: set[str]) -> tuple[int, int]:
    """Close every open client of this process on one of ``urls`` (sessions deleted, connections released).

    ``urls`` are the notebook's BMCs; a client of another BMC (a test harness's, another library's) is left alone.
    Returns (clients closed, logouts that failed). A failed logout (the BMC unreachable) still closes the client;
    on a real BMC its session may stay until the idle timeout, which is why it is counted.
    """
    from .client import open_clients

    clients = [client for client in open_clients() if client.url in urls]
    failed = 0
    for client in clients:
        try:
            client.close()
        except RedfishError:
            failed += 1
    return len(clients), failed


def standalone_mock(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, str] | None:
    """The mock BMC that ``./dev lab`` runs in its own process next to JupyterLab, if this kernel was started so.

    ``./dev lab`` exports ``REDFISHNB_MOCK_URL`` and ``REDFISHNB_MOCK_CA`` to JupyterLab and so to every kernel and
    terminal it starts. That mock outlives kernels, which is what a terminal exercise needs (cURL against a BMC
    that is still there when the notebook is closed).
    """
    env = os.environ if environ is None else environ
    url, ca = env.get("REDFISHNB_MOCK_URL", ""), env.get("REDFISHNB_MOCK_CA", "")
    if not url or not ca:
        return None
    return {"url": url.rstrip("/"), "ca_file": ca}


def _brief(
    shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    """IPython's custom-exception hook: the kit's error as ``Type: message Hint: …``, no call stack."""
    friendly = getattr(value, "friendly", None) or str(value)
    return [f"{etype.__name__}: {friendly}"]


def show_errors_briefly() -> bool:
    """In IPython, show uncaught :class:`~redfishnb.RedfishError` as one paragraph instead of a traceback.

    Only the kit's own errors are affected; a bug in a student's code still gets its full traceback. A handler
    someone else installed is left in place. Returns whether the kit's display is in force.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if shell.custom_exceptions == (RedfishError,):
        return True  # installed by an earlier lab.target() of this kernel
    if shell.custom_exceptions:
        return False  # the user's or another extension's handler: not ours to replace
    shell.set_custom_exc((RedfishError,), _brief)
    return True
