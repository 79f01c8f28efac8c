"""Demo figures, ratings and an inspection draw, so that /ratings, the profiles' rating
history and /inspections are not empty. Idempotent: nothing already there is added again.

- Figures for the three years before this one for every approved demo member, varied by
  member so that stars and grades differ; the newest year of one member has no abnormal
  result on a large volume (the anomaly watch flags it) and one member filed too few
  reports to be rated.
- The inspector pool: the demo `staff` and `committee` users and the demo committee
  members present; this year's draw with a fixed, published seed, and a result for the
  first drawn member.
- The ratings of the three years, computed by the yearly run.
"""

from __future__ import annotations

import contextlib
from datetime import date

from sqlalchemy import select

from portal import clock
from portal.accounts.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.inspections import services as inspections
from portal.inspections.models import InspectionDraw, Inspector
from portal.members.models import Member
from portal.ratings.models import RatingRun, YearlyFigures
from portal.ratings.services import compute

ACTOR = "seed-demo"
POOL_USERNAMES = ("staff", "committee", "cm-zhou", "cm-wu", "cm-zheng", "cm-wang", "cm-feng")


def _figures(index: int, year: int, newest: bool) -> dict[str, int]:
    scale = 1 + (index * 37) % 9
    reports = 150 * scale + 40 * (year % 3)
    values = {
        "enterprises_served": 20 * scale,
        "workers_examined": reports * 4,
        "reports_issued": reports,
        "reports_corrected": (index * 7) % 40 if index % 3 else 1,
        "abnormal_results": reports // 5,
    }
    if index == 2 and newest:
        values["abnormal_results"] = 0  # the anomaly watch flags it
    if index == 4:
        values.update(
            reports_issued=12, workers_examined=40, reports_corrected=0, abnormal_results=3
        )
    return values


def _seed_figures(members: list[Member], years: list[int]) -> None:
    existing = {
        (f.member_id, f.year)
        for f in db.session.scalars(select(YearlyFigures).where(YearlyFigures.year.in_(years)))
    }
    now = clock.now()
    for index, member in enumerate(members, start=1):
        for year in years:
            if (member.id, year) in existing:
                continue
            figures = YearlyFigures(
                member_id=member.id,
                year=year,
                status="validated" if year < years[-1] else "filed",
                filed_at=now,
                updated_at=now,
                **_figures(index, year, year == years[-1]),
            )
            db.session.add(figures)
    db.session.flush()


def _seed_pool(users: dict[str, User]) -> None:
    admin = users.get("admin")
    for username in POOL_USERNAMES:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or db.session.scalar(
            select(Inspector.id).where(Inspector.user_id == user.id)
        ):
            continue
        with contextlib.suppress(DomainError):
            inspections.add_inspector(admin, username)


def _seed_draw(users: dict[str, User]) -> None:
    year = clock.today().year
    if db.session.scalar(select(InspectionDraw.id).where(InspectionDraw.year == year)):
        return
    try:
        record = inspections.start_draw(users["staff"], year, f"OHA-DEMO-{year}")
    except DomainError:
        return
    first = record.inspections[0]
    with contextlib.suppress(DomainError):
        inspections.record_result(
            users["staff"],
            first,
            inspected_on=min(clock.today(), date(year, 6, 15)),
            minor_findings=1,
            major_findings=0,
            accuracy="97.6",
            summary="抽查30份体检报告，1份结论表述不规范，已责令整改。",
        )


def seed_ratings(users: dict[str, User]) -> None:
    members = list(
        db.session.scalars(
            select(Member).where(Member.member_no.is_not(None)).order_by(Member.member_no)
        )
    )
    if not members:
        return
    this_year = clock.today().year
    years = [this_year - 3, this_year - 2, this_year - 1]
    _seed_figures(members, years)
    _seed_pool(users)
    _seed_draw(users)
    for year in years:
        if not db.session.scalar(select(RatingRun.id).where(RatingRun.year == year).limit(1)):
            compute.compute_year(ACTOR, year, trigger="command")
    db.session.flush()
