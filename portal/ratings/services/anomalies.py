"""Anomaly watch: filed figures that look implausible, flagged to the secretariat with the
reason. `check` is pure (this year's and last year's figures in, reasons out); `flagged`
reads two years of figures for every member in two queries.

- perfect pass rate: no abnormal result at all on >= 1,000 workers examined or reports;
- sudden jump: reports issued at least 3 times last year's and at least 500 more;
- capacity: more than 25,000 workers examined per examination room in the year;
- more reports corrected than issued (possible only through old data; the form refuses it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.members.models import Member
from portal.ratings import constants as k
from portal.ratings.constants import Anomaly
from portal.ratings.models import YearlyFigures


@dataclass(frozen=True)
class Flag:
    code: Anomaly
    values: dict


@dataclass(frozen=True)
class Flagged:
    member_id: int
    member_no: str | None
    name: str
    year: int
    figures_id: int
    flags: list[Flag]


def check(
    values: dict[str, int], last_year: dict[str, int] | None, exam_rooms: int | None
) -> list[Flag]:
    flags: list[Flag] = []
    volume = max(values["workers_examined"], values["reports_issued"])
    if volume >= k.LARGE_VOLUME and values["abnormal_results"] == 0:
        flags.append(Flag(Anomaly.PERFECT_PASS_RATE, {"volume": volume}))
    if last_year is not None:
        before, now = last_year["reports_issued"], values["reports_issued"]
        if now >= k.JUMP_FACTOR * before and now - before >= k.JUMP_MIN_INCREASE:
            flags.append(Flag(Anomaly.JUMP, {"before": before, "now": now}))
    if exam_rooms and values["workers_examined"] > exam_rooms * k.WORKERS_PER_ROOM_MAX:
        flags.append(
            Flag(
                Anomaly.CAPACITY,
                {"workers": values["workers_examined"], "rooms": exam_rooms},
            )
        )
    if values["reports_corrected"] > values["reports_issued"]:
        flags.append(
            Flag(
                Anomaly.CORRECTED_EXCEEDS,
                {"corrected": values["reports_corrected"], "issued": values["reports_issued"]},
            )
        )
    return flags


def flagged(year: int) -> list[Flagged]:
    rows = db.session.execute(
        select(YearlyFigures, Member.member_no, Member.name, Member.exam_rooms)
        .join(Member, Member.id == YearlyFigures.member_id)
        .where(YearlyFigures.year == year)
        .order_by(Member.member_no, Member.id)
    ).all()
    last = {
        f.member_id: f.values()
        for f in db.session.scalars(select(YearlyFigures).where(YearlyFigures.year == year - 1))
    }
    result = []
    for figures, member_no, name, rooms in rows:
        flags = check(figures.values(), last.get(figures.member_id), rooms)
        if flags:
            result.append(Flagged(figures.member_id, member_no, name, year, figures.id, flags))
    return result


def describe(flag: Flag) -> str:
    from flask_babel import gettext as _

    v = flag.values
    if flag.code is Anomaly.PERFECT_PASS_RATE:
        return _("No abnormal result at all on %(n)d workers or reports.", n=v["volume"])
    if flag.code is Anomaly.JUMP:
        return _("%(now)d reports issued, against %(before)d last year.", **v)
    if flag.code is Anomaly.CAPACITY:
        return _(
            "%(workers)d workers examined with %(rooms)d examination rooms "
            "(more than %(max)d per room).",
            max=k.WORKERS_PER_ROOM_MAX,
            **v,
        )
    return _("%(corrected)d reports corrected, %(issued)d issued.", **v)
