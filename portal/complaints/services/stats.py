"""De-identified public statistics of closed complaints: counts by category, by member (only
members with at least one closed complaint; agency names are public), by finding, and the
share closed on time. Nothing about any person is read here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.complaints.constants import (
    CATEGORY_LABELS,
    FINDING_LABELS,
    Category,
    DeadlineKind,
    Finding,
)
from portal.complaints.models import Complaint, ComplaintDeadline
from portal.complaints.states import Status
from portal.extensions import db
from portal.members.models import Member


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Statistics:
    closed: int
    closed_on_time: int
    by_category: list[Row]
    by_finding: list[Row]
    by_member: list[Row]

    @property
    def on_time_share(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def on_time_percent(self) -> int | None:
        share = self.on_time_share
        return None if share is None else round(share * 100)


def _closed():
    return Complaint.status == Status.CLOSED.value


def compute() -> Statistics:
    closed = db.session.scalar(select(func.count()).select_from(Complaint).where(_closed())) or 0
    on_time = (
        db.session.scalar(
            select(func.count())
            .select_from(Complaint)
            .join(ComplaintDeadline, ComplaintDeadline.complaint_id == Complaint.id)
            .where(
                _closed(),
                ComplaintDeadline.kind == DeadlineKind.RESOLUTION.value,
                ComplaintDeadline.met_at.is_not(None),
                ComplaintDeadline.met_at <= ComplaintDeadline.due_at,
            )
        )
        or 0
    )
    categories = dict(
        db.session.execute(
            select(Complaint.category, func.count()).where(_closed()).group_by(Complaint.category)
        ).all()
    )
    findings = dict(
        db.session.execute(
            select(Complaint.finding, func.count()).where(_closed()).group_by(Complaint.finding)
        ).all()
    )
    members = db.session.execute(
        select(Member.member_no, Member.name, func.count(Complaint.id))
        .join(Complaint, Complaint.member_id == Member.id)
        .where(_closed(), Member.member_no.is_not(None))
        .group_by(Member.id, Member.member_no, Member.name)
        .order_by(func.count(Complaint.id).desc(), Member.name)
    ).all()
    return Statistics(
        closed=closed,
        closed_on_time=on_time,
        by_category=[
            Row(c.value, str(CATEGORY_LABELS[c]), categories.get(c.value, 0)) for c in Category
        ],
        by_finding=[
            Row(f.value, str(FINDING_LABELS[f]), findings.get(f.value, 0)) for f in Finding
        ],
        by_member=[Row(no, name, n) for no, name, n in members],
    )
