"""DMTF's Redfish-Protocol-Validator against every mock flavour (``FLAVORS``): no assertion may FAIL.

The validator is run through ``drivers/rpv_no_ssdp.py`` (SSDP discovery replaced by a no-op, sockets held to
loopback), never through its stock entry point. ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` are removed from its
environment: it sets ``verify`` on its requests session only, which those variables silently override, and every
request would then fail TLS against the mock's own CA. With them gone, ``--ca-bundle`` makes it verify the mock's
certificate properly instead of switching verification off. The validator's plain-HTTP probes (credentials over
``http://``) go to the same loopback port, where the mock answers 301 to HTTPS as an iLO's HTTP port does, so the
HTTPS-only and redirect assertions are evaluated rather than skipped (no ``--avoid-http-redirect``).

Every row that is not PASS is printed and listed in the terminal summary, with the validator's reason.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from redfishnb.mock import MockBMC
from redfishnb.mock.flavors import FLAVORS, get_flavor
from redfishnb.mock.handlers.certservice import serves_https_certificates

pytestmark = pytest.mark.peers

RESULTS = ("PASS", "WARN", "FAIL", "NOT_TESTED")
TSV_COLUMNS = ("Assertion", "Method", "Status code", "URI", "Result", "Message", "Requirement")
# The only assertions the mock may leave NOT_TESTED (matched by ID prefix), each with the reason.
ALLOWED_NOT_TESTED = {
    "SERV_SSE_": "server-sent events: the mock has no EventService stream",
    "SEC_SESSION_TERMINATION_SIDE_EFFECTS": "observed through a server-sent event stream",
    "SERV_EVENT_": "event subscriptions: the mock has no EventService",
    "SERV_SSDP_": "SSDP discovery is patched out: the tests never multicast",
    "REQ_DATA_MOD_ERRORS": "judged only on failed POSTs, and every POST the validator makes succeeds",
    "RESP_STATUS_INTERNAL_SERVER_ERROR": "judged only on HTTP 500 responses, and the mock sends none",
}
# NOT_TESTED rows allowed for one flavour only, each with the reason.
ALLOWED_NOT_TESTED_FOR = {
    # bmcweb's session tokens are alphanumeric, not hex: the validator's randomness check parses the token as a hex
    # string and, when it cannot, reports NOT_TESTED instead of judging it.
    "openbmc": {
        "RESP_HEADERS_X_AUTH_TOKEN": "bmcweb-style alphanumeric token: the hex randomness check cannot run"
    },
}
# The validator finds the HTTPS certificate only through ``NetworkProtocol.HTTPS.Certificates`` (from
# ManagerNetworkProtocol v1_4_0). iLO 6/7 declare v1_0_0 and HPE documents their HTTPS certificate only as the OEM
# HpeHttpsCert, so on them it has no certificate to judge and leaves the replacement assertion NOT_TESTED.
NO_DMTF_HTTPS_CERTIFICATE = {
    "SEC_DEFAULT_CERT_REPLACE": "no NetworkProtocol.HTTPS.Certificates in the declared type"
}


def allowed_not_tested(flavor: str) -> dict[str, str]:
    allowed = {**ALLOWED_NOT_TESTED, **ALLOWED_NOT_TESTED_FOR.get(flavor, {})}
    if not serves_https_certificates(get_flavor(flavor)):
        allowed.update(NO_DMTF_HTTPS_CERTIFICATE)
    return allowed


_ROW_START = re.compile(r"^[A-Z][A-Z0-9_]+\t")
_SUMMARY = re.compile(r"Summary - PASS: (\d+), WARN: (\d+), FAIL: (\d+), NOT_TESTED: (\d+)")


def parse_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of the validator's TSV report. Its messages are written unescaped and may span lines; a new row is
    recognised by its leading assertion ID."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and tuple(lines[0].split("\t")) == TSV_COLUMNS, lines[:1]
    records: list[str] = []
    for line in lines[1:]:
        if _ROW_START.match(line) or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    rows = []
    for record in records:
        fields = record.split("\t")
        # Tabs inside a message would shift the last column; keep the requirement last and re-join the message.
        head, message, requirement = fields[:5], "\t".join(fields[5:-1]), fields[-1]
        rows.append(dict(zip(TSV_COLUMNS, [*head, message, requirement], strict=True)))
    return rows


def run_validator(rpv_python: Path, peer_run, bmc, report_dir: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    args = [
        "-c", "/dev/null",
        "-r", bmc.url,
        "-u", "admin",
        "-p", "password",
        "--ca-bundle", str(bmc.ca_file),
        "--report-dir", str(report_dir),
        "--report-type", "tsv",
    ]  # fmt: skip
    return peer_run(rpv_python, "rpv_no_ssdp.py", *args, env=env, timeout=100)


@pytest.mark.parametrize("flavor", list(FLAVORS))
def test_protocol_validator_reports_no_failure(flavor, rpv_python, peer_run, tmp_path, validator_findings):
    with MockBMC(flavor=flavor) as bmc:
        proc = run_validator(rpv_python, peer_run, bmc, tmp_path)
        sessions_left = bmc.sessions()

    summary = _SUMMARY.search(proc.stdout)
    assert summary, (
        f"the validator did not finish (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )
    reports = list(tmp_path.glob("RedfishProtocolValidationReport_*.tsv"))
    assert len(reports) == 1, reports
    rows = parse_tsv(reports[0])
    counts = Counter(row["Result"] for row in rows)
    assert set(counts) <= set(RESULTS), counts
    assert tuple(counts[r] for r in RESULTS) == tuple(int(n) for n in summary.groups()), (
        counts,
        summary.group(0),
    )

    not_pass = sorted(
        (r for r in rows if r["Result"] != "PASS"), key=lambda r: (RESULTS.index(r["Result"]), r["Assertion"])
    )
    line = summary.group(0)
    validator_findings.append((flavor, line, not_pass))
    print(f"\n[{flavor}] {line}")
    for row in not_pass:
        print(
            f"  {row['Result']:<10} {row['Assertion']:<48} {row['Method']} {row['URI']} {row['Status code']}: {row['Message']}"
        )

    failures = [
        f"{r['Assertion']} {r['Method']} {r['URI']} -> {r['Status code']}: {r['Message']}"
        for r in rows
        if r["Result"] == "FAIL"
    ]
    assert not failures, "\n".join(failures)
    assert proc.returncode == 0, proc.stderr[-2000:]
    allowed = tuple(allowed_not_tested(flavor))
    unexplained = sorted(
        {
            r["Assertion"]
            for r in rows
            if r["Result"] == "NOT_TESTED" and not r["Assertion"].startswith(allowed)
        }
    )
    assert not unexplained, f"assertions the mock should let the validator evaluate: {unexplained}"
    assert counts["PASS"] >= 250, f"too few checks ran to mean anything: {line}"
    assert not sessions_left, f"sessions left on the mock after the validator logged out: {sessions_left}"
