"""Five years of yearly figures and stored ratings for every member."""

from __future__ import annotations

from bench.generate import END, Context, bulk, step, table

GRADES = ((900, "AA", 5), (800, "AA", 4), (700, "A", 3), (600, "B", 2), (0, "C", 1))


@step("rating figures and results")
def ratings(context: Context) -> int:
    rng = context.rng
    years = range(END.year - context.count("rating_years"), END.year)
    runs = [
        {"id": k + 1, "year": y, "trigger": "command", "started_at": END}
        for k, y in enumerate(years)
    ]
    count = bulk(table("rating_runs"), runs)
    figures, results = [], []
    for run in runs:
        for member_id in context.member_ids:
            reports = rng.randrange(0, 3000)
            figures.append(
                {
                    "member_id": member_id,
                    "year": run["year"],
                    "enterprises_served": reports // 20,
                    "workers_examined": reports * 3,
                    "reports_issued": reports,
                    "reports_corrected": reports // 100,
                    "abnormal_results": reports // 10,
                    "status": "validated",
                    "filed_at": END,
                    "updated_at": END,
                }
            )
            rated = reports >= 30
            tenths = rng.randrange(450, 1000) if rated else 0
            grade, stars = next((g, s) for floor, g, s in GRADES if tenths >= floor)
            results.append(
                {
                    "member_id": member_id,
                    "year": run["year"],
                    "rated": rated,
                    "score_tenths": tenths,
                    "stars": stars if rated else None,
                    "grade": grade if rated else "not_rated",
                    "blacklisted": False,
                    "services": reports,
                    "components": [],
                    "reasons": [],
                    "reference_day": f"{run['year']}-12-31",
                    "fingerprint": "",
                    "run_id": run["id"],
                    "computed_at": END,
                }
            )
    return count + bulk(table("rating_figures"), figures) + bulk(table("rating_results"), results)
