"""`mediation.first_session_watch`: warnings at 70% and 90% of the first-session deadline and
escalation when it passes with no session scheduled; each sent exactly once.

As in `complaints.deadline_watch`: every item is claimed with a conditional UPDATE (`SET
warned_70_at = now WHERE id = ? AND warned_70_at IS NULL`) and acted on only if it changed
one row, with its notices and audit entry in the same transaction, committed per item. A
case found overdue is escalated once and its unsent warnings are marked done without
being sent; one found past 90% gets only the 90% warning. Warnings go to the secretariat,
escalations to every secretariat user, and the case shows as overdue in the list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from portal import audit, clock, notifications, scheduler
from portal.complaints.services.notices import staff_users
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.services import notices, timeline
from portal.mediation.states import DEADLINE_RUNS

ACTOR = "scheduler:mediation.first_session_watch"
C = MediationCase


def _claim(case_id: int, column: str, now: datetime) -> bool:
    flag = getattr(C, column)
    result = db.session.execute(
        update(C).where(C.id == case_id, flag.is_(None)).values({column: now})
    )
    return result.rowcount == 1


def _candidates(condition, flag) -> list[int]:
    return list(
        db.session.scalars(
            select(C.id)
            .where(
                C.first_session_met_at.is_(None),
                C.status.in_([s.value for s in DEADLINE_RUNS]),
                flag.is_(None),
                condition,
            )
            .order_by(C.first_due_at)
        )
    )


def _tell(case: MediationCase, percent: int | None) -> None:
    title, body = notices.deadline_text(case, percent)
    kind = "mediation.escalated" if percent is None else "mediation.deadline_warning"
    for user in staff_users():
        notifications.notify(
            user, kind=kind, title=title, body=body, link=notices.staff_path(case), email=False
        )


def _act(case_id: int, percent: int | None, now: datetime) -> bool:
    column = "escalated_at" if percent is None else f"warned_{percent}_at"
    if not _claim(case_id, column, now):
        return False
    lower = {None: ("warned_70_at", "warned_90_at"), 90: ("warned_70_at",), 70: ()}[percent]
    skipped = [flag[7:9] for flag in lower if _claim(case_id, flag, now)]
    case = db.session.get(C, case_id)
    db.session.refresh(case)
    _tell(case, percent)
    kind = "deadline_escalated" if percent is None else "deadline_warning"
    timeline.add(case, kind, ACTOR, public=False, role="system")
    audit.record(
        f"mediation.{kind}",
        case,
        actor=ACTOR,
        payload={
            "number": case.number,
            "due": case.first_due_date.isoformat(),
            "threshold": percent,
            "warnings_marked_without_sending": skipped,
        },
    )
    return True


def _each(ids, percent, now) -> int:
    done = 0
    for case_id in ids:
        try:
            if _act(case_id, percent, now):
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return done


def sweep(now: datetime | None = None) -> int:
    """One pass; how many messages (warnings, escalations) went."""
    now = now or clock.now()
    done = _each(_candidates(C.first_due_at < now, C.escalated_at), None, now)
    not_overdue = C.first_due_at >= now
    done += _each(_candidates((C.at_90 <= now) & not_overdue, C.warned_90_at), 90, now)
    done += _each(_candidates((C.at_70 <= now) & not_overdue, C.warned_70_at), 70, now)
    return done


def overdue(now: datetime | None = None):
    """Cases whose first session is overdue (for the staff list)."""
    now = now or clock.now()
    return (
        select(C)
        .where(
            C.first_session_met_at.is_(None),
            C.status.in_([s.value for s in DEADLINE_RUNS]),
            C.first_due_at < now,
        )
        .order_by(C.first_due_at)
    )


@scheduler.job("mediation.first_session_watch", minutes=5)
def first_session_watch() -> int:
    return sweep()
