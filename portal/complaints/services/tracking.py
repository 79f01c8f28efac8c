"""Following a complaint: with its tracking number and receipt code (anyone who holds both),
or through the complainant's account. Both see the same public view: status, deadlines,
the public timeline and the feedback. A failed attempt answers the same whether or not the
tracking number exists, and costs the same time (argon2 runs either way)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock
from portal.complaints import receipts
from portal.complaints.constants import (
    CATEGORY_LABELS,
    FINDING_LABELS,
    REJECTION_TEXTS,
    SUBTYPE_LABELS,
    label,
)
from portal.complaints.models import Complaint
from portal.complaints.services import access, deadlines
from portal.complaints.services.timeline import event_label, role_word
from portal.complaints.states import Status, status_label
from portal.errors import NotFound
from portal.extensions import db


def track_failed() -> NotFound:
    return NotFound(
        _("No complaint matches this tracking number and receipt code. Check both and try again."),
        {"receipt_code": _("Check the tracking number and the receipt code.")},
    )


def track(tracking_number: str | None, receipt_code: str | None) -> Complaint:
    """The complaint if the code matches its number; the same NotFound otherwise."""
    complaint = access.by_number(tracking_number or "")
    stored = complaint.receipt_hash if complaint is not None else None
    if not receipts.verify_code(stored, receipt_code) or complaint is None:
        raise track_failed()
    return complaint


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str
    label: str
    who: str
    note: str | None


@dataclass(frozen=True)
class PublicView:
    """What the complainant may read: no internal notes, no other person's data."""

    complaint: Complaint
    tracking_number: str
    status: str
    status_label: str
    category_label: str
    subtype_label: str
    agency_name: str
    received_at: datetime
    clocks: list
    timeline: list[TimelineItem]
    rejection: str | None
    material_request: str | None
    finding: str | None
    finding_label: str | None
    outcome: str | None
    resolved_at: datetime | None
    may_add_material: bool
    materials: int


def rejection_text(complaint: Complaint) -> str | None:
    if complaint.status != Status.REJECTED.value:
        return None
    if complaint.rejection_code in REJECTION_TEXTS:
        return str(REJECTION_TEXTS[complaint.rejection_code])
    return complaint.rejection_reason


# Notes the complainant may read on public events: the reasons and requests addressed to them.
PUBLIC_NOTES = frozenset({"rejected", "material_requested"})


def timeline_items(complaint: Complaint, *, public_only: bool) -> list[TimelineItem]:
    return [
        TimelineItem(
            at=event.at,
            kind=event.kind,
            label=event_label(event.kind),
            who=role_word(event.actor_role),
            note=event.note if (not public_only or event.kind in PUBLIC_NOTES) else None,
        )
        for event in complaint.events
        if event.public or not public_only
    ]


def public_view(complaint: Complaint, now: datetime | None = None) -> PublicView:
    from portal.complaints.states import allowed

    resolved = complaint.status in (Status.RESOLVED.value, Status.CLOSED.value)
    return PublicView(
        complaint=complaint,
        tracking_number=complaint.tracking_number,
        status=complaint.status,
        status_label=status_label(complaint.status),
        category_label=label(CATEGORY_LABELS, complaint.category),
        subtype_label=label(SUBTYPE_LABELS, complaint.subtype),
        agency_name=complaint.agency_name,
        received_at=complaint.received_at,
        clocks=deadlines.clocks(complaint, now or clock.now()),
        timeline=timeline_items(complaint, public_only=True),
        rejection=rejection_text(complaint),
        material_request=complaint.material_request
        if complaint.status == Status.AWAITING_MATERIAL.value
        else None,
        finding=complaint.finding if resolved else None,
        finding_label=label(FINDING_LABELS, complaint.finding) if resolved else None,
        outcome=complaint.outcome if resolved else None,
        resolved_at=complaint.resolved_at if resolved else None,
        may_add_material=allowed(complaint.status, "add_material"),
        materials=len(complaint.materials),
    )


def mine(actor: Any):
    """The worker's own complaints, newest first."""
    return (
        select(Complaint)
        .where(Complaint.user_id == actor.id)
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
    )


def about_my_agency(actor: Any):
    """Complaints about the member user's agency that it may see, newest first."""
    from portal.complaints.states import AGENCY_VISIBLE

    member_id = access.agency_member_id(actor)
    return (
        select(Complaint)
        .where(Complaint.member_id == (member_id if member_id is not None else -1))
        .where(Complaint.status.in_([s.value for s in AGENCY_VISIBLE]))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
    )


def on_my_panels(actor: Any):
    return (
        select(Complaint)
        .where(Complaint.id.in_(access.panel_complaint_ids(actor)))
        .order_by(Complaint.received_at.desc())
    )


def count(statement) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
