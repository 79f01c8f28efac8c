"""What the benchmark requests, how its figures are judged, and the README table."""

from __future__ import annotations

import json
import os
import platform
import re

from sqlalchemy import create_engine, text

from bench.gen_complaints import BENCH_CODE, TRACKED, bench_tracking_number
from bench.load import Request
from bench.servers import ROOT

README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# The targets of the scale issue; each is reported as met or not, never asserted in a test.
PORTAL_OVER_FLOOR = 0.7
LARGE_OVER_SMALL = 0.8
SWEEP_LARGE_OVER_SMALL = 1.5
RATINGS_OVER_SQL = 5.0
P99_OVER_P50 = 3.0
WORKER_MEMORY_MB = 200.0


def requests_for(url: str) -> list[Request]:
    engine = create_engine(url)
    with engine.connect() as conn:
        member_no = conn.execute(
            text("SELECT member_no FROM members ORDER BY id LIMIT 1 OFFSET 7")
        ).scalar_one()
    engine.dispose()
    track = json.dumps(
        {"tracking_number": bench_tracking_number(TRACKED // 2), "receipt_code": BENCH_CODE}
    )
    return [
        Request("members_search", "GET", "/members?q=%E4%BD%93%E6%A3%80&province=44"),
        Request("member_profile", "GET", f"/members/{member_no}"),
        Request("blacklist_search", "GET", "/blacklist?q=%E4%B8%AD%E5%BF%83"),
        Request("api_public_blacklist", "GET", "/api/v1/public/blacklist"),
        Request("complaint_track", "POST", "/api/v1/complaints/track", track),
    ]


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    tables = ("members", "complaints", "discipline_decisions", "rating_results")
    found = {}
    with engine.connect() as conn:
        for table in tables:
            exists = conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar()
            if exists:
                found[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    engine.dispose()
    return found


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def _verdict(value: float | None, limit: float, at_least: bool) -> dict:
    if value is None:
        return {"value": None, "limit": limit, "met": None}
    met = value >= limit if at_least else value <= limit
    return {"value": round(value, 3), "limit": limit, "met": met}


def targets(results: dict) -> dict:
    sizes = results["sizes"]
    verdicts: dict[str, dict] = {}
    for size, data in sizes.items():
        for page, figures in data["pages"].items():
            ratio = _ratio(figures["portal"]["rps"], figures["floor"]["rps"])
            verdicts[f"{size} {page}: portal / floor"] = _verdict(ratio, PORTAL_OVER_FLOOR, True)
            half = figures["half_rate"]
            verdicts[f"{size} {page}: p99 / p50 at half peak"] = _verdict(
                _ratio(half["p99_ms"], half["p50_ms"]), P99_OVER_P50, False
            )
        verdicts[f"{size}: web worker peak memory (MB)"] = _verdict(
            data["worker_peak_memory_mb"], WORKER_MEMORY_MB, False
        )
        ratings = data.get("ratings")
        if ratings:
            verdicts[f"{size}: ratings run / aggregate SQL"] = _verdict(
                _ratio(ratings["portal_seconds"], ratings["sql_seconds"]), RATINGS_OVER_SQL, False
            )
    if {"small", "large"} <= sizes.keys():
        small, large = sizes["small"], sizes["large"]
        for page in large["pages"]:
            ratio = _ratio(
                large["pages"][page]["portal"]["rps"], small["pages"][page]["portal"]["rps"]
            )
            verdicts[f"{page}: large / small throughput"] = _verdict(ratio, LARGE_OVER_SMALL, True)
        verdicts["sweep: large / small time"] = _verdict(
            _ratio(large["sweep"]["seconds"], small["sweep"]["seconds"]),
            SWEEP_LARGE_OVER_SMALL,
            False,
        )
    return verdicts


def table(results: dict) -> str:
    lines = [
        "| size | page | portal req/s | floor req/s | portal / floor | p50 ms | p99 ms |"
        " p99/p50 at half peak |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, data in results["sizes"].items():
        for page, f in data["pages"].items():
            half = f["half_rate"]
            ratio = _ratio(f["portal"]["rps"], f["floor"]["rps"]) or 0.0
            spread = _ratio(half["p99_ms"], half["p50_ms"]) or 0.0
            lines.append(
                f"| {size} | {page} | {f['portal']['rps']:.0f} | {f['floor']['rps']:.0f} | "
                f"{ratio:.2f} | {f['portal']['p50_ms']:.1f} | "
                f"{f['portal']['p99_ms']:.1f} | {spread:.2f} |"
            )
    lines += ["", "| target | value | limit | met |", "|---|---:|---:|---|"]
    for name, verdict in results["targets"].items():
        value = "—" if verdict["value"] is None else verdict["value"]
        met = {True: "yes", False: "**no**", None: "—"}[verdict["met"]]
        lines.append(f"| {name} | {value} | {verdict['limit']} | {met} |")
    for size, data in results["sizes"].items():
        sweep, ratings = data["sweep"], data.get("ratings")
        rated = (
            f" ratings of {ratings['year']}: {ratings['members']} members in "
            f"{ratings['portal_seconds']} s (aggregate query {ratings['sql_seconds']} s), "
            f"{ratings['members_whose_components_differ']} whose components differ;"
            if ratings and "members_whose_components_differ" in ratings
            else ""
        )
        lines.append("")
        lines.append(
            f"{size}: {data['counts']}; sweep acted on {sweep['acted']} items in "
            f"{sweep['seconds']} s;{rated} worker peak memory "
            f"{data['worker_peak_memory_mb']} MB."
        )
    return "\n".join(lines)


def write_readme_table(results: dict) -> None:
    body = README.read_text()
    block = (
        f"{START}\nMeasured {results['measured_at']} on {results['machine']['cpus']} CPUs, "
        f"{results['workers']} gunicorn workers.\n\n{table(results)}\n{END}"
    )
    if START in body:
        body = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, body, flags=re.S)
    else:
        body = body.rstrip() + "\n\n## Benchmark\n\n" + block + "\n"
    README.write_text(body)
