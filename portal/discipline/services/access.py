"""Who may see and do what in discipline.

- The secretariat (staff) sees and runs every case, decision, appeal and breach report.
- A member agency's users see their own agency's decisions (never the case file: the
  findings reach them in the decision), appeal them, report rectification, and report and
  read their own breaches.
- Committee members vote through the committees' pages; the motion carries the case.
- Anyone else gets NotFound, the same answer as for a number that does not exist.

Evidence files follow the case: staff only.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import uploads
from portal.discipline.models import BreachReport, CaseEvidence, Decision, DisciplineCase
from portal.errors import NotFound, NotPermitted
from portal.extensions import db
from portal.members.models import MemberUser
from portal.security import Role

EVIDENCE_FILES = "discipline_evidence"  # owner_id: the CaseEvidence's id
APPEAL_FILES = "discipline_appeal"  # owner_id: the Appeal's id
RECTIFICATION_FILES = "discipline_rectification"  # owner_id: the Decision's id


def is_staff(actor: Any) -> bool:
    return getattr(actor, "role", None) == Role.STAFF


def require_staff(actor: Any) -> None:
    if not is_staff(actor):
        raise NotPermitted(_("Only the secretariat may do this."))


def agency_of(actor: Any) -> int | None:
    """The member agency a member user belongs to, or None."""
    if getattr(actor, "role", None) != Role.MEMBER:
        return None
    return db.session.scalar(select(MemberUser.member_id).where(MemberUser.user_id == actor.id))


def is_agency_of(actor: Any, member_id: int) -> bool:
    own = agency_of(actor)
    return own is not None and own == member_id


def case_for_staff(actor: Any, case_id: int) -> DisciplineCase:
    case = db.session.get(DisciplineCase, case_id)
    if case is None or not is_staff(actor):
        raise NotFound(_("No such case."))
    return case


def decision_for_staff(actor: Any, decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None or not is_staff(actor):
        raise NotFound(_("No such decision."))
    return decision


def can_read_decision(actor: Any, decision: Decision) -> bool:
    return is_staff(actor) or is_agency_of(actor, decision.member_id)


def own_decision(actor: Any, decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None or not is_agency_of(actor, decision.member_id):
        raise NotFound(_("No such decision."))
    return decision


def breach_for(actor: Any, breach_id: int) -> BreachReport:
    breach = db.session.get(BreachReport, breach_id)
    if breach is None or not (is_staff(actor) or is_agency_of(actor, breach.member_id)):
        raise NotFound(_("No such report."))
    return breach


def _may_download_evidence(actor: Any, owner_id: str) -> bool:
    return (
        owner_id.isdigit()
        and is_staff(actor)
        and db.session.get(CaseEvidence, int(owner_id)) is not None
    )


def _may_download_appeal(actor: Any, owner_id: str) -> bool:
    from portal.discipline.models import Appeal

    if not owner_id.isdigit():
        return False
    appeal = db.session.get(Appeal, int(owner_id))
    return appeal is not None and can_read_decision(actor, appeal.decision)


def _may_download_rectification(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    decision = db.session.get(Decision, int(owner_id))
    return decision is not None and can_read_decision(actor, decision)


uploads.register_file_access(EVIDENCE_FILES, _may_download_evidence)
uploads.register_file_access(APPEAL_FILES, _may_download_appeal)
uploads.register_file_access(RECTIFICATION_FILES, _may_download_rectification)
