"""Run DMTF's Redfish-Service-Validator offline, against the mock only, and report its results as JSON.

Stdin carries a JSON object: ``args`` (the validator's command line, without credentials), ``user``,
``password``, ``ca_file`` (the mock's CA) and ``results`` (where to write every result row). The credentials are
appended to the validator's in-process ``sys.argv``, so they never show in a process listing.

What this wrapper changes around the validator's own ``main()``, and why:

* the loopback guard is installed, and every HTTP request the validator's ``requests`` stack sends (redirects
  included) is recorded at the transport adapter; one to a host that is not loopback is refused and recorded, so the
  test can prove that no schema or anything else was fetched from the internet;
* ``redfish.redfish_client`` is given ``cafile=<the mock's CA>``: the validator never passes one, and DMTF's library
  then turns certificate verification off. With it, every request verifies the mock's certificate;
* ``report.html_report`` is wrapped to keep the system-under-test object the validator built, so the per-resource
  results are read from it directly rather than scraped from the console or the HTML.

The validator is otherwise unchanged: it is given ``--skipschema`` and a local ``--schema_directory`` by the test.
The last stdout line is a JSON summary; the full rows go to the ``results`` file.
"""

from __future__ import annotations

import ipaddress
import json
import sys
from urllib.parse import urlsplit

import loopback_only

loopback_only.install()

import redfish  # noqa: E402
import requests.adapters  # noqa: E402
from redfish_service_validator import console_scripts, report  # noqa: E402

SENT: list[str] = []
REFUSED: list[str] = []


def _is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_send = requests.adapters.HTTPAdapter.send


def _recorded_send(self, request, *args, **kwargs):
    if not _is_loopback_host(urlsplit(request.url).hostname):
        REFUSED.append(request.url)
        raise requests.exceptions.ConnectionError(f"peer tests talk to loopback only; refused {request.url}")
    SENT.append(f"{request.method} {request.url}")
    return _send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = _recorded_send


def main() -> None:
    job = json.loads(sys.stdin.read())

    client = redfish.redfish_client

    def verifying_client(*args, **kwargs):
        kwargs.setdefault("cafile", job["ca_file"])
        return client(*args, **kwargs)

    redfish.redfish_client = verifying_client

    captured: dict = {}
    html_report = report.html_report

    def keep_sut(sut, *args, **kwargs):
        captured["sut"] = sut
        return html_report(sut, *args, **kwargs)

    report.html_report = keep_sut

    sys.argv = ["rf_service_validator", *job["args"], "--user", job["user"], "--password", job["password"]]
    exit_code = 0
    try:
        console_scripts.main()
    except SystemExit as stop:
        exit_code = stop.code if isinstance(stop.code, int) else 1

    sut = captured.get("sut")
    rows = []
    resources = []
    counts = None
    if sut is not None:
        # _resources is the validator's own per-URI record (pinned version 3.1.8): status, and each property tested.
        for uri, resource in sut._resources.items():
            resources.append(
                {"uri": uri, "status": resource["StatusCode"], "validated": resource["Validated"]}
            )
            for prop, result in resource["Results"].items():
                rows.append(
                    {
                        "uri": uri,
                        "property": prop,
                        "result": result["Result"],
                        "value": result["Value"],
                        "message": result["Message"],
                    }
                )
        counts = {
            "PASS": sut.pass_count,
            "WARN": sut.warn_count,
            "FAIL": sut.fail_count,
            "NOT TESTED": sut.skip_count,
        }
    with open(job["results"], "w", encoding="utf-8") as out:
        json.dump({"rows": rows, "resources": resources}, out, indent=1)
    print(
        json.dumps(
            {
                "exit_code": exit_code,
                "counts": counts,
                "requests_sent": len(SENT),
                "hosts": sorted({urlsplit(line.split(" ", 1)[1]).netloc for line in SENT}),
                "refused": REFUSED,
            }
        )
    )


if __name__ == "__main__":
    main()
