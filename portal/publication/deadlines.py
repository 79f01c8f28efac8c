"""The credit-repair decision deadline: 10 working days after the application, computed by
portal/calendar.py and stored on the application (`due_date`, `due_at`, and `warn_at` at
70% of the span). A change to the calendar recomputes every undecided application's."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from portal import audit, calendar
from portal.extensions import db
from portal.publication import constants as c
from portal.publication.models import CreditRepair
from portal.publication.states import RepairStatus


def apply_deadline(repair: CreditRepair, applied_at: datetime) -> bool:
    """Set the repair's deadline from its application time; True if it changed."""
    deadline = calendar.deadline_from_instant(applied_at, c.REPAIR_DECISION_WORKING_DAYS)
    warn_at = applied_at + (deadline.due_at - applied_at) * c.REPAIR_WARN_AT
    changed = repair.due_date != deadline.due
    repair.due_date, repair.due_at, repair.warn_at = deadline.due, deadline.due_at, warn_at
    return changed


@calendar.on_calendar_change
def recompute_open(changed_dates: set[date]) -> int:
    """Recompute the deadline of every undecided application; how many moved. Called in the
    calendar change's transaction."""
    moved = 0
    repairs = db.session.scalars(
        select(CreditRepair).where(CreditRepair.status == RepairStatus.SUBMITTED.value)
    ).all()
    for repair in repairs:
        old = repair.due_date
        if apply_deadline(repair, repair.applied_at):
            moved += 1
            audit.record(
                "publication.repair_deadline_recomputed",
                repair,
                actor="calendar",
                payload={"from": old.isoformat(), "to": repair.due_date.isoformat()},
            )
    return moved
