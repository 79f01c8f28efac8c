"""Deadlines of complaints, counted in working days on the statutory calendar.

- Accept or reject within 5 working days of receipt (`decision`); close a simple complaint
  within 5 and a complex one within 30 working days of acceptance (`resolution`).
- The day of the event is never counted (`calendar.due_date`): a complaint received at any
  time on a day, make-up Saturday included, starts counting the next day. Receipt is the
  Asia/Shanghai date of the instant the complaint was stored.
- Asking for missing material pauses the resolution clock. When the material arrives the
  pause ends and the due date moves later by the working days the pause held: with p the
  pause date and r the resume date, `remaining = working_days_between(p, due)` and the new
  due date is `add_working_days(r, remaining)`, which is `working_days_between(p, r)`
  working days after the old one. A pause that starts after the due date (the deadline is
  already missed) holds nothing. Paused time is never lost: the due date is always
  `base_due_date` plus the sum of the pauses' `working_days_held`, in working days.
- Each deadline keeps what it was computed from (start date, working days, pauses), so a
  change to the calendar recomputes every open deadline (`recompute_open`, registered with
  `calendar.on_calendar_change`); a deadline that counted a day of a year without an
  official calendar is `provisional` until that year's calendar is loaded.
- `fraction(deadline, now)`: the share of the span from start to due that has elapsed,
  paused time excluded (it stands still during a pause). `at_70` and `at_90` store when it
  reaches 0.7 and 0.9 (if no further pause comes), so queues and the sweep can query them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal import audit, calendar, clock
from portal.complaints.constants import DEADLINE_LABELS, WARN_70, WARN_90, DeadlineKind
from portal.complaints.models import Complaint, ComplaintDeadline, ComplaintPause
from portal.extensions import db


def shanghai_date(instant: datetime) -> date:
    return clock.shanghai(instant).date()


def _provisional(start: date, due: date) -> bool:
    """Whether any counted day, in (start, due], lies in a year without official data."""
    if due <= start:
        return False
    official = calendar.official_years()
    first = (start + timedelta(days=1)).year
    return any(year not in official for year in range(first, due.year + 1))


def _replay(deadline: ComplaintDeadline) -> tuple[date, date, int]:
    """(base due date, due date with the pauses added back, paused working days), and each
    finished pause's `working_days_held` set on the way."""
    base = calendar.add_working_days(deadline.start_date, deadline.working_days)
    due, held_total = base, 0
    finished = [p for p in deadline.pauses if p.ended_at is not None]
    for pause in sorted(finished, key=lambda p: (p.started_at, p.id or 0)):
        paused_on, resumed_on = shanghai_date(pause.started_at), shanghai_date(pause.ended_at)
        if paused_on > due:
            held = 0  # already missed: a pause cannot revive it
        else:
            remaining = calendar.working_days_between(paused_on, due)
            held = max(0, calendar.working_days_between(paused_on, resumed_on))
            due = calendar.add_working_days(max(resumed_on, paused_on), remaining)
        pause.working_days_held = held
        held_total += held
    return base, due, held_total


def _apply(deadline: ComplaintDeadline) -> bool:
    """Recompute the stored due date, instant, flag and thresholds; True if they changed."""
    before = (deadline.due_at, deadline.provisional) if deadline.due_at else None
    with db.session.no_autoflush:  # the calendar is read while the row is half computed
        base, due, held = _replay(deadline)
        provisional = _provisional(deadline.start_date, due)
    deadline.base_due_date, deadline.due_date, deadline.paused_working_days = base, due, held
    deadline.due_at = calendar.end_of_day(due).astimezone(UTC)
    deadline.provisional = provisional
    paused = timedelta(seconds=deadline.paused_seconds or 0)
    span = deadline.due_at - deadline.start_at - paused
    origin = deadline.start_at + paused
    deadline.at_70 = origin + span * WARN_70
    deadline.at_90 = origin + span * WARN_90
    return before is not None and before != (deadline.due_at, deadline.provisional)


def open_deadline(complaint: Complaint, kind: DeadlineKind, start_at: datetime, n: int):
    deadline = ComplaintDeadline(
        kind=kind.value,
        working_days=n,
        start_at=start_at,
        start_date=shanghai_date(start_at),
        paused_seconds=0,
        paused_working_days=0,
        provisional=False,
    )
    _apply(deadline)
    complaint.deadlines.append(deadline)
    return deadline


def meet(complaint: Complaint, kind: DeadlineKind, at: datetime) -> None:
    deadline = complaint.deadline(kind.value)
    if deadline is not None and deadline.met_at is None:
        if deadline.paused_since is not None:
            _end_pause(deadline, at)
        deadline.met_at = at


def pause(complaint: Complaint, at: datetime) -> int:
    """Stop every running, open deadline; how many were stopped."""
    stopped = 0
    for deadline in complaint.deadlines:
        if deadline.met_at is None and deadline.paused_since is None:
            pause_row = ComplaintPause(started_at=at)
            with db.session.no_autoflush:  # both references first, then the row
                complaint.pauses.append(pause_row)
                deadline.pauses.append(pause_row)
            deadline.paused_since = at
            stopped += 1
    return stopped


def _end_pause(deadline: ComplaintDeadline, at: datetime) -> None:
    for item in deadline.pauses:
        if item.ended_at is None:
            item.ended_at = max(at, item.started_at)
            deadline.paused_seconds = (deadline.paused_seconds or 0) + int(
                (item.ended_at - item.started_at).total_seconds()
            )
    deadline.paused_since = None
    _apply(deadline)


def resume(complaint: Complaint, at: datetime) -> int:
    """Start the paused deadlines again, adding the paused working days back."""
    resumed = 0
    for deadline in complaint.deadlines:
        if deadline.paused_since is not None:
            _end_pause(deadline, at)
            resumed += 1
    return resumed


@calendar.on_calendar_change
def recompute_open(changed_dates: set[date]) -> int:
    """Recompute every open deadline from its start, working days and pauses; how many
    moved or stopped (or started) being provisional. Called in the calendar change's
    transaction."""
    changed = 0
    deadlines = db.session.scalars(
        db.select(ComplaintDeadline).where(ComplaintDeadline.met_at.is_(None))
    ).all()
    for deadline in deadlines:
        old_due, old_flag = deadline.due_date, deadline.provisional
        if _apply(deadline):
            changed += 1
            audit.record(
                "complaint.deadline_recomputed",
                object_type="complaints",
                object_id=deadline.complaint_id,
                actor="calendar",
                payload={
                    "deadline": deadline.kind,
                    "from": old_due.isoformat(),
                    "to": deadline.due_date.isoformat(),
                    "provisional": [old_flag, deadline.provisional],
                },
            )
    return changed


def fraction(deadline: ComplaintDeadline, now: datetime) -> float:
    """How much of the deadline's span has elapsed (0.0 at the start, 1.0 at the due
    instant), paused time excluded; it stands still while paused and once met."""
    end = deadline.met_at or now
    if deadline.paused_since is not None and deadline.paused_since < end:
        end = deadline.paused_since
    paused = timedelta(seconds=deadline.paused_seconds or 0)
    span = deadline.due_at - deadline.start_at - paused
    if span.total_seconds() <= 0:
        return 1.0
    return max(0.0, (end - deadline.start_at - paused) / span)


def is_overdue(deadline: ComplaintDeadline, now: datetime) -> bool:
    """Open and past its due instant (a pause that began before the due instant holds it)."""
    if deadline.met_at is not None:
        return False
    if deadline.paused_since is not None:
        return deadline.paused_since > deadline.due_at
    return now > deadline.due_at


@dataclass(frozen=True)
class PausedSpan:
    started_at: datetime
    ended_at: datetime | None
    working_days_held: int | None


@dataclass(frozen=True)
class Clock:
    """A deadline as pages and the API show it."""

    kind: str
    label: str
    working_days: int
    start_at: datetime
    due_date: date
    due_at: datetime
    base_due_date: date
    provisional: bool
    percent: int  # 0-100 for the progress bar
    state: str  # running, paused, overdue, met, met_late
    paused_working_days: int
    pauses: tuple[PausedSpan, ...]
    warned_70: bool
    warned_90: bool
    escalated: bool
    met_at: datetime | None


def clocks(complaint: Complaint, now: datetime | None = None) -> list[Clock]:
    now = now or clock.now()
    views = []
    for deadline in sorted(complaint.deadlines, key=lambda d: d.start_at):
        share = fraction(deadline, now)
        if deadline.met_at is not None:
            state = "met" if deadline.met_at <= deadline.due_at else "met_late"
        elif is_overdue(deadline, now):
            state = "overdue"
        elif deadline.paused_since is not None:
            state = "paused"
        else:
            state = "running"
        views.append(
            Clock(
                kind=deadline.kind,
                label=str(DEADLINE_LABELS[DeadlineKind(deadline.kind)]),
                working_days=deadline.working_days,
                start_at=deadline.start_at,
                due_date=deadline.due_date,
                due_at=deadline.due_at,
                base_due_date=deadline.base_due_date,
                provisional=deadline.provisional,
                percent=max(0, min(100, int(share * 100))),
                state=state,
                paused_working_days=deadline.paused_working_days,
                pauses=tuple(
                    PausedSpan(p.started_at, p.ended_at, p.working_days_held)
                    for p in deadline.pauses
                ),
                warned_70=deadline.warned_70_at is not None,
                warned_90=deadline.warned_90_at is not None,
                escalated=deadline.escalated_at is not None,
                met_at=deadline.met_at,
            )
        )
    return views


def describe(deadline: ComplaintDeadline) -> dict[str, Any]:
    """References only, for audit payloads."""
    return {"deadline": deadline.kind, "due": deadline.due_date.isoformat()}
