"""ipywidgets 8 views of a BMC's sessions: log in, see who is connected and with which rights, watch the wire.

Each widget is a thin view over plain Python (a controller or the pandas functions of :mod:`redfishnb.tables`),
so it can be driven and tested without a browser. Every widget accepts a connected client, a :class:`LoginPanel`
(it then follows the panel's log-ins and log-outs) or a target with a ``connect()`` method such as the notebooks'
``bmc`` (it then logs in by itself, and again when a later cell has logged that client out)::

    panel = LoginPanel(bmc)            # or LoginPanel("https://10.0.0.5", ca_file="bmc-ca.pem")
    display(panel, SessionTable(panel), PrivilegeMatrix(panel), ExchangeLog(panel))
    SessionTable(bmc)                  # logs in through the target; table.close() logs that session out
    StandardVsOem(bmc)                 # where this BMC keeps each fact: the DMTF-standard way, iLO's OEM way

Colours are JupyterLab theme variables (readable in Light, Dark and High Contrast; see ``_theme.py``). All widgets
render a static HTML copy for saved notebooks and a stable ``text/plain``, and show a note when the kernel behind
them has stopped.
"""

from ._styles import styled
from .exchange_log import ExchangeLog
from .login import LoginController, LoginPanel
from .privilege_matrix import PrivilegeMatrix
from .resource_browser import ResourceBrowser
from .session_table import SessionTable
from .standard_vs_oem import StandardVsOem
from .timeline import SessionTimeline, session_timeline

__all__ = [
    "ExchangeLog",
    "LoginController",
    "LoginPanel",
    "PrivilegeMatrix",
    "ResourceBrowser",
    "SessionTable",
    "SessionTimeline",
    "StandardVsOem",
    "session_timeline",
    "styled",
]
