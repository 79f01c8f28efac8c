"""The deadline sweep: 70% and 90% warnings and the escalation, each exactly once, and a
sweep that catches up after the scheduler was down."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal import audit, clock, scheduler
from portal.complaints import tasks
from portal.complaints.services import queries, workflow
from portal.extensions import db
from portal.notifications import Notification
from tests.complaints.conftest import file


def notes(kind: str, user=None) -> int:
    stmt = select(func.count()).select_from(Notification).where(Notification.kind == kind)
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return db.session.scalar(stmt)


def audited(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(audit.AuditEntry).where(audit.AuditEntry.action == action)
    )


def test_the_sweep_is_registered():
    assert "complaints.deadline_watch" in scheduler.JOBS
    assert scheduler.JOBS["complaints.deadline_watch"].minutes == 5


def test_warnings_at_70_and_90_percent_then_the_escalation_each_once(people, member, clock_at, now):
    complaint = file(None, member).complaint
    workflow.assign_handler(people["staff"], [complaint], people["staff2"].id)
    decision = complaint.deadline("decision")
    clock_at(decision.at_70 - timedelta(minutes=1))
    assert tasks.sweep() == 0
    clock_at(decision.at_70 + timedelta(minutes=1))
    assert tasks.sweep() == 1
    assert tasks.sweep() == 0
    assert notes("complaint.deadline_warning", people["staff2"]) == 1
    assert notes("complaint.deadline_warning", people["staff"]) == 0  # the handler only
    clock_at(decision.at_90 + timedelta(minutes=1))
    assert tasks.sweep() == 1
    assert tasks.sweep() == 0
    assert notes("complaint.deadline_warning", people["staff2"]) == 2
    clock_at(decision.due_at + timedelta(seconds=1))
    assert tasks.sweep() == 1
    assert tasks.sweep() == 0
    staff_count = 2
    assert notes("complaint.escalated") == staff_count  # every secretariat user
    assert decision.escalated_at is not None
    assert audited("complaint.deadline_escalated") == 1
    assert audited("complaint.deadline_warning") == 2
    assert queries.queue_counts()["overdue"] == 1
    assert [c for c, _d in queries.escalated()] == [complaint]
    assert audit.verify().ok


def test_a_sweep_that_missed_runs_escalates_once_without_the_overtaken_warnings(
    people, member, clock_at, now
):
    complaint = file(None, member).complaint
    decision = complaint.deadline("decision")
    clock_at(decision.due_at + timedelta(days=3))  # the scheduler was down all along
    assert tasks.sweep() == 1
    assert tasks.sweep() == 0
    assert notes("complaint.deadline_warning") == 0
    assert notes("complaint.escalated") == 2
    assert decision.warned_70_at is not None and decision.warned_90_at is not None
    entry = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "complaint.deadline_escalated")
    ).one()
    assert '"warnings_marked_without_sending":["70","90"]' in entry.payload


def test_past_90_percent_the_90_warning_alone_is_sent(people, member, clock_at, now):
    complaint = file(None, member).complaint
    decision = complaint.deadline("decision")
    clock_at(decision.at_90 + timedelta(minutes=1))
    assert tasks.sweep() == 1
    assert decision.warned_70_at is not None
    entries = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "complaint.deadline_warning")
    ).all()
    assert len(entries) == 1 and '"threshold":90' in entries[0].payload


def test_a_paused_deadline_is_neither_warned_nor_escalated(people, member, clock_at, now):
    complaint = file(None, member).complaint
    staff = people["staff"]
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    workflow.request_material(staff, complaint, "请提供复查报告。复查报告。")
    resolution = complaint.deadline("resolution")
    clock_at(resolution.due_at + timedelta(days=20))
    assert tasks.sweep() == 0
    assert resolution.escalated_at is None
    assert queries.queue_counts()["overdue"] == 0


def test_a_met_deadline_is_left_alone(people, member, clock_at, now):
    complaint = file(None, member).complaint
    workflow.accept(people["staff"], complaint, "simple")
    decision = complaint.deadline("decision")
    clock_at(decision.due_at + timedelta(days=1))
    tasks.sweep()
    assert decision.escalated_at is None


def test_run_job_runs_the_sweep_under_its_lease(app, people, member, clock_at, now):
    complaint = file(None, member).complaint
    clock_at(complaint.deadline("decision").due_at + timedelta(hours=1))
    assert scheduler.run_job("complaints.deadline_watch") == 1
    assert scheduler.run_job("complaints.deadline_watch") == 0
    assert clock.now() > complaint.deadline("decision").due_at
