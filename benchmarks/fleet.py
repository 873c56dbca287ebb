"""Fleet session audit: redfishnb vs the straightforward DMTF ``redfish`` library loop, and vs the floor.

An operator's stale-session audit is bound by the BMCs' latency (iLOs commonly take 50-300 ms per request), not by
CPU. The peer is what people write today with DMTF's library: for each BMC, one after another, log in, GET the
Sessions collection, GET each member, log out. redfishnb visits the BMCs in parallel and reads each BMC's sessions
in one ``$expand`` GET (with ``auth="auto"``: Basic authentication, so that GET, at the standard location, is the
whole visit; what kind of service answered is judged from it, and the root is read only where the sessions are
elsewhere).

Where latency is zero, what is left is the client's CPU. The floor for that is one Basic-auth ``$expand`` GET per
BMC with plain ``requests`` and a thread pool of the same size; redfishnb's CPU per BMC (``time.process_time()`` of
the whole audit, DataFrame included, divided by the BMC count) is printed next to it, measured in the same run.

Both clients run against one mock fleet served by a separate process (so neither shares an interpreter lock with
the servers, and ``process_time`` measures the client alone), and the HTTP requests per BMC are counted by the
servers, not by the clients. The DMTF library runs in its own virtualenv (the peer tests' ``.venvs/redfish-*``
when present, else ``.venvs/dmtf``, created on first use with ``pip install redfish``) because HPE's library,
which a lab kernel may have, installs a module of the same name.

Run: ``python benchmarks/fleet.py`` (50 BMCs, 5 sessions each, 50 ms latency, then the same at 0 ms, then the CPU
figure at 500 BMCs and 0 ms; each client runs 3 times, interleaved, and the medians are compared: the machine may
be shared). The last line is ``speedup=X requests_per_bmc=Y`` for the 50 ms run.

``--flavor ilo6,ilo7,openbmc,rmc`` (or ``--mixed``: every mock flavour) runs the same on a mixed fleet, the
flavours cycled over the BMCs. The floor stays one Basic ``$expand`` GET per BMC (every flavour expands its
Sessions collection), and the requests per BMC, counted by the servers, are also printed per flavour: the CPU
of a threaded run cannot be split by BMC, the requests can. Every flavour accepts Basic by default, so the
target is one request per BMC for each.
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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DMTF_VENV = REPO / ".venvs" / "dmtf"
USERNAME, PASSWORD = "admin", "password"  # the mock's public default administrator

# The peer, as a runbook writer would write it with DMTF's library (one BMC after another).
DMTF_LOOP = textwrap.dedent(
    """
    import json, sys, time
    from urllib.parse import urlsplit
    import redfish

    job = json.load(sys.stdin)
    seen = 0
    started = time.perf_counter()
    for url, ca in zip(job["urls"], job["ca_files"]):
        client = redfish.redfish_client(base_url=url, username=job["username"], password=job["password"],
                                        cafile=ca, timeout=job["timeout"])
        client.login(auth="session")
        own = urlsplit(client.get_session_location() or "").path.rstrip("/")
        try:
            collection = client.get("/redfish/v1/SessionService/Sessions/")
            for member in collection.dict.get("Members", []):
                session = client.get(member["@odata.id"]).dict
                mine = member["@odata.id"].rstrip("/") == own
                seen += 1 if session.get("UserName") and not mine else 0
        finally:
            client.logout()
    print(json.dumps({"elapsed_s": time.perf_counter() - started, "sessions": seen}))
    """
)


# ---------------------------------------------------------------------------------------------------------------
# The mock fleet, in its own process


def serve(count: int, sessions: int, latency_ms: float, flavor: str) -> None:
    """Child process: run a MockFleet, answer commands on stdin (plant, counts, quit) with JSON lines."""
    from redfishnb.mock import MockFleet

    with MockFleet(count=count, latency_ms=latency_ms, flavor=flavor) as fleet:
        started = {"urls": list(fleet.urls), "ca_files": [b.ca_file for b in fleet.bmcs],
                   "flavors": [b.flavor.name for b in fleet.bmcs]}  # fmt: skip
        print(json.dumps(started), flush=True)
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

    def __init__(self, count: int, sessions: int, latency_ms: float, flavor: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--count", str(count), "--sessions", str(sessions),
             "--latency", str(latency_ms), "--flavor", flavor],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        first = json.loads(self.proc.stdout.readline() or "{}")
        if "urls" not in first:
            self.close()
            raise SystemExit("the mock fleet did not start (see its error above)")
        self.urls: list[str] = first["urls"]
        self.ca_files: list[str] = first["ca_files"]
        self.flavors: list[str] = first["flavors"]

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
    """An interpreter with DMTF's ``redfish``: the peer tests' virtualenv when there is one, else ``.venvs/dmtf``
    (created on first use)."""
    minor = f"py{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [*sorted((REPO / ".venvs").glob(f"redfish-*-{minor}"), reverse=True), DMTF_VENV]
    for venv in candidates:
        python = venv / "bin" / "python"
        probe = [str(python), "-c", "import redfish, redfish.rest.v1"]
        if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
            return python
    python = DMTF_VENV / "bin" / "python"
    print(f"creating {DMTF_VENV.relative_to(REPO)} with DMTF's redfish library ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(DMTF_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "redfish"], check=True)
    subprocess.run([str(python), "-c", "import redfish, redfish.rest.v1"], check=True)
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


def run_redfishnb(fleet: FleetProcess, workers: int, timeout: float, auth: str) -> dict:
    import redfishnb.client  # noqa: F401  imports are not timed, as for the DMTF loop (pandas is the big one)
    import redfishnb.tables  # noqa: F401
    from redfishnb import fleet as rf_fleet

    inventory = [
        {"name": f"bmc{i}", "url": u, "verify": ca}
        for i, (u, ca) in enumerate(zip(fleet.urls, fleet.ca_files, strict=True))
    ]
    credentials = rf_fleet.Credentials(USERNAME, PASSWORD)
    cpu, started = time.process_time(), time.perf_counter()
    report = rf_fleet.collect_sessions(
        inventory, credentials, workers=workers, timeout=timeout, auth=auth, progress=False
    )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if len(report.failed):
        raise SystemExit(f"redfishnb audit failed on {len(report.failed)} BMCs:\n{report.failed.to_string()}")
    others = report.sessions[~report.sessions["mine"].astype(bool)]
    return {"elapsed_s": elapsed, "cpu_s": cpu, "sessions": len(others)}


def run_floor(fleet: FleetProcess, workers: int, timeout: float) -> dict:
    """The floor: one Basic-auth ``$expand`` GET per BMC with plain ``requests``, ``workers`` threads."""
    import requests

    def one(url: str, ca: str) -> int:
        answer = requests.get(
            url + "/redfish/v1/SessionService/Sessions/?$expand=.",
            auth=(USERNAME, PASSWORD),
            verify=ca,
            timeout=timeout,
        )
        answer.raise_for_status()
        return sum(1 for member in answer.json().get("Members", []) if member.get("UserName"))

    cpu, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        seen = sum(pool.map(one, fleet.urls, fleet.ca_files))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"elapsed_s": elapsed, "cpu_s": cpu, "sessions": seen}


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
    by_flavor: dict[str, list[int]] = {}
    for flavor, n in zip(fleet.flavors, served, strict=True):
        by_flavor.setdefault(flavor, []).append(n)
    per_flavor = {flavor: sum(ns) / len(ns) for flavor, ns in by_flavor.items()}
    return {**result, "requests_per_bmc": sum(served) / count, "max_requests_bmc": max(served),
            "requests_by_flavor": per_flavor}  # fmt: skip


def run_all(
    count: int,
    sessions: int,
    latency_ms: float,
    runners: dict[str, Callable[[FleetProcess], dict]],
    repeat: int,
    flavor: str,
) -> dict[str, list[dict]]:
    """One fleet; every runner ``repeat`` times, interleaved (a shared machine's load then hits them alike)."""
    runs: dict[str, list[dict]] = {name: [] for name in runners}
    fleet = FleetProcess(count, sessions, latency_ms, flavor)
    try:
        for _ in range(repeat):
            for name, runner in runners.items():
                runs[name].append(measure(fleet, name, lambda run=runner: run(fleet), sessions, count))
    finally:
        fleet.close()
    seen_by = {name: {r["sessions"] for r in results} for name, results in runs.items()}
    if len(set.union(*seen_by.values())) != 1:
        raise SystemExit(f"the clients disagree on the number of other users' sessions: {seen_by}")
    return runs


def compare(
    count: int, sessions: int, latency_ms: float, workers: int, timeout: float, repeat: int, python: Path,
    auth: str, flavor: str,
) -> tuple[float, float]:  # fmt: skip
    """One fleet, both clients, ``repeat`` runs each (interleaved); returns (speedup of the medians,
    redfishnb requests per BMC)."""
    ours_name = f"redfishnb auth={auth}"
    runners = {
        "DMTF redfish loop": lambda fleet: run_dmtf(python, fleet, timeout),
        ours_name: lambda fleet: run_redfishnb(fleet, workers, timeout, auth),
    }
    runs = run_all(count, sessions, latency_ms, runners, repeat, flavor)
    print(f"\n{count} BMCs ({flavor}) x {sessions} sessions, latency {latency_ms:g} ms per request "
          f"(redfishnb workers={workers}; median of {repeat} runs)")  # fmt: skip
    medians = _table(runs)
    ours = runs[ours_name]
    speedup = medians["DMTF redfish loop"] / medians[ours_name]
    print(
        f"  speedup {speedup:.1f}x, redfishnb at most {max(r['max_requests_bmc'] for r in ours)} requests on any BMC"
    )
    return speedup, max(r["requests_per_bmc"] for r in ours)


def _table(runs: dict[str, list[dict]]) -> dict[str, float]:
    """Print one line per client; returns the median wall time of each."""
    cpu = all("cpu_s" in r for results in runs.values() for r in results)
    print(f"  {'client':<22} {'wall s':>8} {'runs s':>22} {'requests/BMC':>13} {'sessions seen':>14}"
          + (f" {'CPU ms/BMC':>11}" if cpu else ""))  # fmt: skip
    medians = {}
    for name, results in runs.items():
        medians[name] = statistics.median(r["elapsed_s"] for r in results)
        spread = " ".join(f"{r['elapsed_s']:.2f}" for r in results)
        per_bmc = max(r["requests_per_bmc"] for r in results)
        seen = "/".join(map(str, sorted({r["sessions"] for r in results})))
        line = f"  {name:<22} {medians[name]:>8.2f} {spread:>22} {per_bmc:>13.1f} {seen:>14}"
        if cpu:
            line += f" {statistics.median(r['cpu_ms_per_bmc'] for r in results):>11.2f}"
        print(line)
    by_flavor = {name: results[0]["requests_by_flavor"] for name, results in runs.items()}
    if any(len(counts) > 1 for counts in by_flavor.values()):
        for name, counts in by_flavor.items():
            print(f"  {name:<22} requests/BMC by flavour: "
                  + ", ".join(f"{flavor} {n:.1f}" for flavor, n in counts.items()))  # fmt: skip
    return medians


def cpu_per_bmc(
    count: int, sessions: int, workers: int, timeout: float, repeat: int, auth: str, flavor: str
) -> float:
    """redfishnb's client CPU per BMC next to the floor's, zero latency; returns the ratio of the medians.

    The session audit (root, login, read, logout) is measured too, for reference, unless it is ``auth`` itself."""
    ours_name = f"redfishnb auth={auth}"
    runners = {
        "floor: requests GET": lambda fleet: run_floor(fleet, workers, timeout),
        ours_name: lambda fleet: run_redfishnb(fleet, workers, timeout, auth),
    }
    if auth != "session":
        runners["redfishnb auth=session"] = lambda fleet: run_redfishnb(fleet, workers, timeout, "session")
    runs = run_all(count, sessions, 0.0, runners, repeat, flavor)
    for results in runs.values():
        for r in results:
            r["cpu_ms_per_bmc"] = r["cpu_s"] * 1000 / count
    print(f"\nclient CPU, {count} BMCs ({flavor}) x {sessions} sessions, latency 0 ms "
          f"(workers={workers} for all; median of {repeat} runs)")  # fmt: skip
    _table(runs)
    cpu_ms = {name: statistics.median(r["cpu_ms_per_bmc"] for r in results) for name, results in runs.items()}
    ratio = cpu_ms[ours_name] / cpu_ms["floor: requests GET"]
    per_bmc = max(r["requests_per_bmc"] for r in runs[ours_name])
    print(f"  client CPU per BMC: redfishnb {cpu_ms[ours_name]:.2f} ms, floor {cpu_ms['floor: requests GET']:.2f} ms, "
          f"ratio {ratio:.2f} (target <= 1.1, limit 1.5); redfishnb requests per BMC {per_bmc:.1f} (target 1.0)")  # fmt: skip
    return ratio


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
    parser.add_argument(
        "--auth", default="auto", choices=["auto", "basic", "session"], help="redfishnb's auth= (%(default)s)"
    )
    parser.add_argument(
        "--cpu-count", type=int, default=500, help="BMCs for the CPU-per-BMC figure; 0 skips it (%(default)s)"
    )
    parser.add_argument("--skip-zero", action="store_true", help="skip the zero-latency DMTF comparison")
    parser.add_argument(
        "--flavor",
        default="ilo6",
        help="mock flavour(s), comma-separated, cycled over the BMCs (%(default)s)",
    )
    parser.add_argument("--mixed", action="store_true", help="every mock flavour: --flavor ilo6,ilo7,rmc,...")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.count, args.sessions, args.latency, args.flavor)
        return 0

    from redfishnb import fleet as rf_fleet
    from redfishnb.mock.flavors import flavor_names, parse_flavor_list

    flavor = ",".join(flavor_names()) if args.mixed else args.flavor
    parse_flavor_list(flavor)  # an unknown name stops here, not in the serving child
    workers = args.workers or rf_fleet.DEFAULT_WORKERS
    ratio = None
    if args.cpu_count:
        ratio = cpu_per_bmc(
            args.cpu_count, args.sessions, workers, args.timeout, args.repeat, args.auth, flavor
        )
    python = dmtf_python()
    if not args.skip_zero:
        compare(args.count, args.sessions, 0.0, workers, args.timeout, args.repeat, python, args.auth, flavor)
    speedup, per_bmc = compare(
        args.count, args.sessions, args.latency, workers, args.timeout, args.repeat, python, args.auth, flavor
    )
    cpu = f" cpu_ratio={ratio:.2f}" if ratio is not None else ""
    print(f"speedup={speedup:.1f} requests_per_bmc={per_bmc:.1f}{cpu} flavor={flavor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
