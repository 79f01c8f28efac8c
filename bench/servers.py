"""Start and stop gunicorn for the portal or the floor app; read a worker's peak memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = (os.cpu_count() or 1) * 2 + 1  # the production count (deploy/gunicorn.conf.py)

# Fixed benchmark keys (never used outside bench): the generator seals with them too.
BENCH_ENV = {
    "PORTAL_ENV": "production",
    "PORTAL_SECRET_KEY": "bench-secret-key-not-for-production-use-0123456789",
    "PORTAL_DATA_KEY": "YmVuY2gtZGF0YS1rZXktMzItYnl0ZXMtbG9uZy0tLS0=",
    "PORTAL_BLIND_INDEX_KEY": "YmVuY2gtYmxpbmQtaW5kZXgta2V5LTMyLWJ5dGVzLS0=",
    "PORTAL_REDIS_URL": "redis://127.0.0.1:6379/15",
    # Throughput is measured, not the limiter: it would answer 429 to a load generator.
    "PORTAL_RATELIMIT_ENABLED": "0",
}


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(BENCH_ENV, PORTAL_DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(app: str, database_url: str, log: Path):
    """Serve `app` (e.g. "portal.wsgi:app") with the production worker count; yield
    (port, master process)."""
    port = free_port()
    command = [
        str(GUNICORN),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--max-requests",
        "0",
        "--log-level",
        "warning",
        app,
    ]
    with log.open("w") as output:
        master = subprocess.Popen(
            command, cwd=ROOT, env=environment(database_url), stdout=output, stderr=output
        )
    try:
        _wait_for(port, master, log)
        yield port, master
    finally:
        master.send_signal(signal.SIGINT)  # quick shutdown: the measurement is over
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


def _wait_for(port: int, master: subprocess.Popen, log: Path) -> None:
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        if master.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                _wait_until_booted(master, limit)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")


def _workers(master: subprocess.Popen) -> list[str]:
    return Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()


def _cpu_seconds(pids: list[str]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _wait_until_booted(master: subprocess.Popen, limit: float) -> None:
    """The master listens before its workers have imported the app (seconds of CPU each,
    all at once on two cores): wait until every worker is up and idle, or the load would
    start while they still compete for the CPU."""
    while time.monotonic() < limit:
        pids = _workers(master)
        before = _cpu_seconds(pids)
        time.sleep(0.5)
        if len(pids) == WORKERS and _cpu_seconds(pids) - before < 0.02:
            return


def worker_peak_memory_mb(master: subprocess.Popen) -> float:
    """The largest peak resident set (VmHWM) among the master's worker processes."""
    peaks = []
    for pid in _workers(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)
