"""The secretariat's side: the queue, and approving, rejecting or returning an application.

Approval is refused while a hard rule of the checklist fails on the day (the failing rules
are named in the error's fields, by rule code). Approving a new application issues the
membership number `OHA-<year>-<5 digits>` from a counter row per year, incremented in the
approving transaction: PostgreSQL locks the row until the commit, SQLite holds the write
lock from BEGIN IMMEDIATE, and the unique `members.member_no` is the last guard. Approving
a renewal or change replaces the member's credentials and clears "qualification lapsed"
(they pass the checklist, so they are valid).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal import audit, clock
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.extensions import db
from portal.members.models import MEMBER_NO_PREFIX, Application, Member, MembershipCounter
from portal.members.services import notices
from portal.members.services.access import require_secretariat
from portal.members.services.applications import checklist
from portal.members.services.credentials import apply_approved
from portal.members.states import Action, ApplicationKind, ApplicationStatus, next_status

REASON_MIN = 5
REASON_MAX = 2000


def queue(status: str | None = ApplicationStatus.SUBMITTED.value, kind: str | None = None):
    """Applications by status (default: awaiting review), oldest submission first."""
    stmt = select(Application).join(Member, Member.id == Application.member_id)
    if status:
        stmt = stmt.where(Application.status == status)
    else:
        stmt = stmt.where(Application.status != ApplicationStatus.DRAFT.value)
    if kind:
        stmt = stmt.where(Application.kind == kind)
    return stmt.order_by(Application.submitted_at.asc().nulls_last(), Application.id)


def queue_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(Application.status, func.count()).group_by(Application.status)
    ).all()
    return {status: count for status, count in rows}


def for_review(actor: Any, application_id: int) -> Application:
    require_secretariat(actor)
    application = db.session.get(Application, application_id)
    if application is None or application.status == ApplicationStatus.DRAFT.value:
        raise NotFound(_("No such application."))  # drafts are the applicant's own
    return application


def allocate_member_no(year: int) -> str:
    """The next membership number of `year`, from its counter row (in the caller's
    transaction, which holds the row until it commits)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(MembershipCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": MembershipCounter.last + 1})
        .returning(MembershipCounter.last)
    )
    number = db.session.execute(statement).scalar_one()
    return f"{MEMBER_NO_PREFIX}-{year}-{number:05d}"


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) < REASON_MIN:
        why = _(
            "Give the reason, so the applicant knows what to do (at least %(n)s characters).",
            n=REASON_MIN,
        )
        raise ValidationFailed(why, {"reason": why})
    if len(text) > REASON_MAX:
        why = _("At most %(n)s characters.", n=REASON_MAX)
        raise ValidationFailed(why, {"reason": why})
    return text


def _decide(actor: Any, application: Application, action: Action, reason: str | None):
    target = next_status(application.status, action)
    before = application.status
    application.status = target.value
    application.decided_at = clock.now()
    application.decided_by_id = actor.id
    application.decision_reason = reason
    application.updated_at = clock.now()
    return before, target


def approve(actor: Any, application: Application) -> Application:
    require_secretariat(actor)
    next_status(application.status, Action.APPROVE)  # refuse early, before the checks
    today = clock.today()
    result = checklist(application, today)
    if not result.passed:
        failures = result.hard_failures
        raise Conflict(
            _(
                "The application cannot be approved: %(n)s requirement(s) fail: %(rules)s",
                n=len(failures),
                rules=" ".join(f.reason for f in failures),
            ),
            {failure.code: failure.reason for failure in failures},
        )
    member = application.member
    code = application.draft.get("credit_code")
    holder = db.session.scalar(
        select(Member.id).where(Member.credit_code == code, Member.id != member.id)
    )
    if holder is not None:
        why = _("This credit code is registered to another member.")
        raise Conflict(why, {"credit_code": why})
    before, target = _decide(actor, application, Action.APPROVE, None)
    admitted = member.member_no is None
    if admitted:
        member.member_no = allocate_member_no(today.year)
        member.approved_at = clock.now()
    apply_approved(member, application)
    member.credentials_approved_at = clock.now()
    application.member_no_issued = member.member_no
    audit.record(
        "member_application.approved",
        application,
        actor=actor,
        payload={
            "from": before,
            "to": target.value,
            "kind": application.kind,
            "member_id": member.id,
            "member_no": member.member_no,
        },
    )
    audit.record(
        "member.admitted" if admitted else "member.credentials_replaced",
        member,
        actor=actor,
        payload={"application_id": application.id, "member_no": member.member_no},
    )
    if member.qualification_lapsed:
        member.qualification_lapsed, member.lapsed_since = False, None
        audit.record(
            "member.qualification_restored",
            member,
            actor=actor,
            payload={"application_id": application.id},
        )
    _tell(application, "member_application.approved")
    return application


def reject(actor: Any, application: Application, reason: str | None) -> Application:
    require_secretariat(actor)
    next_status(application.status, Action.REJECT)
    text = _reason(reason)
    before, target = _decide(actor, application, Action.REJECT, text)
    audit.record(
        "member_application.rejected",
        application,
        actor=actor,
        payload={"from": before, "to": target.value, "kind": application.kind},
    )
    _tell(application, "member_application.rejected")
    return application


def return_for_correction(actor: Any, application: Application, reason: str | None) -> Application:
    require_secretariat(actor)
    next_status(application.status, Action.RETURN)
    text = _reason(reason)
    before, target = _decide(actor, application, Action.RETURN, text)
    audit.record(
        "member_application.returned",
        application,
        actor=actor,
        payload={"from": before, "to": target.value, "kind": application.kind},
    )
    _tell(application, "member_application.returned")
    return application


def _tell(application: Application, kind: str) -> None:
    member = application.member
    label = application.kind_enum

    def text() -> tuple[str, str]:
        if kind == "member_application.approved":
            if label is ApplicationKind.NEW:
                return (
                    _("Your membership application is approved"),
                    _(
                        "Welcome to the association. Your membership number is %(no)s.",
                        no=member.member_no,
                    ),
                )
            return (
                _("Your application is approved"),
                _(
                    "%(kind)s %(id)s is approved; your credentials are updated.",
                    kind=label.label,
                    id=application.id,
                ),
            )
        if kind == "member_application.rejected":
            return (
                _("Your application is rejected"),
                _(
                    "%(kind)s %(id)s is rejected. Reason: %(reason)s",
                    kind=label.label,
                    id=application.id,
                    reason=application.decision_reason,
                ),
            )
        return (
            _("Your application is returned for correction"),
            _(
                "%(kind)s %(id)s needs correcting before it can be approved: %(reason)s",
                kind=label.label,
                id=application.id,
                reason=application.decision_reason,
            ),
        )

    notices.tell_member(member, kind, text, link=notices.agency_application_path(application.id))
