"""The first-session watch: 70% and 90% warnings, escalation when overdue, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal import clock
from portal.mediation import tasks
from portal.notifications import Notification
from tests.mediation.factories import accepted_complaint, proposed, with_session


def _kinds(user):
    from portal.extensions import db

    return [
        n.kind
        for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    ]


def test_warnings_then_escalation_each_once(board, seeded, people, member, clock_at):
    clock_at(datetime(2026, 6, 15, 2, 0, tzinfo=UTC))  # Monday 10:00 Shanghai
    case = proposed(people, accepted_complaint(people, member))
    assert case.first_due_date.isoformat() == "2026-06-18"
    assert tasks.sweep(clock.now()) == 0
    assert tasks.sweep(case.at_70 + timedelta(minutes=1)) == 1
    assert tasks.sweep(case.at_70 + timedelta(minutes=2)) == 0
    assert tasks.sweep(case.at_90 + timedelta(minutes=1)) == 1
    late = case.first_due_at + timedelta(minutes=1)
    assert tasks.sweep(late) == 1
    assert tasks.sweep(late) == 0
    kinds = _kinds(people["staff"])
    assert kinds.count("mediation.deadline_warning") == 2
    assert kinds.count("mediation.escalated") == 1
    assert case.escalated_at is not None


def test_an_overdue_case_found_late_is_only_escalated(board, complaint, people):
    case = proposed(people, complaint)
    assert tasks.sweep(case.first_due_at + timedelta(days=3)) == 1
    assert case.warned_70_at is not None and case.warned_90_at is not None
    assert _kinds(people["staff"]).count("mediation.deadline_warning") == 0


def test_a_scheduled_first_session_stops_the_watch(board, complaint, people):
    from tests.mediation.factories import opened

    case = opened(people, complaint)
    with_session(people, case)
    assert tasks.sweep(case.first_due_at + timedelta(days=3)) == 0


def test_the_staff_list_shows_the_overdue_cases(client, login, board, complaint, people):
    case = proposed(people, complaint)
    login(people["staff"])
    assert case.number not in client.get("/staff/mediation?status=overdue").get_data(as_text=True)
    clock.set_now(case.first_due_at + timedelta(hours=1))
    try:
        login(people["staff"])  # days later: the idle timeout ended the first session
        page = client.get("/staff/mediation?status=overdue").get_data(as_text=True)
    finally:
        clock.reset()
    assert case.number in page
