"""The secretariat's queues: by state, by deadline (due today, at risk, overdue), with
filters and a search by tracking number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select

from portal import clock
from portal.complaints.constants import Category, Channel
from portal.complaints.models import Complaint, ComplaintDeadline
from portal.complaints.receipts import normalize_tracking_number
from portal.complaints.states import Status
from portal.extensions import db

QUEUES = ("due_today", "at_risk", "overdue")


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    category: str | None = None
    channel: str | None = None
    member_id: int | None = None
    queue: str | None = None
    handler: str | None = None  # "me", "none" or None
    q: str = ""

    @classmethod
    def clean(
        cls,
        status=None,
        category=None,
        channel=None,
        member_id=None,
        queue=None,
        handler=None,
        q=None,
    ) -> Filters:
        """Unknown values are dropped, so a stale link still shows a list."""
        try:
            member = int(member_id) if member_id not in (None, "") else None
        except (TypeError, ValueError):
            member = None
        return cls(
            status=status if status in set(Status) else None,
            category=category if category in set(Category) else None,
            channel=channel if channel in set(Channel) else None,
            member_id=member,
            queue=queue if queue in QUEUES else None,
            handler=handler if handler in ("me", "none") else None,
            q=" ".join((q or "").split())[:30],
        )


def _open() -> list:
    return [ComplaintDeadline.complaint_id == Complaint.id, ComplaintDeadline.met_at.is_(None)]


def overdue_condition(now: datetime):
    d = ComplaintDeadline
    return or_(
        and_(d.paused_since.is_(None), d.due_at < now),
        and_(d.paused_since.is_not(None), d.paused_since > d.due_at),
    )


def queue_condition(queue: str, now: datetime | None = None):
    now = now or clock.now()
    d = ComplaintDeadline
    if queue == "overdue":
        return exists().where(*_open(), overdue_condition(now))
    if queue == "due_today":
        today = clock.shanghai(now).date()
        return exists().where(*_open(), d.due_date == today, ~overdue_condition(now))
    if queue == "at_risk":
        reached = or_(
            and_(d.paused_since.is_(None), d.at_70 <= now),
            and_(d.paused_since.is_not(None), d.at_70 <= d.paused_since),
        )
        return exists().where(*_open(), reached, ~overdue_condition(now))
    raise ValueError(queue)


def next_due():
    """The earliest open due instant of each complaint (for ordering)."""
    return (
        select(func.min(ComplaintDeadline.due_at))
        .where(*_open())
        .correlate(Complaint)
        .scalar_subquery()
    )


def search(filters: Filters, actor=None, now: datetime | None = None):
    stmt = select(Complaint)
    if filters.status:
        stmt = stmt.where(Complaint.status == filters.status)
    if filters.category:
        stmt = stmt.where(Complaint.category == filters.category)
    if filters.channel:
        stmt = stmt.where(Complaint.channel == filters.channel)
    if filters.member_id is not None:
        stmt = stmt.where(Complaint.member_id == filters.member_id)
    if filters.queue:
        stmt = stmt.where(queue_condition(filters.queue, now))
    if filters.handler == "me" and actor is not None:
        stmt = stmt.where(Complaint.handler_id == actor.id)
    elif filters.handler == "none":
        stmt = stmt.where(Complaint.handler_id.is_(None))
    if filters.q:
        wanted = normalize_tracking_number(filters.q)
        stmt = stmt.where(
            or_(
                Complaint.tracking_number == wanted,
                Complaint.tracking_number.contains(filters.q.upper()),
            )
        )
    due = next_due()
    return stmt.order_by(due.is_(None), due, Complaint.received_at.desc(), Complaint.id.desc())


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(Complaint.status, func.count()).group_by(Complaint.status))
    found = {status: n for status, n in rows}
    return {s.value: found.get(s.value, 0) for s in Status}


def queue_counts(now: datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    return {
        queue: db.session.scalar(
            select(func.count()).select_from(Complaint).where(queue_condition(queue, now))
        )
        or 0
        for queue in QUEUES
    }


def escalated(limit: int = 10):
    """The most recent escalations: overdue complaints shown to the head of the secretariat."""
    return list(
        db.session.execute(
            select(Complaint, ComplaintDeadline)
            .join(ComplaintDeadline, ComplaintDeadline.complaint_id == Complaint.id)
            .where(ComplaintDeadline.escalated_at.is_not(None), ComplaintDeadline.met_at.is_(None))
            .order_by(ComplaintDeadline.escalated_at.desc())
            .limit(limit)
        )
    )
