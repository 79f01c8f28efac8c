"""`make bench`: generate both data sets (once), load both servers, write the results.

For each size (small = 0.1, large = 1.0) on the local PostgreSQL:
1. the data set (`bench.generate`), kept between runs while the generator is unchanged;
2. the portal and the floor app under gunicorn with the production worker count, side by
   side, once every worker has booted; each page loaded with wrk from outside the server
   (throughput, p50, p99; the best of three runs each, alternating the servers), then the
   portal again at half its peak rate with an open-loop generator (p99 / p50 there; the
   steadier of two runs);
3. one `complaints.deadline_watch` sweep with the same number of items due, in a copy;
4. a full year of ratings for every member against one aggregate SQL query (when the
   ratings module is present);
5. the peak memory of a portal web worker after the load.
Then `bench/results.json` and the table in README.md between the bench markers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import load, report
from bench.servers import ROOT, WORKERS, environment, serve, worker_peak_memory_mb

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SIZES = {"small": 0.1, "large": 1.0}
RESULTS = ROOT / "bench" / "results.json"
LOGS = ROOT / "instance" / "bench"
WARM_UP = 5  # seconds of load before each measurement: first requests compile templates
ROUNDS = 3  # runs per page and server (alternating); the best one counts


def _url(database: str) -> str:
    return make_url(PG).set(database=database).render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _generator_digest(scale: float) -> str:
    sources = sorted((ROOT / "bench").glob("gen*.py")) + sorted((ROOT / "migrations").rglob("*.py"))
    digest = hashlib.sha256(str(scale).encode())
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def ensure_data(size: str, scale: float) -> str:
    database = f"bench_{size}"
    marker = LOGS / f"{database}.digest"
    wanted = _generator_digest(scale)
    if marker.exists() and marker.read_text() == wanted:
        print(f"{database}: kept (generator unchanged)")
        return _url(database)
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{database}"')
    print(f"{database}: generating at scale {scale}")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--database-url",
            _url(database),
            "--scale",
            str(scale),
        ],
        cwd=ROOT,
        env=environment(_url(database)),
        check=True,
    )
    marker.write_text(wanted)
    return _url(database)


def _alternating(floor_base: str, portal_base: str, request, seconds: int) -> tuple:
    """ROUNDS runs of each server, alternating floor and portal, and the best run of each.
    This machine's speed drifts (a busy neighbour, another process): alternating puts both
    servers in the same conditions, and a disturbed run shows as a low outlier, not as the
    page's cost."""
    floor_runs, portal_runs = [], []
    for _ in range(ROUNDS):
        floor_runs.append(load.wrk_peak(floor_base, request, seconds))
        portal_runs.append(load.wrk_peak(portal_base, request, seconds))
    return tuple(
        (max(runs, key=lambda run: run.rps), [run.rps for run in runs])
        for runs in (floor_runs, portal_runs)
    )


def _steadiest(port: int, request, rate: float, seconds: int) -> tuple[load.Peak, list[float]]:
    """The steadier of two runs at half the peak rate, for the same reason as `_alternating`: one
    pause of the machine decides a p99 when answers take a few milliseconds."""
    runs = [load.steady("127.0.0.1", port, request, rate, seconds) for _ in range(2)]
    spreads = [round(run.p99_ms / run.p50_ms, 2) for run in runs]
    return min(runs, key=lambda run: run.p99_ms / run.p50_ms), spreads


def measure_pages(url: str, size: str, seconds: int) -> tuple[dict, float]:
    """Both servers run at once (the idle one costs nothing) so that each page's floor and
    portal figures are measured minutes apart, not a whole pass apart."""
    requests = report.requests_for(url)
    pages: dict[str, dict] = {}
    with (
        serve("bench.floor:app", url, LOGS / f"floor-{size}.log") as (floor_port, _),
        serve("portal.wsgi:app", url, LOGS / f"portal-{size}.log") as (port, master),
    ):
        floor_base, portal_base = f"http://127.0.0.1:{floor_port}", f"http://127.0.0.1:{port}"
        for request in requests:
            load.wrk_peak(floor_base, request, WARM_UP)  # every worker, warm
            load.wrk_peak(portal_base, request, WARM_UP)
            (floor, floor_runs), (peak, portal_runs) = _alternating(
                floor_base, portal_base, request, seconds
            )
            half, spreads = _steadiest(port, request, max(peak.rps / 2, 1), seconds)
            pages[request.name] = {
                "floor": {**floor.__dict__, "runs_rps": floor_runs},
                "portal": {**peak.__dict__, "runs_rps": portal_runs},
                "half_rate": {**half.__dict__, "runs_p99_over_p50": spreads},
            }
        memory = worker_peak_memory_mb(master)
    return pages, memory


def measure_sweep(url: str, size: str) -> dict:
    copy = f"bench_{size}_sweep"
    _admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{copy}" TEMPLATE "bench_{size}"')
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.sweep", _url(copy), "complaints.deadline_watch"],
            cwd=ROOT,
            env=environment(_url(copy)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return json.loads(output.strip().splitlines()[-1])


def measure_ratings(url: str) -> dict | None:
    if not (ROOT / "bench" / "ratings.py").exists():
        return None
    output = subprocess.run(
        [sys.executable, "-m", "bench.ratings", url],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="length of each load run")
    parser.add_argument("--sizes", default="small,large")
    args = parser.parse_args()
    LOGS.mkdir(parents=True, exist_ok=True)
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "workers": WORKERS,
        "sizes": {},
    }
    for size in args.sizes.split(","):
        started = time.perf_counter()
        url = ensure_data(size, SIZES[size])
        pages, memory = measure_pages(url, size, args.seconds)
        results["sizes"][size] = {
            "scale": SIZES[size],
            "counts": report.counts(url),
            "pages": pages,
            "worker_peak_memory_mb": round(memory, 1),
            "sweep": measure_sweep(url, size),
            "ratings": measure_ratings(url),
        }
        print(f"{size}: measured in {time.perf_counter() - started:.0f} s")
    results["targets"] = report.targets(results)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report.write_readme_table(results)
    print(report.table(results))


if __name__ == "__main__":
    main()
