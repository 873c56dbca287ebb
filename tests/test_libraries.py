"""which_redfish_library: tells DMTF's and HPE's ``redfish`` apart from metadata and source, without importing."""

from __future__ import annotations

from pathlib import Path

from redfishnb.libraries import which_redfish_library

DMTF_INIT = "from redfish.rest.v1 import redfish_client\nfrom redfish.rest.v1 import AuthMethod\nraise SystemExit('imported')\n"
HPE_INIT = (
    "from redfish.rest.v1 import RestClient, RedfishClient, LegacyRestClient\nraise SystemExit('imported')\n"
)


def install(site: Path, dist: str, version: str, init: str | None) -> None:
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    if init is not None:
        (site / "redfish").mkdir(exist_ok=True)
        (site / "redfish" / "__init__.py").write_text(init)


def test_none(tmp_path):
    found = which_redfish_library([str(tmp_path)])
    assert found.kind == "none" and found.active is None and found.client_import is None
    assert "pip install redfish" in found.explanation


def test_dmtf(tmp_path):
    install(tmp_path, "redfish", "3.3.1", DMTF_INIT)
    found = which_redfish_library([str(tmp_path)])
    assert (found.kind, found.active, found.name) == ("dmtf", "dmtf", "dmtf")
    assert found.client_import == "from redfish import redfish_client"
    assert found.distributions == (("redfish", "3.3.1"),)
    assert "redfish 3.3.1" in str(found)


def test_hpe(tmp_path):
    install(tmp_path, "python-ilorest-library", "5.3.0.0", HPE_INIT)
    found = which_redfish_library([str(tmp_path)])
    assert (found.kind, found.active) == ("hpe", "hpe")
    assert found.client_import == "from redfish import RedfishClient"
    assert "DMTF's examples" in found.explanation


def test_both_installed_explains_the_conflict_and_whose_files_won(tmp_path):
    install(tmp_path, "redfish", "3.3.1", DMTF_INIT)
    install(
        tmp_path, "python-ilorest-library", "5.3.0.0", HPE_INIT
    )  # the later install overwrote the package
    found = which_redfish_library([str(tmp_path)])
    assert found.kind == "both" and found.active == "hpe"
    assert "overwrite each other" in found.explanation and "HPE's" in found.explanation
    assert "both" in found._repr_html_()


def test_module_without_metadata_is_unknown(tmp_path):
    (tmp_path / "redfish").mkdir()
    (tmp_path / "redfish" / "__init__.py").write_text("x = 1\n")
    assert which_redfish_library([str(tmp_path)]).kind == "unknown"


def test_the_real_kernel_answers_without_importing_redfish():
    import sys

    found = which_redfish_library()
    assert found.kind in ("none", "dmtf", "hpe", "both", "unknown")
    assert "redfish" not in sys.modules
