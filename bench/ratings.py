"""Time a full year of ratings for every member (`compute.compute_year`, as the yearly run
does it: gather, rate, store, audit) against one hand-written aggregate SQL query that reads
the same inputs per member (credentials valid on the reference day, the year's figures,
substantiated complaints, sanctions in the last 3 years, latest inspection, training
compliance) and computes the components from them.

    python -m bench.ratings URL   ->  prints JSON {"portal_seconds", "sql_seconds", "members"}

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
         count(*) FILTER (WHERE kind = 'qualification' AND valid_to >= :on) AS qual_ok,
         count(*) FILTER (WHERE kind IN ('iso9001', 'industry_certification')
                          AND valid_to >= :on) AS cert_ok,
         count(*) FILTER (WHERE kind = 'calibration') AS cal_all,
         count(*) FILTER (WHERE kind = 'calibration' AND valid_to >= :on) AS cal_ok
  FROM member_credentials GROUP BY member_id
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
)
SELECT m.id,
  (CASE WHEN coalesce(cred.qual_ok, 0) > 0 THEN 8 ELSE 0 END
   + CASE WHEN coalesce(cred.cert_ok, 0) > 0 THEN 4 ELSE 0 END
   + CASE WHEN coalesce(cred.cal_all, 0) = 0 THEN 0 ELSE 4.0 * cred.cal_ok / cred.cal_all END
   + CASE WHEN m.premises_m2 >= 200 THEN 2 ELSE 0 END
   + CASE WHEN m.agency_type <> 'examination' OR m.exam_rooms >= 4 THEN 2 ELSE 0 END)
   AS qualification,
  greatest(0, 10 - 2 * coalesce(insp.minor_findings, 0) - 5 * coalesce(insp.major_findings, 0))
   + greatest(0, 20 - 2 * greatest(0, 98 - coalesce(insp.accuracy_tenths / 10.0,
       100.0 * (fig.reports_issued - fig.reports_corrected) / nullif(fig.reports_issued, 0),
       100))) AS quality,
  greatest(0, 20 - 10 * 1000.0 * (coalesce(comp.full_, 0) + 0.5 * coalesce(comp.partly, 0))
       / nullif(fig.reports_issued, 0)) AS complaints,
  CASE WHEN coalesce(sanction.serious, 0) > 0 THEN 0
       ELSE greatest(0, 20 - 5 * coalesce(sanction.minor, 0) - 10 * coalesce(sanction.general, 0))
  END AS discipline,
  coalesce(fig.reports_issued, 0) >= 30 AS rated
FROM m
LEFT JOIN cred ON cred.member_id = m.id
LEFT JOIN fig ON fig.member_id = m.id
LEFT JOIN comp ON comp.member_id = m.id
LEFT JOIN sanction ON sanction.member_id = m.id
LEFT JOIN insp ON insp.member_id = m.id
"""


def _admin(url: str, sql: str) -> None:
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def time_sql(url: str, year: int) -> tuple[float, int]:
    engine = create_engine(url)
    params = {
        "year": year,
        "on": date(year, 12, 31),
        "since": date(year - 3, 12, 31),
        "start": f"{year}-01-01T00:00:00+08:00",
        "end": f"{year + 1}-01-01T00:00:00+08:00",
    }
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        started = time.perf_counter()
        rows = conn.execute(text(AGGREGATE_SQL), params).all()
        seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, len(rows)


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
        started = time.perf_counter()
        compute.compute_year("bench", year, trigger="command")
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return seconds


def main(url: str) -> dict:
    source = make_url(url).database
    copy = f"{source}_ratings"
    _admin(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    copy_url = make_url(url).set(database=copy).render_as_string(hide_password=False)
    year = date.today().year  # the year the generator left unrated
    try:
        sql_seconds, members = time_sql(copy_url, year)
        portal_seconds = time_portal(copy_url, year)
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return {
        "year": year,
        "members": members,
        "portal_seconds": round(portal_seconds, 3),
        "sql_seconds": round(sql_seconds, 3),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
