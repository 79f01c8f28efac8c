"""Reading ratings: the public list with its filters, one member's history, the CSV."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import contains_eager

from portal import clock, text_search
from portal.extensions import db
from portal.members.constants import AgencyType
from portal.members.models import Member
from portal.members.regions import PROVINCES
from portal.ratings import sources
from portal.ratings.constants import Grade
from portal.ratings.models import RatingResult, RatingRun
from portal.validators import normalize_credit_code

Q_MAX = 100
STAR_CHOICES = ("5", "4", "3", "2", "1", "none")


def rated_years() -> list[int]:
    return list(
        db.session.scalars(select(RatingRun.year).distinct().order_by(RatingRun.year.desc()))
    )


def latest_year() -> int | None:
    return db.session.scalar(select(func.max(RatingResult.year)))


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    q: str = ""
    province: str | None = None
    agency_type: str | None = None
    stars: str | None = None
    grade: str | None = None

    @classmethod
    def clean(cls, year=None, q=None, province=None, agency_type=None, stars=None, grade=None):
        """Unknown values are dropped, so a stale link still shows a list."""
        try:
            year = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            year = None
        return cls(
            year=year or latest_year(),
            q=" ".join((q or "").split())[:Q_MAX],
            province=province if province in PROVINCES else None,
            agency_type=agency_type if agency_type in set(AgencyType) else None,
            stars=stars if stars in STAR_CHOICES else None,
            grade=grade if grade in set(Grade) else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.province or self.agency_type or self.stars or self.grade)


def search(filters: Filters):
    stmt = (
        select(RatingResult)
        .join(Member, Member.id == RatingResult.member_id)
        .options(contains_eager(RatingResult.member))
        .where(RatingResult.year == (filters.year or 0), Member.member_no.is_not(None))
    )
    if filters.q:
        stmt = stmt.where(
            or_(
                text_search.contains(Member.name, filters.q),
                Member.member_no == filters.q.upper(),
                Member.credit_code == normalize_credit_code(filters.q),
            )
        )
    if filters.province:
        stmt = stmt.where(Member.province == filters.province)
    if filters.agency_type:
        stmt = stmt.where(Member.agency_type == filters.agency_type)
    if filters.stars == "none":
        stmt = stmt.where(RatingResult.stars.is_(None))
    elif filters.stars:
        stmt = stmt.where(RatingResult.stars == int(filters.stars))
    if filters.grade:
        stmt = stmt.where(RatingResult.grade == filters.grade)
    return stmt.order_by(
        RatingResult.rated.desc(), RatingResult.score_tenths.desc(), Member.member_no
    )


def history(member_id: int) -> list[RatingResult]:
    return list(
        db.session.scalars(
            select(RatingResult)
            .where(RatingResult.member_id == member_id)
            .order_by(RatingResult.year.desc())
        )
    )


@cache
def _history_statement():
    return (
        select(
            RatingResult.year,
            RatingResult.rated,
            RatingResult.score_tenths,
            RatingResult.stars,
            RatingResult.grade,
        )
        .where(RatingResult.member_id == bindparam("member_id"))
        .order_by(RatingResult.year.desc())
    )


def profile_history(member_id: int) -> list:
    """The profile's rating table: year, score, stars, grade; newest first (the statement is
    built once, the member bound per call)."""
    return db.session.execute(_history_statement(), {"member_id": member_id}).all()


def blacklisted_now() -> set[int]:
    """Members on the blacklist today: they show no stars, whatever a past year said."""
    return sources.blacklisted(clock.today())


def shown(result: RatingResult, blacklisted: set[int], latest: int | None) -> tuple:
    """(stars, grade) as published: a member on the blacklist today has no stars and grade
    D on its latest year's rating, whatever the year's run found (earlier years stay as
    they were rated)."""
    if result.member_id in blacklisted and result.year == latest:
        return None, "D"
    return result.stars, result.grade


def csv_rows(year: int | None):
    if year is None:
        return []
    blacklisted, latest = blacklisted_now(), latest_year()
    for result in db.session.scalars(search(Filters(year=year))):
        member = result.member
        stars, grade = shown(result, blacklisted, latest)
        yield (
            result.year,
            member.member_no,
            member.name,
            member.province or "",
            member.agency_type or "",
            f"{result.score_tenths / 10:.1f}" if result.rated else "",
            stars or "",
            grade,
            "yes" if result.rated else "no",
            "yes" if result.member_id in blacklisted else "no",
            result.services if result.services is not None else "",
        )
