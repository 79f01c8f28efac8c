"""Deadlines on real dates: National Day, make-up Saturdays, a year without a calendar, pauses
that add their working days back, and calendar changes that recompute open deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal import audit, calendar, calendar_edits, clock
from portal.complaints.services import deadlines, workflow
from portal.extensions import db
from tests.complaints.conftest import file

SHANGHAI = timezone(timedelta(hours=8))


def at(y, m, d, hour=10, minute=0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def received(clock_at, when, member, people):
    clock_at(when)
    return file(None, member).complaint


@pytest.mark.parametrize("hour", [0, 10, 23])
def test_received_on_30_september_is_decided_by_13_october(seeded, clock_at, member, people, hour):
    complaint = received(clock_at, at(2026, 9, 30, hour, 30), member, people)
    decision = complaint.deadline("decision")
    assert decision.start_date == date(2026, 9, 30)  # the Beijing date, whatever the UTC date
    assert decision.due_date == date(2026, 10, 13)  # 8, 9, Sat 10 (make-up), 12, 13
    assert decision.due_at == datetime(2026, 10, 13, 15, 59, 59, tzinfo=UTC)
    assert decision.provisional is False


@pytest.mark.parametrize(
    ("day", "due"),
    [
        # A make-up Saturday is a working day, but the day of receipt is never counted.
        (date(2026, 10, 10), date(2026, 10, 16)),  # 12, 13, 14, 15, 16
        (date(2026, 2, 14), date(2026, 2, 28)),  # Spring Festival 15-23 off: 24-27, Sat 28
        (date(2026, 9, 20), date(2026, 9, 28)),  # Sun 20 worked; 21-24, 25-27 off, 28
    ],
)
def test_a_complaint_received_on_a_make_up_day_starts_counting_the_next_day(
    seeded, clock_at, member, people, day, due
):
    assert calendar.is_workday(day)
    complaint = received(clock_at, at(day.year, day.month, day.day), member, people)
    assert complaint.deadline("decision").due_date == due


def test_a_deadline_in_2027_is_provisional_until_its_calendar_is_loaded(
    seeded, clock_at, member, people
):
    complaint = received(clock_at, at(2027, 9, 30), member, people)
    decision = complaint.deadline("decision")
    assert decision.provisional is True
    assert decision.due_date == date(2027, 10, 7)  # Mon-Fri: 1, 4, 5, 6, 7
    days = [calendar_edits.DayInput(date(2027, 10, d), False, "国庆节") for d in range(1, 8)]
    days.append(calendar_edits.DayInput(date(2027, 10, 9), True, "国庆节调休"))
    result = calendar_edits.load_days(days, actor="test")
    assert result.recomputed >= 1
    assert decision.provisional is False
    assert decision.due_date == date(2027, 10, 13)  # 8, Sat 9, 11, 12, 13
    entry = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "complaint.deadline_recomputed")
    ).one()
    assert '"to":"2027-10-13"' in entry.payload


def test_a_calendar_change_moves_an_open_deadline_and_not_a_met_one(
    seeded, clock_at, member, people
):
    staff = people["staff"]
    open_one = received(clock_at, at(2026, 6, 1), member, people)
    met_one = received(clock_at, at(2026, 6, 1), member, people)
    workflow.accept(staff, met_one, "simple")
    before = met_one.deadline("decision").due_date
    assert open_one.deadline("decision").due_date == date(2026, 6, 8)  # 2, 3, 4, 5, 8
    calendar_edits.set_day(date(2026, 6, 3), workday=False, note="停电", actor=staff)
    assert open_one.deadline("decision").due_date == date(2026, 6, 9)
    assert met_one.deadline("decision").due_date == before


def test_asking_for_material_pauses_and_adds_the_paused_days_back(seeded, clock_at, member, people):
    staff = people["staff"]
    complaint = received(clock_at, at(2026, 9, 18), member, people)
    clock_at(at(2026, 9, 21))
    workflow.accept(staff, complaint, "simple")
    resolution = complaint.deadline("resolution")
    assert resolution.due_date == date(2026, 9, 29)  # 22, 23, 24, (25-27 off), 28, 29
    workflow.start_investigation(staff, complaint)
    clock_at(at(2026, 9, 23))
    workflow.request_material(staff, complaint, "请提供复查报告的扫描件。")
    assert resolution.paused_since is not None
    clock_at(at(2026, 10, 9))
    workflow.add_material(staff, complaint, "复查报告已收到（邮寄）。")
    # remaining = working days in (23 Sep, 29 Sep] = 3; new due = 3 working days after 9 Oct.
    assert resolution.due_date == date(2026, 10, 13)  # Sat 10 (make-up), 12, 13
    assert resolution.paused_working_days == 6  # 24, 28, 29, 30 Sep, 8, 9 Oct
    assert calendar.working_days_between(resolution.base_due_date, resolution.due_date) == 6
    assert complaint.pauses[0].working_days_held == 6
    assert complaint.status == "investigating"


def test_a_pause_after_the_due_date_holds_nothing(seeded, clock_at, member, people):
    staff = people["staff"]
    complaint = received(clock_at, at(2026, 6, 1), member, people)
    workflow.accept(staff, complaint, "simple")
    resolution = complaint.deadline("resolution")
    due = resolution.due_date
    clock_at(at(2026, 6, 30))  # long past due
    workflow.request_material(staff, complaint, "请补充材料。补充材料。")
    clock_at(at(2026, 7, 10))
    workflow.add_material(staff, complaint, "补充材料")
    assert resolution.due_date == due
    assert complaint.pauses[0].working_days_held == 0


def test_the_share_of_time_used_stands_still_while_paused(seeded, clock_at, member, people):
    staff = people["staff"]
    complaint = received(clock_at, at(2026, 6, 15, 0, 0), member, people)
    decision = complaint.deadline("decision")
    start = decision.start_at
    assert deadlines.fraction(decision, start) == 0
    assert deadlines.fraction(decision, decision.due_at) == pytest.approx(1.0)
    assert deadlines.fraction(decision, decision.at_70) == pytest.approx(0.7)
    workflow.accept(staff, complaint, "simple")
    resolution = complaint.deadline("resolution")
    workflow.start_investigation(staff, complaint)
    clock_at(at(2026, 6, 16))
    workflow.request_material(staff, complaint, "请补充材料。补充材料。")
    frozen = deadlines.fraction(resolution, clock.now())
    later = clock.now() + timedelta(days=10)
    assert deadlines.fraction(resolution, later) == pytest.approx(frozen)
    assert not deadlines.is_overdue(resolution, later)  # a pause holds the deadline
