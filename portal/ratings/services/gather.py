"""Every fact the formula needs, for all members at once: a fixed handful of aggregate
queries whatever the number of members (no query per member), then `rules.rate` in Python.

Queries: members; credentials, decided complaints and training compliance (each counted
per member by the database); the year's figures; inspections in the window; previous years'
results; plus the discipline and publication facts (one query each). The aggregates are read
from the connection as plain rows (`_read`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from portal import clock
from portal.complaints.constants import Finding
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.inspections.models import Inspection
from portal.members.models import CALIBRATION, INDUSTRY, ISO9001, QUALIFICATION, Credential, Member
from portal.members.staff_models import CONTINUING, PRE_JOB, ExamRecord, StaffMember, TrainingRecord
from portal.ratings import constants as k
from portal.ratings import sources
from portal.ratings.models import RatingResult, YearlyFigures
from portal.ratings.rules import (
    InspectionFact,
    PreviousYear,
    RatingFacts,
    window_start,
)


class MemberRow(NamedTuple):
    id: int
    member_no: str
    agency_type: str | None
    premises_m2: float | None
    exam_rooms: int | None


def reference_day(year: int) -> date:
    """The day a year's rating looks at: its last day, or today while it runs."""
    return min(clock.today(), date(year, 12, 31))


def year_bounds_utc(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=clock.SHANGHAI).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=clock.SHANGHAI).astimezone(UTC)
    return start, end


def _read(statement):
    """Rows of a read-only aggregate, straight from the connection: a column query needs no
    ORM row processing, which at 20,000 members costs more than the query."""
    return db.session.connection().execute(statement).all()


def _members() -> list[MemberRow]:
    rows = _read(
        select(
            Member.id, Member.member_no, Member.agency_type, Member.premises_m2, Member.exam_rooms
        )
        .where(Member.member_no.is_not(None))
        .order_by(Member.id)
    )
    return [MemberRow(*row) for row in rows]


class Held(NamedTuple):
    qualification: bool  # a qualification certificate valid on the reference day
    certification: bool  # ISO 9001 or an industry certification valid on that day
    calibrations_total: int
    calibrations_valid: int


NOTHING_HELD = Held(False, False, 0, 0)
NO_LEVELS: frozenset[str] = frozenset()


def _count(*condition) -> ColumnElement[int]:
    """How many of the group's rows meet `condition` (0 when none)."""
    return func.coalesce(func.sum(case((and_(*condition), 1), else_=0)), 0)


def _credentials(on: date) -> dict[int, Held]:
    """What each member holds on `on`, counted by the database: one row per member."""
    valid = and_(
        or_(Credential.valid_from.is_(None), Credential.valid_from <= on), Credential.valid_to >= on
    )
    rows = _read(
        select(
            Credential.member_id,
            _count(Credential.kind == QUALIFICATION, valid),
            _count(Credential.kind.in_([ISO9001, INDUSTRY]), valid),
            _count(Credential.kind == CALIBRATION),
            _count(Credential.kind == CALIBRATION, valid),
        ).group_by(Credential.member_id)
    )
    return {
        member_id: Held(qualification > 0, certification > 0, calibrations, calibrated)
        for member_id, qualification, certification, calibrations, calibrated in rows
    }


def _figures(year: int) -> dict[int, tuple[int, int]]:
    """member id -> (reports issued, reports corrected) of the year."""
    rows = _read(
        select(
            YearlyFigures.member_id, YearlyFigures.reports_issued, YearlyFigures.reports_corrected
        ).where(YearlyFigures.year == year)
    )
    return {member_id: (issued, corrected) for member_id, issued, corrected in rows}


def _complaints(year: int) -> dict[int, tuple[int, int]]:
    """member id -> (substantiated, partly substantiated) complaints decided in `year`."""
    start, end = year_bounds_utc(year)
    rows = _read(
        select(
            Complaint.member_id,
            _count(Complaint.finding == Finding.SUBSTANTIATED.value),
            _count(Complaint.finding == Finding.PARTLY.value),
        )
        .where(
            Complaint.member_id.is_not(None),
            Complaint.finding.in_([Finding.SUBSTANTIATED.value, Finding.PARTLY.value]),
            Complaint.resolved_at >= start,
            Complaint.resolved_at < end,
        )
        .group_by(Complaint.member_id)
    )
    return {member_id: (full, partly) for member_id, full, partly in rows}


def _inspections(year: int) -> dict[int, InspectionFact]:
    """The latest recorded inspection of each member in the window (the year and the two
    before)."""
    rows = _read(
        select(
            Inspection.member_id,
            Inspection.year,
            Inspection.minor_findings,
            Inspection.major_findings,
            Inspection.accuracy_tenths,
        )
        .where(
            Inspection.status == "completed",
            Inspection.year <= year,
            Inspection.year > year - k.INSPECTION_WINDOW_YEARS,
        )
        .order_by(Inspection.year, Inspection.id)
    )
    return {row[0]: InspectionFact(*row[1:]) for row in rows}  # later rows win


def _training(year: int, on: date) -> dict[int, tuple[int, int]]:
    """member id -> (training-compliant, counted) professionals, counted by the database in
    one statement with the same rule as `rules.training_compliant` (tests hold them equal):
    active professionals first assigned on or before `on`; compliant with >= 60 h pre-job
    training, >= 40 h continuing education in `year` unless first assigned in it, and a
    latest examination up to `on` that was not failed."""
    hours = (
        select(
            TrainingRecord.staff_id.label("staff_id"),
            func.sum(case((TrainingRecord.kind == PRE_JOB, TrainingRecord.hours), else_=0)).label(
                "pre"
            ),
            func.sum(
                case(
                    (
                        and_(
                            TrainingRecord.kind == CONTINUING,
                            TrainingRecord.completed_on >= date(year, 1, 1),
                            TrainingRecord.completed_on <= date(year, 12, 31),
                        ),
                        TrainingRecord.hours,
                    ),
                    else_=0,
                )
            ).label("cont"),
        )
        .group_by(TrainingRecord.staff_id)
        .subquery()
    )
    ranked = (
        select(
            ExamRecord.staff_id.label("staff_id"),
            ExamRecord.passed.label("passed"),
            func.row_number()
            .over(
                partition_by=ExamRecord.staff_id,
                order_by=(ExamRecord.taken_on.desc(), ExamRecord.id.desc()),
            )
            .label("rn"),
        )
        .where(ExamRecord.taken_on <= on)
        .subquery()
    )
    latest = select(ranked.c.staff_id, ranked.c.passed).where(ranked.c.rn == 1).subquery()
    compliant = case(
        (
            and_(
                func.coalesce(hours.c.pre, 0) >= k.TRAINING_PRE_JOB_HOURS,
                or_(latest.c.passed.is_(None), latest.c.passed.is_(True)),
                or_(
                    StaffMember.first_assignment >= date(year, 1, 1),
                    func.coalesce(hours.c.cont, 0) >= k.TRAINING_CONTINUING_HOURS,
                ),
            ),
            1,
        ),
        else_=0,
    )
    rows = _read(
        select(StaffMember.member_id, func.sum(compliant), func.count())
        .select_from(StaffMember)
        .outerjoin(hours, hours.c.staff_id == StaffMember.id)
        .outerjoin(latest, latest.c.staff_id == StaffMember.id)
        .where(
            StaffMember.active.is_(True),
            StaffMember.first_assignment.is_not(None),
            StaffMember.first_assignment <= on,
        )
        .group_by(StaffMember.member_id)
    )
    return {member_id: (int(ok or 0), int(total)) for member_id, ok, total in rows}


def previous_results(years: list[int]) -> dict[int, tuple[PreviousYear, ...]]:
    rows = _read(
        select(
            RatingResult.member_id, RatingResult.year, RatingResult.rated, RatingResult.score_tenths
        ).where(RatingResult.year.in_(years))
    )
    result: dict[int, list[PreviousYear]] = defaultdict(list)
    for member_id, year, rated, score in rows:
        result[member_id].append(PreviousYear(year, bool(rated), score))
    return {member_id: tuple(years) for member_id, years in result.items()}


def gather(year: int, on: date) -> tuple[list[MemberRow], dict[int, RatingFacts]]:
    """The facts of every member for `year`, as they stand on `on` (its reference day)."""
    db.session.flush()  # the reads below go past the session
    members = _members()
    credentials = _credentials(on)
    figures = _figures(year)
    complaints = _complaints(year)
    inspections = _inspections(year)
    training = _training(year, on)
    previous = previous_results([year - 1, year - 2])
    year_end = date(year, 12, 31)
    sanctions = {
        member_id: tuple(s for s in items if s.took_effect_on <= year_end)
        for member_id, items in sources.sanctions_since(window_start(year)).items()
    }
    blacklisted = sources.blacklisted(on)
    levels = sources.levels_in_force(on)
    facts: dict[int, RatingFacts] = {}
    for m in members:
        held = credentials.get(m.id, NOTHING_HELD)
        filed = figures.get(m.id)
        substantiated, partly = complaints.get(m.id, (0, 0))
        facts[m.id] = RatingFacts(
            year=year,
            reference_day=on,
            agency_type=m.agency_type,
            premises_m2=m.premises_m2,
            exam_rooms=m.exam_rooms,
            qualification_valid=held.qualification,
            certification_valid=held.certification,
            calibrations_total=held.calibrations_total,
            calibrations_valid=held.calibrations_valid,
            services=filed[0] if filed else None,
            reports_corrected=filed[1] if filed else None,
            inspection=inspections.get(m.id),
            substantiated=substantiated,
            partly_substantiated=partly,
            sanctions=sanctions.get(m.id, ()),
            training_counts=training.get(m.id, (0, 0)),
            blacklisted=m.id in blacklisted,
            levels_in_force=levels.get(m.id, NO_LEVELS),
            previous=previous.get(m.id, ()),
        )
    return members, facts
