"""Re-execute the tutorial notebooks against the seeded mock and save them the way a class should find them.

Run by ``./dev notebooks`` after a change to what the kit prints. Each notebook runs top to bottom in a fresh
kernel with the real-BMC variables removed (so the seeded embedded mock answers), then is saved with:

* no live widget views: their model ids mean nothing without the kernel that made them, and JupyterLab would
  show "model not found" for them; the static fallback each widget also renders says to run the notebook;
* no per-cell timing metadata (it changes on every run and is noise in a review);
* the kernel's full ``language_info``, exactly as JupyterLab writes it when it opens the notebook, so opening a
  freshly checked-out notebook does not mark it modified (and autosave does not rewrite it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from redfishnb import lab

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The real-BMC variables (REDFISH_URL, ...) and the `./dev lab` standalone mock's, as nbval removes them too.
REMOVED_VARIABLES = (*lab.ENV.values(), "REDFISHNB_MOCK_URL", "REDFISHNB_MOCK_CA")


def strip_live_state(nb: nbformat.NotebookNode) -> None:
    """Drop widget views and timing metadata from an executed notebook, in place."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k not in REMOVED_VARIABLES}
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute(env=env)  # also records the kernel's language_info in the notebook's metadata
    strip_live_state(nb)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
    for path in paths:
        print(f"refreshing {path.name}", flush=True)
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
