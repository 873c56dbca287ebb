"""Fleet session audit: redfishnb vs the straightforward DMTF ``redfish`` library loop, same fleet, same run.

An operator's stale-session audit is bound by the BMCs' latency (iLOs commonly take 50-300 ms per request), not by
CPU. The peer is what people write today with DMTF's library: for each BMC, one after another, log in, GET the
Sessions collection, GET each member, log out. redfishnb visits the BMCs in parallel and reads each BMC's sessions
in one ``$expand`` GET.

Both clients run against one mock fleet served by a separate process (so neither shares an interpreter lock with
the servers), and the HTTP requests per BMC are counted by the servers, not by the clients. The DMTF library runs
in its own virtualenv (``.venvs/dmtf``, created on first use with ``pip install redfish``) because HPE's library,
which a lab kernel may have, installs a module of the same name.

Run: ``python benchmarks/fleet.py`` (50 BMCs, 5 sessions each, 50 ms latency, then the same at 0 ms; each client runs
3 times, interleaved, and the medians are compared: the machine may be shared). The last line
is ``speedup=X requests_per_bmc=Y`` for the 50 ms run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DMTF_VENV = REPO / ".venvs" / "dmtf"
USERNAME, PASSWORD = "admin", "password"  # the mock's public default administrator

# The peer, as a runbook writer would write it with DMTF's library (one BMC after another).
DMTF_LOOP = textwrap.dedent(
    """
    import json, sys, time
    import redfish

    job = json.load(sys.stdin)
    seen = 0
    started = time.perf_counter()
    for url, ca in zip(job["urls"], job["ca_files"]):
        client = redfish.redfish_client(base_url=url, username=job["username"], password=job["password"],
                                        cafile=ca, timeout=job["timeout"])
        client.login(auth="session")
        try:
            collection = client.get("/redfish/v1/SessionService/Sessions/")
            for member in collection.dict.get("Members", []):
                session = client.get(member["@odata.id"]).dict
                seen += 1 if session.get("UserName") else 0
        finally:
            client.logout()
    print(json.dumps({"elapsed_s": time.perf_counter() - started, "sessions": seen}))
    """
)


# ---------------------------------------------------------------------------------------------------------------
# The mock fleet, in its own process


def serve(count: int, sessions: int, latency_ms: float) -> None:
    """Child process: run a MockFleet, answer commands on stdin (plant, counts, quit) with JSON lines."""
    from redfishnb.mock import MockFleet

    with MockFleet(count=count, latency_ms=latency_ms) as fleet:
        print(json.dumps({"urls": list(fleet.urls), "ca_files": [b.ca_file for b in fleet.bmcs]}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "plant":
                for bmc in fleet.bmcs:
                    bmc.clear_sessions()
                    for i in range(sessions):
                        bmc.create_session(
                            "operator" if i % 2 else "student", user_tag="REST" if i % 2 else "Web UI"
                        )
                        bmc.advance_clock(60)
                answer: dict = {"planted": sessions * count}
            elif command == "counts":
                answer = {
                    "requests": [b.request_count for b in fleet.bmcs],
                    "sessions": [b.session_count for b in fleet.bmcs],
                }
            elif command == "quit":
                break
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)


class FleetProcess:
    """The parent's handle on the serving child process."""

    def __init__(self, count: int, sessions: int, latency_ms: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--count", str(count), "--sessions", str(sessions),
             "--latency", str(latency_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        first = json.loads(self.proc.stdout.readline() or "{}")
        if "urls" not in first:
            self.close()
            raise SystemExit("the mock fleet did not start (see its error above)")
        self.urls: list[str] = first["urls"]
        self.ca_files: list[str] = first["ca_files"]

    def ask(self, command: str) -> dict:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------------------------------------------------------
# The two clients


def dmtf_python() -> Path:
    """The DMTF virtualenv's interpreter, creating the venv and installing ``redfish`` on first use."""
    python = DMTF_VENV / "bin" / "python"
    probe = [str(python), "-c", "import redfish, redfish.rest.v1"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"creating {DMTF_VENV.relative_to(REPO)} with DMTF's redfish library ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(DMTF_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "redfish"], check=True)
    subprocess.run(probe, check=True)
    return python


def run_dmtf(python: Path, fleet: FleetProcess, timeout: float) -> dict:
    job = {"urls": fleet.urls, "ca_files": fleet.ca_files, "username": USERNAME, "password": PASSWORD,
           "timeout": timeout}  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix="_dmtf_loop.py", delete=False) as fh:
        fh.write(DMTF_LOOP)
    try:
        done = subprocess.run(
            [str(python), fh.name], input=json.dumps(job), capture_output=True, text=True, check=False
        )
    finally:
        os.unlink(fh.name)
    if done.returncode != 0:
        raise SystemExit(f"the DMTF loop failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_redfishnb(fleet: FleetProcess, workers: int, timeout: float) -> dict:
    import redfishnb.client  # noqa: F401  imports are not timed, as for the DMTF loop (pandas is the big one)
    import redfishnb.tables  # noqa: F401
    from redfishnb import fleet as rf_fleet

    inventory = [
        {"name": f"bmc{i}", "url": u, "verify": ca}
        for i, (u, ca) in enumerate(zip(fleet.urls, fleet.ca_files, strict=True))
    ]
    credentials = rf_fleet.Credentials(USERNAME, PASSWORD)
    started = time.perf_counter()
    report = rf_fleet.collect_sessions(
        inventory, credentials, workers=workers, timeout=timeout, progress=False
    )
    elapsed = time.perf_counter() - started
    if len(report.failed):
        raise SystemExit(f"redfishnb audit failed on {len(report.failed)} BMCs:\n{report.failed.to_string()}")
    return {"elapsed_s": elapsed, "sessions": len(report.sessions)}


def measure(fleet: FleetProcess, name: str, runner, sessions: int, count: int) -> dict:
    """One run of one client on a freshly planted fleet, with the requests counted by the servers."""
    fleet.ask("plant")
    before = fleet.ask("counts")
    result = runner()
    after = fleet.ask("counts")
    served = [a - b for a, b in zip(after["requests"], before["requests"], strict=True)]
    leaked = [n - sessions for n in after["sessions"]]
    if any(leaked):
        raise SystemExit(f"{name} left {sum(leaked)} sessions open on the fleet")
    return {**result, "requests_per_bmc": sum(served) / count, "max_requests_bmc": max(served)}


def compare(
    count: int, sessions: int, latency_ms: float, workers: int, timeout: float, repeat: int, python: Path
) -> tuple[float, float]:
    """One fleet, both clients, ``repeat`` runs each (interleaved); returns (speedup of the medians,
    redfishnb requests per BMC)."""
    runners = {
        "DMTF redfish loop": lambda: run_dmtf(python, fleet, timeout),
        "redfishnb audit": lambda: run_redfishnb(fleet, workers, timeout),
    }
    runs: dict[str, list[dict]] = {name: [] for name in runners}
    fleet = FleetProcess(count, sessions, latency_ms)
    try:
        for _ in range(repeat):
            for name, runner in runners.items():
                runs[name].append(measure(fleet, name, runner, sessions, count))
    finally:
        fleet.close()
    print(f"\n{count} BMCs x {sessions} sessions, latency {latency_ms:g} ms per request "
          f"(redfishnb workers={workers}; median of {repeat} runs)")  # fmt: skip
    print(f"  {'client':<20} {'wall s':>8} {'runs s':>22} {'requests/BMC':>13} {'sessions seen':>14}")
    medians = {}
    for name, results in runs.items():
        seen = {r["sessions"] for r in results}
        per_bmc = {r["requests_per_bmc"] for r in results}
        medians[name] = statistics.median(r["elapsed_s"] for r in results)
        spread = " ".join(f"{r['elapsed_s']:.2f}" for r in results)
        print(
            f"  {name:<20} {medians[name]:>8.2f} {spread:>22} {max(per_bmc):>13.1f} {'/'.join(map(str, seen)):>14}"
        )
    seen_by = {name: {r["sessions"] for r in results} for name, results in runs.items()}
    if len(set.union(*seen_by.values())) != 1:
        raise SystemExit(f"the clients disagree on the number of sessions: {seen_by}")
    ours = runs["redfishnb audit"]
    speedup = medians["DMTF redfish loop"] / medians["redfishnb audit"]
    print(
        f"  speedup {speedup:.1f}x, redfishnb at most {max(r['max_requests_bmc'] for r in ours)} requests on any BMC"
    )
    return speedup, max(r["requests_per_bmc"] for r in ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50, help="BMCs in the fleet (%(default)s)")
    parser.add_argument("--sessions", type=int, default=5, help="planted sessions per BMC (%(default)s)")
    parser.add_argument(
        "--latency", type=float, default=50.0, help="mock latency per request, ms (%(default)s)"
    )
    parser.add_argument("--workers", type=int, default=None, help="redfishnb parallel BMCs (fleet default)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, s (%(default)s)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each client, median kept (%(default)s)"
    )
    parser.add_argument("--skip-zero", action="store_true", help="skip the zero-latency comparison")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.count, args.sessions, args.latency)
        return 0

    from redfishnb import fleet as rf_fleet

    workers = args.workers or rf_fleet.DEFAULT_WORKERS
    python = dmtf_python()
    if not args.skip_zero:
        compare(args.count, args.sessions, 0.0, workers, args.timeout, args.repeat, python)
    speedup, per_bmc = compare(
        args.count, args.sessions, args.latency, workers, args.timeout, args.repeat, python
    )
    print(f"speedup={speedup:.1f} requests_per_bmc={per_bmc:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
