"""Who may see what: object-level rules of complaints.

- Secretariat staff see every complaint (identity masked until they reveal it).
- A committee member sees the complaints whose expert panel they sit on.
- A worker sees the complaints they filed with their account.
- A member agency's users see the complaints about their agency from acceptance on, never
  the complainant's identity unless the complainant agreed to share it.
- Anyone else gets NotFound, the same answer as for a number that does not exist.

Evidence and material files follow the same rule minus the agency: staff, panel members
and the complainant's own account may download them; the agency never.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import uploads
from portal.complaints.models import Complaint, ComplaintMaterial, ComplaintPanelMember
from portal.complaints.receipts import normalize_tracking_number
from portal.complaints.states import AGENCY_VISIBLE
from portal.errors import NotFound, NotPermitted
from portal.extensions import db
from portal.members.models import MemberUser
from portal.security import Role

EVIDENCE_FILES = "complaint"  # StoredFile.owner_type: owner_id is the complaint's id
MATERIAL_FILES = "complaint_material"  # owner_id is the ComplaintMaterial's id


def role_of(actor: Any) -> str | None:
    return getattr(actor, "role", None) if actor is not None else None


def is_staff(actor: Any) -> bool:
    return role_of(actor) == Role.STAFF


def require_staff(actor: Any) -> None:
    if not is_staff(actor):
        raise NotPermitted(_("Only the secretariat may do this."))


def is_complainant(actor: Any, complaint: Complaint) -> bool:
    return (
        role_of(actor) == Role.WORKER
        and complaint.user_id is not None
        and complaint.user_id == actor.id
    )


def on_panel(actor: Any, complaint: Complaint) -> bool:
    if actor is None or role_of(actor) not in (Role.STAFF, Role.COMMITTEE):
        return False
    return any(seat.user_id == actor.id for seat in complaint.panel)


def agency_member_id(actor: Any) -> int | None:
    """The member agency a member user belongs to, or None."""
    if role_of(actor) != Role.MEMBER:
        return None
    return db.session.scalar(select(MemberUser.member_id).where(MemberUser.user_id == actor.id))


def is_agency_of(actor: Any, complaint: Complaint) -> bool:
    member_id = agency_member_id(actor)
    return (
        member_id is not None
        and complaint.member_id == member_id
        and complaint.status in AGENCY_VISIBLE
    )


def can_read_case(actor: Any, complaint: Complaint) -> bool:
    """Staff, a panel member, or the complainant's own account (not the agency)."""
    return is_staff(actor) or on_panel(actor, complaint) or is_complainant(actor, complaint)


def by_number(tracking_number: str) -> Complaint | None:
    number = normalize_tracking_number(tracking_number)
    return db.session.scalar(select(Complaint).where(Complaint.tracking_number == number))


def _not_found() -> NotFound:
    return NotFound(_("No such complaint."))


def for_staff(actor: Any, tracking_number: str) -> Complaint:
    """A complaint as the secretariat (or a panel member) sees it."""
    complaint = by_number(tracking_number)
    if complaint is None or not (is_staff(actor) or on_panel(actor, complaint)):
        raise _not_found()
    return complaint


def own(actor: Any, tracking_number: str) -> Complaint:
    """A complaint the worker filed with their account."""
    complaint = by_number(tracking_number)
    if complaint is None or not is_complainant(actor, complaint):
        raise _not_found()
    return complaint


def for_agency(actor: Any, tracking_number: str) -> Complaint:
    """A complaint about the actor's own agency, once accepted."""
    complaint = by_number(tracking_number)
    if complaint is None or not is_agency_of(actor, complaint):
        raise _not_found()
    return complaint


def panel_complaint_ids(actor: Any):
    return select(ComplaintPanelMember.complaint_id).where(ComplaintPanelMember.user_id == actor.id)


def _may_download_evidence(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    complaint = db.session.get(Complaint, int(owner_id))
    return complaint is not None and can_read_case(actor, complaint)


def _may_download_material(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    material = db.session.get(ComplaintMaterial, int(owner_id))
    return material is not None and can_read_case(actor, material.complaint)


uploads.register_file_access(EVIDENCE_FILES, _may_download_evidence)
uploads.register_file_access(MATERIAL_FILES, _may_download_material)
