"""`complaints.deadline_watch`: warnings at 70% and 90% of each open deadline, escalation
when one passes; each sent exactly once.

Every item is claimed with a conditional UPDATE (`SET warned_70_at = now WHERE id = ? AND
warned_70_at IS NULL`) and acted on only if that UPDATE changed one row; the notices and the
audit entry go in the same transaction as the claim, committed in batches of BATCH items
(a batch holds the audit chain's lock for well under a second; one transaction per item made
a sweep of 1,000 items spend most of its time committing). Two scheduler processes that
sweep at once therefore never act twice on one deadline: on PostgreSQL the second UPDATE
waits for the first one's row lock and then finds the flag set; on SQLite the second
writer waits for the write lock (BEGIN IMMEDIATE).

Catching up: the sweep looks at everything due, not at what happened since its last run.
A deadline found past 90% or overdue gets only the most urgent message: an overdue one is
escalated once, and its 70% and 90% warnings are marked done without being sent; one found
past 90% gets the 90% warning and its 70% warning is marked done. A message about a state
that has already been overtaken helps nobody and would bury the one that matters.

Warnings go to the complaint's handler (or every secretariat user if it has none);
escalations go to every secretariat user (the head of the secretariat among them) and the
complaint shows in the dashboard's overdue queue.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from portal import audit, clock, scheduler
from portal.accounts.models import User
from portal.complaints.constants import DEADLINE_LABELS, DeadlineKind
from portal.complaints.models import Complaint, ComplaintDeadline
from portal.complaints.services import notices, timeline
from portal.complaints.services.queries import overdue_condition
from portal.extensions import db

ACTOR = "scheduler:complaints.deadline_watch"
BATCH = 50
D = ComplaintDeadline


def _claim(deadline_id: int, column: str, now: datetime) -> bool:
    """Set the flag if nobody has: True for exactly one caller, ever."""
    flag = getattr(D, column)
    result = db.session.execute(
        update(D).where(D.id == deadline_id, flag.is_(None)).values({column: now})
    )
    return result.rowcount == 1


def _candidates(condition, flag) -> list[int]:
    return list(
        db.session.scalars(
            select(D.id).where(D.met_at.is_(None), flag.is_(None), condition).order_by(D.due_at)
        )
    )


def _due_label(deadline: ComplaintDeadline) -> str:
    return deadline.due_date.isoformat()


def _recipients(complaint: Complaint, staff: list[User]) -> list[User]:
    handler = complaint.handler
    if handler is not None and handler.active:
        return [handler]
    return staff


def _claimed(deadline_id: int) -> ComplaintDeadline:
    """The deadline as the claim left it, with its complaint and handler, in one query."""
    return db.session.scalars(
        select(D)
        .where(D.id == deadline_id)
        .options(joinedload(D.complaint).joinedload(Complaint.handler))
        .execution_options(populate_existing=True)
    ).one()


def _escalate(deadline_id: int, now: datetime, staff: list[User]) -> bool:
    if not _claim(deadline_id, "escalated_at", now):
        return False
    skipped = [flag for flag in ("warned_70_at", "warned_90_at") if _claim(deadline_id, flag, now)]
    deadline = _claimed(deadline_id)
    complaint = deadline.complaint
    label = str(DEADLINE_LABELS[DeadlineKind(deadline.kind)])
    notices.tell_users(
        staff,
        "complaint.escalated",
        notices.escalation(complaint, label, _due_label(deadline)),
        notices.staff_path(complaint),
    )
    timeline.add(complaint, "deadline_escalated", ACTOR, public=False, role="system")
    audit.record(
        "complaint.deadline_escalated",
        complaint,
        actor=ACTOR,
        payload={
            "tracking_number": complaint.tracking_number,
            "deadline": deadline.kind,
            "due": _due_label(deadline),
            "warnings_marked_without_sending": [flag[7:9] for flag in skipped],
        },
    )
    return True


def _warn(deadline_id: int, percent: int, now: datetime, staff: list[User]) -> bool:
    if not _claim(deadline_id, f"warned_{percent}_at", now):
        return False
    skipped = []
    if percent == 90 and _claim(deadline_id, "warned_70_at", now):
        skipped.append("70")
    deadline = _claimed(deadline_id)
    complaint = deadline.complaint
    label = str(DEADLINE_LABELS[DeadlineKind(deadline.kind)])
    notices.tell_users(
        _recipients(complaint, staff),
        "complaint.deadline_warning",
        notices.deadline_warning(complaint, label, percent, _due_label(deadline)),
        notices.staff_path(complaint),
    )
    timeline.add(complaint, "deadline_warning", ACTOR, public=False, role="system")
    audit.record(
        "complaint.deadline_warning",
        complaint,
        actor=ACTOR,
        payload={
            "tracking_number": complaint.tracking_number,
            "deadline": deadline.kind,
            "threshold": percent,
            "warnings_marked_without_sending": skipped,
        },
    )
    return True


def _each(ids: list[int], act) -> int:
    """Act on each id; a batch's flags and messages commit together or not at all."""
    done = 0
    for start in range(0, len(ids), BATCH):
        try:
            done += sum(1 for deadline_id in ids[start : start + BATCH] if act(deadline_id))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return done


def sweep(now: datetime | None = None) -> int:
    """One pass over every open deadline; how many messages (warnings, escalations) went."""
    now = now or clock.now()
    staff = notices.staff_users()
    done = _each(
        _candidates(overdue_condition(now), D.escalated_at), lambda i: _escalate(i, now, staff)
    )
    not_overdue = ~overdue_condition(now)
    reached_90 = or_(
        and_(D.paused_since.is_(None), D.at_90 <= now),
        and_(D.paused_since.is_not(None), D.at_90 <= D.paused_since),
    )
    done += _each(
        _candidates(and_(reached_90, not_overdue), D.warned_90_at),
        lambda i: _warn(i, 90, now, staff),
    )
    reached_70 = or_(
        and_(D.paused_since.is_(None), D.at_70 <= now),
        and_(D.paused_since.is_not(None), D.at_70 <= D.paused_since),
    )
    done += _each(
        _candidates(and_(reached_70, not_overdue), D.warned_70_at),
        lambda i: _warn(i, 70, now, staff),
    )
    return done


@scheduler.job("complaints.deadline_watch", minutes=5)
def deadline_watch() -> int:
    return sweep()
