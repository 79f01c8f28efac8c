"""Time a full year of ratings for every member (`compute.compute_year`, as the yearly run
does it: gather, rate, store, audit) against one hand-written aggregate SQL query that reads
the same inputs per member (credentials valid on the reference day, the year's figures,
substantiated complaints, sanctions in the last 3 years, latest inspection, training
compliance) and computes the five components from them. Each is timed three times (the
portal's results of the year removed and vacuumed in between); the best run of each counts,
as for the pages.

    python -m bench.ratings URL   ->  prints JSON {"year", "members",
        "members_whose_components_differ", "portal_seconds", "sql_seconds"}

Runs in a throwaway copy of the database (`... TEMPLATE`), since the run stores results.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import configure_mappers

AGGREGATE_SQL = """
WITH m AS (
  SELECT id, agency_type, premises_m2, exam_rooms FROM members WHERE member_no IS NOT NULL
), cred AS (
  SELECT member_id,
         count(*) FILTER (WHERE kind = 'qualification' AND valid) AS qual_ok,
         count(*) FILTER (WHERE kind IN ('iso9001', 'industry_certification') AND valid)
           AS cert_ok,
         count(*) FILTER (WHERE kind = 'calibration') AS cal_all,
         count(*) FILTER (WHERE kind = 'calibration' AND valid) AS cal_ok
  FROM (SELECT member_id, kind,
               (valid_from IS NULL OR valid_from <= :ref) AND valid_to >= :ref AS valid
        FROM member_credentials) c
  GROUP BY member_id
), fig AS (
  SELECT member_id, reports_issued, reports_corrected FROM rating_figures WHERE year = :year
), comp AS (
  SELECT member_id,
         count(*) FILTER (WHERE finding = 'substantiated') AS full_,
         count(*) FILTER (WHERE finding = 'partly_substantiated') AS partly
  FROM complaints
  WHERE finding IN ('substantiated', 'partly_substantiated')
    AND resolved_at >= :start AND resolved_at < :end
  GROUP BY member_id
), sanction AS (
  SELECT member_id,
         count(*) FILTER (WHERE level = 'minor') AS minor,
         count(*) FILTER (WHERE level = 'general') AS general,
         count(*) FILTER (WHERE level = 'serious') AS serious
  FROM discipline_decisions
  WHERE status = 'in_force' AND took_effect_on > :since AND took_effect_on <= :on
  GROUP BY member_id
), insp AS (
  SELECT DISTINCT ON (member_id) member_id, minor_findings, major_findings, accuracy_tenths
  FROM inspections WHERE status = 'completed' AND year <= :year AND year > :year - 3
  ORDER BY member_id, year DESC, id DESC
), hours AS (
  SELECT staff_id,
         sum(hours) FILTER (WHERE kind = 'pre_job') AS pre,
         sum(hours) FILTER (WHERE kind = 'continuing' AND completed_on >= :first
                            AND completed_on <= :on) AS cont
  FROM staff_training GROUP BY staff_id
), exam AS (
  SELECT DISTINCT ON (staff_id) staff_id, passed
  FROM staff_exams WHERE taken_on <= :ref ORDER BY staff_id, taken_on DESC, id DESC
), training AS (
  SELECT s.member_id,
         count(*) AS staff,
         count(*) FILTER (WHERE coalesce(h.pre, 0) >= 60
                          AND coalesce(e.passed, true)
                          AND (s.first_assignment >= :first OR coalesce(h.cont, 0) >= 40))
           AS compliant
  FROM staff_members s
  LEFT JOIN hours h ON h.staff_id = s.id
  LEFT JOIN exam e ON e.staff_id = s.id
  WHERE s.active AND s.first_assignment <= :ref
  GROUP BY s.member_id
)
SELECT m.id,
  (CASE WHEN coalesce(cred.qual_ok, 0) > 0 THEN 8 ELSE 0 END
   + CASE WHEN coalesce(cred.cert_ok, 0) > 0 THEN 4 ELSE 0 END
   + CASE WHEN coalesce(cred.cal_all, 0) = 0 THEN 0 ELSE 4.0 * cred.cal_ok / cred.cal_all END
   + CASE WHEN m.premises_m2 >= 200 THEN 2 ELSE 0 END
   + CASE WHEN m.agency_type <> 'examination' OR m.exam_rooms >= 4 THEN 2 ELSE 0 END)
   AS qualification,
  greatest(0, 10 - 2 * coalesce(insp.minor_findings, 0) - 5 * coalesce(insp.major_findings, 0))
   + CASE WHEN insp.accuracy_tenths IS NULL AND coalesce(fig.reports_issued, 0) = 0 THEN 0
          ELSE greatest(0, 20 - 2 * greatest(0, 98 - coalesce(insp.accuracy_tenths / 10.0,
            100.0 * (fig.reports_issued - least(fig.reports_corrected, fig.reports_issued))
            / fig.reports_issued)))
     END AS quality,
  CASE WHEN coalesce(comp.full_, 0) + coalesce(comp.partly, 0) = 0 THEN 20
       WHEN coalesce(fig.reports_issued, 0) = 0 THEN 0
       ELSE greatest(0, 20 - 10 * 1000.0
                        * (coalesce(comp.full_, 0) + 0.5 * coalesce(comp.partly, 0))
                        / fig.reports_issued)
  END AS complaints,
  CASE WHEN coalesce(sanction.serious, 0) > 0 THEN 0
       ELSE greatest(0, 20 - 5 * coalesce(sanction.minor, 0) - 10 * coalesce(sanction.general, 0))
  END AS discipline,
  CASE WHEN coalesce(training.staff, 0) = 0 THEN 0
       ELSE 10.0 * training.compliant / training.staff END AS training,
  coalesce(fig.reports_issued, 0) >= 30 AS rated
FROM m
LEFT JOIN cred ON cred.member_id = m.id
LEFT JOIN fig ON fig.member_id = m.id
LEFT JOIN comp ON comp.member_id = m.id
LEFT JOIN sanction ON sanction.member_id = m.id
LEFT JOIN insp ON insp.member_id = m.id
LEFT JOIN training ON training.member_id = m.id
"""
RUNS = 3  # each side's best run counts


def _autocommit(url, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _admin(url: str, sql: str) -> None:
    _autocommit(make_url(url).set(database="postgres"), sql)


def _params(year: int) -> dict:
    from portal.ratings.services.gather import reference_day, year_bounds_utc

    # the year in Beijing time, as the naive UTC the timestamps are stored in
    start, end = (moment.replace(tzinfo=None) for moment in year_bounds_utc(year))
    return {
        "year": year,
        "on": date(year, 12, 31),
        "ref": reference_day(year),
        "since": date(year - 3, 12, 31),
        "first": date(year, 1, 1),
        "start": start,
        "end": end,
    }


def time_sql(url: str, year: int) -> tuple[float, list]:
    engine = create_engine(url)
    params = _params(year)
    times = []
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        for _ in range(RUNS):
            started = time.perf_counter()
            rows = conn.execute(text(AGGREGATE_SQL), params).all()
            times.append(time.perf_counter() - started)
    engine.dispose()
    return min(times), rows


def time_portal(url: str, year: int) -> float:
    from portal import create_app
    from portal.extensions import db
    from portal.ratings.services import compute

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        # A long-lived process has configured its mappers long before the yearly run; the
        # first ORM query would otherwise spend a second on it inside the measurement.
        configure_mappers()
        times = []
        for _ in range(RUNS):
            db.session.execute(text("DELETE FROM rating_results WHERE year = :y"), {"y": year})
            db.session.commit()
            # the deleted rows gone for good, as before a real yearly run: each run then
            # writes into the same table, not one with the last run's dead rows
            _autocommit(url, "VACUUM rating_results")
            started = time.perf_counter()
            compute.compute_year("bench", year, trigger="command")
            db.session.commit()
            times.append(time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()
    return min(times)


def disagreements(url: str, year: int, rows: list) -> int:
    """Members for whom a component of the query differs from the portal's stored one by
    more than the portal's rounding (each part to a tenth of a point)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = dict(
            conn.execute(
                text("SELECT member_id, components FROM rating_results WHERE year = :y"),
                {"y": year},
            ).all()
        )
    engine.dispose()
    differ = 0
    for member_id, *points, _rated in rows:
        portal = [component["points"] for component in stored[member_id]]
        if any(abs(float(p) * 10 - q) > 1 for p, q in zip(points, portal, strict=True)):
            differ += 1
    return differ


def main(url: str) -> dict:
    source = make_url(url).database
    copy = f"{source}_ratings"
    _admin(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    # The copy went through the write-ahead log: flush it now, or the checkpoint it causes
    # runs during the measurements (one run in three took 25% longer).
    _admin(url, "CHECKPOINT")
    copy_url = make_url(url).set(database=copy).render_as_string(hide_password=False)
    # the last year with its figures filed (the generator leaves this year without)
    year = date.today().year - 1
    try:
        sql_seconds, rows = time_sql(copy_url, year)
        portal_seconds = time_portal(copy_url, year)
        differ = disagreements(copy_url, year, rows)
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return {
        "year": year,
        "members": len(rows),
        "members_whose_components_differ": differ,
        "portal_seconds": round(portal_seconds, 3),
        "sql_seconds": round(sql_seconds, 3),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
