"""Who may see and do what in a mediation case: object-level rules, as predicates.

- Secretariat staff see every case and run it.
- A committee member sees only the cases whose current panel they sit on.
- The complainant sees their case: through their account, or (an anonymous complaint)
  with the complaint's tracking number and receipt code, sent in a POST body, never a URL.
- The agency complained about (its member users) sees its cases.
- Anyone else, administrators included, gets NotFound: the same answer as for a case that
  does not exist.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import uploads
from portal.complaints.services import access as complaint_access
from portal.complaints.services import tracking
from portal.errors import NotFound, NotPermitted
from portal.extensions import db
from portal.mediation.models import MediationCase, MediationDocument, MediationPanelSeat
from portal.security import Role

DOCUMENT_FILES = "mediation_document"  # StoredFile.owner_type; owner_id: the document's id

COMPLAINANT = "complainant"
AGENCY = "agency"


def role_of(actor: Any) -> str | None:
    return getattr(actor, "role", None) if actor is not None else None


def is_staff(actor: Any) -> bool:
    return role_of(actor) == Role.STAFF


def require_staff(actor: Any) -> None:
    if not is_staff(actor):
        raise NotPermitted(_("Only the secretariat may do this."))


def on_panel(actor: Any, case: MediationCase) -> bool:
    if role_of(actor) != Role.COMMITTEE:
        return False
    return any(seat.user_id == actor.id for seat in case.panel)


def is_complainant(actor: Any, case: MediationCase) -> bool:
    return complaint_access.is_complainant(actor, case.complaint)


def is_agency(actor: Any, case: MediationCase) -> bool:
    member_id = complaint_access.agency_member_id(actor)
    return member_id is not None and member_id == case.member_id


def party_of(actor: Any, case: MediationCase, *, holds_receipt: bool = False) -> str | None:
    if holds_receipt or is_complainant(actor, case):
        return COMPLAINANT
    if is_agency(actor, case):
        return AGENCY
    return None


def can_read(actor: Any, case: MediationCase, *, holds_receipt: bool = False) -> bool:
    return (
        holds_receipt
        or is_staff(actor)
        or on_panel(actor, case)
        or party_of(actor, case) is not None
    )


def sees_identity(actor: Any, case: MediationCase, *, holds_receipt: bool = False) -> str:
    """How the complainant's identity is shown to `actor`: "full" (the complainant
    themself), "masked" (staff and the panel; staff open it on the complaint's page, an
    audited action), "shared" (the agency, when the complainant agreed) or "none"."""
    if party_of(actor, case, holds_receipt=holds_receipt) == COMPLAINANT:
        return "full"
    if is_staff(actor) or on_panel(actor, case):
        return "masked"
    if is_agency(actor, case) and case.complaint.share_identity_with_agency:
        return "shared"
    return "none"


def by_number(number: str) -> MediationCase | None:
    value = (number or "").strip().upper()
    if not value or len(value) > 20:
        return None
    return db.session.scalar(select(MediationCase).where(MediationCase.number == value))


def of_complaint(complaint_id: int) -> MediationCase | None:
    return db.session.scalar(
        select(MediationCase).where(MediationCase.complaint_id == complaint_id)
    )


def _not_found() -> NotFound:
    return NotFound(_("No such mediation case."))


def for_actor(actor: Any, number: str) -> MediationCase:
    """The case if `actor` may read it; NotFound otherwise (no hint that it exists)."""
    case = by_number(number)
    if case is None or not can_read(actor, case):
        raise _not_found()
    return case


def for_staff(actor: Any, number: str) -> MediationCase:
    case = by_number(number)
    if case is None or not is_staff(actor):
        raise _not_found()
    return case


def by_receipt(tracking_number: str | None, receipt_code: str | None) -> MediationCase:
    """The case of the complaint whose receipt code matches; the same NotFound as a failed
    tracking attempt otherwise."""
    complaint = tracking.track(tracking_number, receipt_code)
    case = of_complaint(complaint.id)
    if case is None:
        raise tracking.track_failed()
    return case


def visible_to(actor: Any):
    """The cases `actor` may list, newest first (the same rule as `can_read`)."""
    from portal.complaints.models import Complaint

    stmt = select(MediationCase).order_by(MediationCase.proposed_at.desc(), MediationCase.id.desc())
    role = role_of(actor)
    if role == Role.STAFF:
        return stmt
    if role == Role.COMMITTEE:
        seats = select(MediationPanelSeat.case_id).where(MediationPanelSeat.user_id == actor.id)
        return stmt.where(MediationCase.id.in_(seats))
    if role == Role.WORKER:
        mine = select(Complaint.id).where(Complaint.user_id == actor.id)
        return stmt.where(MediationCase.complaint_id.in_(mine))
    if role == Role.MEMBER:
        member_id = complaint_access.agency_member_id(actor)
        return stmt.where(MediationCase.member_id == (member_id if member_id else -1))
    return stmt.where(MediationCase.id == -1)


def _may_download(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    document = db.session.get(MediationDocument, int(owner_id))
    return document is not None and can_read(actor, document.case)


uploads.register_file_access(DOCUMENT_FILES, _may_download)
