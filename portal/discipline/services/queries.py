"""Lists for the secretariat's queue and the agency's pages (select statements)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.discipline.models import Appeal, BreachReport, Decision, DisciplineCase
from portal.discipline.states import AppealStatus, BreachStatus, CaseStatus, DecisionStatus
from portal.extensions import db


def cases(status: str | None = None, member_id: int | None = None):
    stmt = select(DisciplineCase)
    if status:
        stmt = stmt.where(DisciplineCase.status == status)
    if member_id:
        stmt = stmt.where(DisciplineCase.member_id == member_id)
    return stmt.order_by(DisciplineCase.updated_at.desc(), DisciplineCase.id.desc())


def case_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(DisciplineCase.status, func.count()).group_by(DisciplineCase.status)
    ).all()
    return {status.value: 0 for status in CaseStatus} | dict(rows)


def decisions(status: str | None = None, member_id: int | None = None):
    stmt = select(Decision)
    if status:
        stmt = stmt.where(Decision.status == status)
    if member_id:
        stmt = stmt.where(Decision.member_id == member_id)
    return stmt.order_by(Decision.decided_at.desc(), Decision.id.desc())


def decision_counts() -> dict[str, int]:
    rows = db.session.execute(select(Decision.status, func.count()).group_by(Decision.status)).all()
    return {status.value: 0 for status in DecisionStatus} | dict(rows)


def pending_appeals() -> list[Appeal]:
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.status.in_([AppealStatus.PENDING.value, AppealStatus.VOTING.value]))
            .order_by(Appeal.due_at)
        )
    )


def breaches(status: str | None = None, member_id: int | None = None, late: bool | None = None):
    stmt = select(BreachReport)
    if status:
        stmt = stmt.where(BreachReport.status == status)
    if member_id:
        stmt = stmt.where(BreachReport.member_id == member_id)
    if late is not None:
        stmt = stmt.where(BreachReport.late.is_(late))
    return stmt.order_by(BreachReport.reported_at.desc(), BreachReport.id.desc())


def late_breaches_to_handle() -> list[BreachReport]:
    return list(db.session.scalars(breaches(BreachStatus.RECEIVED.value, late=True).limit(50)))
