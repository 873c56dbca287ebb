"""DMTF's Redfish-Service-Validator against every mock flavour: no property of any resource may FAIL its schema.

The validator walks the whole service from ``/redfish/v1/`` and checks each property it finds against DMTF's CSDL
schemas. It runs offline, through ``drivers/rsv_offline.py``:

* by default it downloads DMTF's schema bundle (DSP8010) and every schema the service's ``$metadata`` references
  from the internet. Here it is given ``--skipschema`` and the local copy of DSP8010's CSDL instead (found in
  ``$REDFISHNB_DMTF_CSDL``, else ``../shared/dmtf/csdl`` beside the work tree; skipped when neither exists). The test
  first checks that every schema the mock's ``$metadata`` references is in that directory, so skipping the download
  loses nothing;
* the driver records every HTTP request the validator sends and refuses any that leaves loopback; the test asserts
  that none was attempted, that every request went to the mock, and that the mock served exactly as many;
* the validator is made to verify the mock's certificate (DMTF's library otherwise switches verification off).

OEM extensions are validated too (no ``--nooemcheck``). HPE's OEM schemas are not in DSP8010 and the iLO mocks'
``$metadata`` does not reference any, so the validator reports each ``Oem.Hpe`` object it cannot find a schema for
as a WARN (its own rule for OEM content), which is an honest result rather than one to hide.

Every FAIL and WARN row, and the NOT TESTED rows grouped by reason, go to ``artifacts/peers/service-validator/``
(one JSON file per flavour, with the validator's HTML report beside it) and to the terminal summary.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from redfishnb.mock import MockBMC
from redfishnb.mock.flavors import FLAVORS

pytestmark = [pytest.mark.peers, pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "peers" / "service-validator"
CSDL = Path(os.environ.get("REDFISHNB_DMTF_CSDL", REPO.parent / "shared" / "dmtf" / "csdl"))
RESULTS = ("PASS", "WARN", "FAIL", "NOT TESTED")
# The validator's own result name for NOT TESTED is SKIP.
_RESULT_NAMES = {"PASS": "PASS", "WARN": "WARN", "FAIL": "FAIL", "SKIP": "NOT TESTED"}
_TABLE = re.compile(r"\|\s+(\d+)\s+\|\s+(\d+)\s+\|\s+(\d+)\s+\|\s+(\d+)\s+\|")

# FAILs that reproduce what HPE documents its firmware serving, where HPE's surface itself departs from DMTF's
# schema. The mock is meant to answer as HPE documents; each entry is still listed in the report, marked, and
# each must still occur (a listed deviation that no longer FAILs is stale and fails the test).
DOCUMENTED_DEVIATIONS = {
    ("ilo6", "/redfish/v1/", "/MultipleHTTPRequests"): (
        "HPE iLO 6 v1.70 ServiceRoot resource definitions (ServiceRoot, heading MultipleHTTPRequests: boolean, "
        "read-only, added iLO6 1.70) list it as a member of ServiceRoot.v1_14_0 itself; DMTF's ServiceRoot.v1_14_0 "
        "defines it only inside ProtocolFeaturesSupported (HPE's iLO 7 v1.14 ServiceRoot lists no such member)"
    ),
}


class _Summary:
    """Lines for the terminal summary (registered as a plugin by the first test, so conftest.py stays as it is)."""

    name = "redfishnb-service-validator-summary"

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.lines:
            terminalreporter.section("Redfish-Service-Validator against the mock BMC")
            for line in self.lines:
                terminalreporter.write_line(line)


@pytest.fixture
def summary(request) -> _Summary:
    plugins = request.config.pluginmanager
    plugin = plugins.get_plugin(_Summary.name)
    if plugin is None:
        plugin = _Summary()
        plugins.register(plugin, _Summary.name)
    return plugin


@pytest.fixture(scope="module")
def csdl_dir() -> Path:
    if not CSDL.is_dir() or not any(CSDL.glob("*_v1.xml")):
        pytest.skip(
            f"DMTF's CSDL schemas (DSP8010) are not at {CSDL}; set REDFISHNB_DMTF_CSDL to their directory"
        )
    return CSDL


def referenced_schemas(bmc: MockBMC) -> list[str]:
    """File names of the schemas the mock's ``$metadata`` references (the ones the validator would download)."""
    response = requests.get(f"{bmc.url}/redfish/v1/$metadata", verify=bmc.ca_file, timeout=30)
    assert response.status_code == 200, response.status_code
    uris = re.findall(r'<edmx:Reference\s+Uri="([^"]+)"', response.text)
    assert uris, response.text[:500]
    return sorted({uri.rsplit("/", 1)[-1] for uri in uris})


def run_validator(rsv_python: Path, peer_run, bmc: MockBMC, csdl: Path, work: Path):
    """The validator's run against ``bmc`` with its observations; its logs and reports go under ``work``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "requests_ca_bundle", "curl_ca_bundle")
    }
    results = work / "results.json"
    job = {
        "args": [
            "--config", "/dev/null",  # not a file: no config.ini is read from anywhere
            "--rhost", bmc.url,
            "--authtype", "Session",
            "--logdir", str(work / "logs"),
            "--schema_directory", str(csdl),
            "--skipschema",  # use the local CSDL only: never download DSP8010 or $metadata references
            "--timeout", "60",
        ],
        "user": "admin",
        "password": "password",
        "ca_file": bmc.ca_file,
        "results": str(results),
    }  # fmt: skip
    served_before = bmc.request_count
    proc = peer_run(rsv_python, "rsv_offline.py", payload=job, env=env, timeout=240)
    served = bmc.request_count - served_before
    assert proc.returncode == 0, (
        f"driver exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-4000:]}"
    )
    observed = json.loads(proc.stdout.strip().splitlines()[-1])
    detail = json.loads(results.read_text(encoding="utf-8"))
    return proc, observed, detail, served


def _row_line(row: dict, note: str = "") -> str:
    return f"  {row['result']:<10} {row['uri']} {row['property'] or '(resource)'} = {row['value']}: {row['message']}{note}"


@pytest.mark.parametrize("flavor", list(FLAVORS))
def test_service_validator_reports_no_failure(flavor, rsv_python, peer_run, csdl_dir, tmp_path, summary):
    started = time.monotonic()
    with MockBMC(flavor=flavor) as bmc:
        missing = [name for name in referenced_schemas(bmc) if not (csdl_dir / name).is_file()]
        assert not missing, f"$metadata references schemas not in {csdl_dir}: {missing}"
        proc, observed, detail, served = run_validator(rsv_python, peer_run, bmc, csdl_dir, tmp_path)
        sessions_left = bmc.sessions()
        mock_host = bmc.url.split("://", 1)[1]
    seconds = time.monotonic() - started

    # Offline and loopback only: nothing attempted elsewhere, every request the validator sent reached the mock.
    assert observed["refused"] == [], f"the validator tried to leave loopback: {observed['refused']}"
    assert observed["hosts"] == [mock_host], observed["hosts"]
    assert observed["requests_sent"] == served, (observed["requests_sent"], served)
    assert "Skipping schema download; using cached schemas only" in proc.stdout
    assert "Checking schema cache against" not in proc.stdout, (
        "the validator went looking for schemas to download"
    )

    counts = observed["counts"]
    assert counts is not None, (
        f"the validator did not finish (exit {observed['exit_code']}):\n{proc.stdout[-3000:]}"
    )
    table = _TABLE.search(proc.stdout)
    assert table and tuple(int(n) for n in table.groups()) == tuple(counts[r] for r in RESULTS), table
    rows = detail["rows"]
    for row in rows:
        row["result"] = _RESULT_NAMES[row["result"]]
    assert Counter(row["result"] for row in rows) == {r: n for r, n in counts.items() if n}, counts

    failures = [r for r in rows if r["result"] == "FAIL"]
    deviations = [r for r in failures if (flavor, r["uri"], r["property"]) in DOCUMENTED_DEVIATIONS]
    unexplained = [r for r in failures if r not in deviations]
    warnings = [r for r in rows if r["result"] == "WARN"]
    not_tested = Counter(r["message"] for r in rows if r["result"] == "NOT TESTED")

    headline = (
        f"{flavor}: PASS {counts['PASS']}, WARN {counts['WARN']}, FAIL {counts['FAIL']}"
        f"{f' ({len(deviations)} documented iLO deviation)' if deviations else ''}, NOT TESTED {counts['NOT TESTED']}"
        f" - {len(detail['resources'])} resources, {observed['requests_sent']} requests, {seconds:.1f} s"
    )
    lines = [headline]
    lines += [_row_line(r, "  [fails DMTF's schema]") for r in unexplained]
    lines += [
        _row_line(r, f"  [documented: {DOCUMENTED_DEVIATIONS[flavor, r['uri'], r['property']]}]")
        for r in deviations
    ]
    warn_kinds = Counter(r["message"].split(":", 1)[0] for r in warnings)
    lines += [f"  WARN x{n:<4} {kind}" for kind, n in warn_kinds.most_common()]
    lines += [f"  NOT TESTED x{n:<4} {message}" for message, n in not_tested.most_common()]
    summary.lines += lines
    print("\n" + "\n".join(lines))
    for row in warnings:
        print(_row_line(row))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{flavor}.json").write_text(
        json.dumps(
            {
                "flavor": flavor,
                "counts": counts,
                "seconds": round(seconds, 1),
                "requests": observed["requests_sent"],
                "resources": detail["resources"],
                "fail": failures,
                "documented_deviations": deviations,
                "warn": warnings,
                "not_tested": dict(not_tested),
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    for html in (tmp_path / "logs").glob("*/RedfishServiceValidatorReport_*.html"):
        shutil.copyfile(html, ARTIFACTS / f"{flavor}.html")

    assert not unexplained, "properties that fail DMTF's schema:\n" + "\n".join(
        _row_line(r) for r in unexplained
    )
    documented = {key for key in DOCUMENTED_DEVIATIONS if key[0] == flavor}
    assert {(flavor, r["uri"], r["property"]) for r in deviations} == documented, "stale documented deviation"
    assert counts["FAIL"] == len(documented), (counts["FAIL"], sorted(documented))
    assert observed["exit_code"] == (1 if failures else 0), observed["exit_code"]
    unreachable = [r for r in detail["resources"] if r["status"] != 200]
    assert not unreachable, unreachable
    assert counts["PASS"] >= 250 and len(detail["resources"]) >= 20, (
        f"too little was validated to mean anything: {headline}"
    )
    assert not sessions_left, f"sessions left on the mock after the validator logged out: {sessions_left}"
