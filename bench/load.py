"""Load generators, run from outside the server process on loopback.

- `wrk_peak`: wrk (closed loop, as fast as the server answers) for throughput and latency.
- `steady`: an open-loop generator at a fixed rate that measures latency from each request's
  scheduled start (so a slow answer also delays the count of the ones queued behind it).
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

LUA = """wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Language"] = "zh-CN"
"""


@dataclass
class Request:
    name: str
    method: str
    path: str
    body: str | None = None


@dataclass
class Peak:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_peak(base: str, request: Request, seconds: int, connections: int = 16) -> Peak:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk)")
    body = "nil" if request.body is None else "[[" + request.body + "]]"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(method=request.method, body=body))
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",  # wrk's default (2 s) would count a slow answer as an error, not as latency
        "-s",
        script.name,
        base + request.path,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    p50 = _ms(*re.match(r"([\d.]+)(\D+)", latency["50"]).groups())
    p99 = _ms(*re.match(r"([\d.]+)(\D+)", latency["99"]).groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Peak(rps=rps, p50_ms=p50, p99_ms=p99, errors=errors)


def steady(host: str, port: int, request: Request, rate: float, seconds: float) -> Peak:
    """Send `rate` requests per second for `seconds`, spread over a few threads."""
    threads = 8
    interval = threads / rate
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.2
    headers = {"Content-Type": "application/json", "Accept-Language": "zh-CN"}

    def client(offset: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, port, timeout=30)
        n = 0
        while True:
            scheduled = start + (n + offset / threads) * interval
            if scheduled - start > seconds:
                break
            pause = scheduled - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            body = request.body.encode() if request.body else None
            connection.request(request.method, request.path, body, headers)
            reply = connection.getresponse()
            reply.read()
            took = (time.perf_counter() - scheduled) * 1000
            with lock:
                latencies.append(took)
                errors += reply.status >= 400
            n += 1
        connection.close()

    workers = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    cuts = quantiles(latencies, n=100)
    return Peak(rps=len(latencies) / seconds, p50_ms=cuts[49], p99_ms=cuts[98], errors=errors)
