"""The first-session deadline: the first session is scheduled within 3 working days of the
complaint's acceptance (`calendar.deadline_from_instant`: the day of acceptance is not
counted; the deadline is the end of the 3rd working day after it, Asia/Shanghai). It is
stored on the case as a UTC instant with its 70% and 90% instants, recomputed when the
calendar changes, and met when the first session is scheduled."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal import audit, calendar, clock
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.states import DEADLINE_RUNS

FIRST_SESSION_DAYS = 3
WARN_70, WARN_90 = 0.7, 0.9


def apply(case: MediationCase, start_at: datetime | None = None) -> bool:
    """(Re)compute the deadline from its start; True if the due instant changed."""
    if start_at is not None:
        case.first_due_start_at = start_at
    before = case.first_due_at
    due = calendar.deadline_from_instant(case.first_due_start_at, FIRST_SESSION_DAYS)
    case.first_due_date = due.due
    case.first_due_at = due.due_at.astimezone(UTC)
    case.first_due_provisional = due.provisional
    span = case.first_due_at - case.first_due_start_at
    case.at_70 = case.first_due_start_at + span * WARN_70
    case.at_90 = case.first_due_start_at + span * WARN_90
    return before is not None and before != case.first_due_at


def fraction(case: MediationCase, now: datetime | None = None) -> float:
    end = case.first_session_met_at or now or clock.now()
    span = (case.first_due_at - case.first_due_start_at).total_seconds()
    if span <= 0:
        return 1.0
    return max(0.0, (end - case.first_due_start_at).total_seconds() / span)


def state(case: MediationCase, now: datetime | None = None) -> str:
    """running, overdue, met, met_late, or stopped (the case ended before a session)."""
    now = now or clock.now()
    if case.first_session_met_at is not None:
        return "met" if case.first_session_met_at <= case.first_due_at else "met_late"
    if case.status not in DEADLINE_RUNS:
        return "stopped"
    return "overdue" if now > case.first_due_at else "running"


@calendar.on_calendar_change
def recompute_open(changed_dates: set[date]) -> int:
    changed = 0
    rows = db.session.scalars(
        db.select(MediationCase).where(
            MediationCase.first_session_met_at.is_(None),
            MediationCase.status.in_([s.value for s in DEADLINE_RUNS]),
        )
    ).all()
    for case in rows:
        old = case.first_due_date
        if apply(case):
            changed += 1
            audit.record(
                "mediation.deadline_recomputed",
                case,
                actor="calendar",
                payload={"from": old.isoformat(), "to": case.first_due_date.isoformat()},
            )
    return changed
