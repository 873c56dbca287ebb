"""Which ``redfish`` package the kernel has: DMTF's (``redfish_client``) or HPE's (``RedfishClient``).

DMTF's ``redfish`` and HPE's ``python-ilorest-library`` both install a top-level package named ``redfish`` with
different classes, so they cannot live in one environment: installing the second overwrites files of the first,
and code written for one fails with an ``AttributeError``/``ImportError`` on the other. Notebooks call
:func:`which_redfish_library` to show the matching code and explain the conflict instead. Nothing is imported:
the answer comes from the installed distributions' metadata and the package's source text.
"""

from __future__ import annotations

import html
import importlib.metadata as metadata
import sys
from dataclasses import dataclass
from importlib.machinery import PathFinder
from pathlib import Path

__all__ = ["RedfishLibrary", "which_redfish_library", "DMTF_DISTRIBUTION", "HPE_DISTRIBUTION"]

DMTF_DISTRIBUTION = "redfish"
HPE_DISTRIBUTION = "python-ilorest-library"

_ADVICE = {
    "dmtf": "DMTF's library is installed: use `from redfish import redfish_client`. HPE's examples "
    "(`from redfish import RedfishClient`) will not work in this kernel.",
    "hpe": "HPE's library (python-ilorest-library) is installed: use `from redfish import RedfishClient`. DMTF's "
    "examples (`from redfish import redfish_client`) will not work in this kernel.",
    "both": "Both DMTF's `redfish` and HPE's `python-ilorest-library` are installed. They share the module name "
    "`redfish` and overwrite each other's files, so neither is reliable. Uninstall both, then install the one you "
    "need (one virtual environment or kernel per library).",
    "none": "No `redfish` library is installed. redfishnb does not need one; to compare, install DMTF's "
    "(`pip install redfish`) or HPE's (`pip install python-ilorest-library`), in separate environments.",
    "unknown": "A `redfish` module is importable but neither DMTF's nor HPE's distribution metadata was found.",
}


@dataclass(frozen=True)
class RedfishLibrary:
    """The answer: ``kind`` is ``"dmtf"``, ``"hpe"``, ``"both"``, ``"none"`` or ``"unknown"``.

    ``active`` says whose code the importable ``redfish`` package currently is (``"dmtf"``/``"hpe"``/None), which
    matters when both distributions are recorded as installed. ``explanation`` is a sentence for a notebook.
    """

    kind: str
    active: str | None
    distributions: tuple[tuple[str, str], ...]
    location: str | None
    explanation: str

    @property
    def name(self) -> str | None:
        """``"dmtf"``, ``"hpe"`` or None: whose ``redfish`` package an import would load."""
        return self.active

    @property
    def client_import(self) -> str | None:
        """The import line that works in this kernel, or None."""
        return {"dmtf": "from redfish import redfish_client", "hpe": "from redfish import RedfishClient"}.get(
            self.active or ""
        )

    def __str__(self) -> str:
        dists = ", ".join(f"{n} {v}" for n, v in self.distributions) or "none"
        return f"redfish library: {self.kind} (installed: {dists})\n{self.explanation}"

    def _repr_html_(self) -> str:
        dists = ", ".join(f"{n} {v}" for n, v in self.distributions) or "none"
        return (
            f"<div class='rfnb-library rfnb-library-{self.kind}'><b>redfish library:</b> {html.escape(self.kind)} "
            f"(installed: {html.escape(dists)})<br>{html.escape(self.explanation)}</div>"
        )


def _flavour_of_source(location: str | None) -> str | None:
    """Read (not import) ``redfish/__init__.py``: DMTF exports ``redfish_client``, HPE ``RedfishClient``."""
    if not location:
        return None
    try:
        text = Path(location).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "RedfishClient" in text:
        return "hpe"
    if "redfish_client" in text:
        return "dmtf"
    return None


def which_redfish_library(path: list[str] | None = None) -> RedfishLibrary:
    """Tell which ``redfish`` package is installed, without importing it. ``path`` defaults to ``sys.path``."""
    search = list(sys.path if path is None else path)
    found: dict[str, str] = {}
    for dist in metadata.distributions(path=search):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in (DMTF_DISTRIBUTION, HPE_DISTRIBUTION) and name not in found:
            found[name] = dist.version
    spec = PathFinder.find_spec("redfish", search)
    location = spec.origin if spec is not None else None
    active = _flavour_of_source(location)
    if DMTF_DISTRIBUTION in found and HPE_DISTRIBUTION in found:
        kind = "both"
    elif DMTF_DISTRIBUTION in found:
        kind = "dmtf"
    elif HPE_DISTRIBUTION in found:
        kind = "hpe"
    else:
        kind = "unknown" if spec is not None else "none"
    if active is None and kind in ("dmtf", "hpe"):
        active = kind
    explanation = _ADVICE[kind]
    if kind == "both" and active:
        explanation += f" Right now the files on disk are {'DMTF' if active == 'dmtf' else 'HPE'}'s."
    return RedfishLibrary(kind, active, tuple(sorted(found.items())), location, explanation)
