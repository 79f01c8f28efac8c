"""The expiry watch on real dates: reminders 60 and 30 days ahead (once each), the lapse
flag the day after a required credential's last valid day, nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal import clock, scheduler
from portal.clock import SHANGHAI
from portal.members.models import ReminderSent
from portal.members.services import access, review
from portal.members.services.expiry import sweep
from portal.notifications import Notification
from tests.members.factories import add_person, submitted_application, values


def at(day: date, hour: int = 1) -> datetime:
    """`hour` o'clock on `day` in Shanghai, as the sweep would run just after midnight."""
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(UTC)


def instruments(on: date, expires: dict[str, str] | None = None, extra: list | None = None):
    rows = values(on)["instruments"]
    for row in rows:
        row["calibration_expires"] = (expires or {}).get(row["kind"], row["calibration_expires"])
    return rows + (extra or [])


@pytest.fixture
def member(db, agency, secretary, today):
    """Approved on 2026-06-15; the spirometer's calibration is valid to 2026-09-30, every
    other credential for longer."""
    review.approve(
        secretary,
        submitted_application(
            agency, today, instruments=instruments(today, {"spirometer": "2026-09-30"})
        ),
    )
    return access.member_of(agency)


def reminders(db, member_id):
    return db.session.execute(
        select(ReminderSent.credential_ref, ReminderSent.stage)
        .where(ReminderSent.member_id == member_id)
        .order_by(ReminderSent.id)
    ).all()


def notes(db, user, kind):
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.kind == kind)
    )


def run_on(clock_at, day: date, hour: int = 1) -> int:
    clock_at(at(day, hour))
    return sweep()


def test_reminders_go_out_60_then_30_days_ahead_once_each(db, member, agency, clock_at):
    assert run_on(clock_at, date(2026, 7, 31)) == 0  # 61 days ahead: not yet
    assert run_on(clock_at, date(2026, 8, 1)) == 1  # 60 days ahead
    assert run_on(clock_at, date(2026, 8, 1), hour=13) == 0  # again that day: nothing
    assert run_on(clock_at, date(2026, 8, 15)) == 0
    assert run_on(clock_at, date(2026, 8, 31)) == 1  # 30 days ahead
    assert run_on(clock_at, date(2026, 9, 10)) == 0
    [(ref60, stage60), (ref30, stage30)] = reminders(db, member.id)
    assert (stage60, stage30) == (60, 30) and ref60 == ref30
    assert ref60.startswith(f"m{member.id}:calibration:spirometer:2026-09-30:")
    assert notes(db, agency, "member.expiry_reminder") == 2


def test_a_missed_sweep_sends_only_the_stage_that_is_due(db, member, agency, clock_at):
    assert run_on(clock_at, date(2026, 9, 5)) == 1  # first run 25 days ahead
    assert [stage for _ref, stage in reminders(db, member.id)] == [30]


def test_the_member_lapses_the_day_after_a_required_calibration_expires(
    db, member, agency, client, clock_at
):
    run_on(clock_at, date(2026, 9, 30))
    assert not member.qualification_lapsed  # valid on its last day
    run_on(clock_at, date(2026, 10, 1))
    assert member.qualification_lapsed and member.lapsed_since == date(2026, 10, 1)
    assert notes(db, agency, "member.qualification_lapsed") == 1
    run_on(clock_at, date(2026, 10, 1), hour=20)
    run_on(clock_at, date(2026, 10, 2))
    assert notes(db, agency, "member.qualification_lapsed") == 1  # flagged once
    page = client.get(f"/members/{member.member_no}").get_data(as_text=True)
    assert "2026-10-01" in page and "alert-danger" in page
    listed = client.get("/api/v1/public/members?status=lapsed").get_json()
    assert [m["member_no"] for m in listed["items"]] == [member.member_no]


def test_an_instrument_no_rule_requires_is_reminded_of_but_does_not_lapse(
    db, agency, secretary, today, clock_at
):
    extra = {
        "key": "extra1",
        "kind": "vibration_meter",
        "calibration_certificate": "JL-V",
        "calibration_expires": "2026-07-10",
    }
    review.approve(
        secretary,
        submitted_application(agency, today, instruments=instruments(today, extra=[extra])),
    )
    member = access.member_of(agency)
    assert run_on(clock_at, date(2026, 6, 16)) == 1
    run_on(clock_at, date(2026, 7, 11))
    assert not member.qualification_lapsed


def test_either_certification_keeps_the_member_qualified(db, agency, secretary, today, clock_at):
    review.approve(
        secretary,
        submitted_application(
            agency,
            today,
            iso9001_valid_to="2026-08-01",
            industry_number="HY-2025-01",
            industry_issuer="中国职业安全健康协会",
            industry_valid_from="2025-01-01",
            industry_valid_to="2028-01-01",
        ),
    )
    member = access.member_of(agency)
    run_on(clock_at, date(2026, 8, 2))
    assert not member.qualification_lapsed


def test_an_expired_qualification_certificate_lapses_the_member(
    db, agency, secretary, today, clock_at
):
    review.approve(
        secretary, submitted_application(agency, today, qualification_valid_to="2026-06-30")
    )
    member = access.member_of(agency)
    assert run_on(clock_at, date(2026, 7, 4)) == 1  # the sweep was down for three days
    assert member.qualification_lapsed and member.lapsed_since == date(2026, 7, 1)


def test_staff_certificates_are_reminded_of(db, member, agency, today, clock_at):
    add_person(agency, member, today, name="王医生", certificate_valid_to=date(2026, 8, 20))
    run_on(clock_at, date(2026, 6, 21))  # 60 days before 2026-08-20
    refs = [ref for ref, _stage in reminders(db, member.id) if ref.startswith("s")]
    assert len(refs) == 1 and refs[0].endswith(":2026-08-20")


def test_applicants_are_not_watched(db, agency, today, clock_at):
    submitted_application(agency, today, qualification_valid_to="2026-07-01")
    assert run_on(clock_at, date(2026, 7, 5)) == 0


def test_the_sweep_is_a_registered_job_that_runs_under_its_lease(db, member, clock_at):
    assert scheduler.JOBS["members.expiry_watch"].minutes <= 24 * 60
    clock_at(at(date(2026, 8, 1)))
    assert scheduler.run_job("members.expiry_watch") == 1
    assert scheduler.run_job("members.expiry_watch") == 0
    assert clock.today() == date(2026, 8, 1) and date(2026, 8, 1) + timedelta(days=60) == date(
        2026, 9, 30
    )
