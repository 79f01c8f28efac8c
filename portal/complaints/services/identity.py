"""The complainant's identity: masked for the secretariat until one of them opens it (an
audited action), shown to the agency only when the complainant agreed, never published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal import audit
from portal.complaints.models import Complaint
from portal.complaints.services import access, timeline
from portal.crypto import mask, mask_id_number, mask_name, mask_phone


@dataclass(frozen=True)
class Identity:
    name: str | None
    id_number: str | None
    phone: str | None
    email: str | None
    health: str | None
    masked: bool

    @property
    def given(self) -> bool:
        return any((self.name, self.id_number, self.phone, self.email, self.health))


def _mask_email(value: str | None) -> str | None:
    if not value:
        return None
    local, _at, domain = value.partition("@")
    return f"{mask(local, 1, 0)}@{domain}" if domain else mask(value)


HIDDEN = "••••"  # a field with nothing worth showing in part (health details)
MASKERS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "email": _mask_email,
}
FIELDS = ("name", "id_number", "phone", "email", "health")


def mask_field(field: str, value: str | None) -> str | None:
    """One personal field as the secretariat sees it before opening it: enough to tell
    people apart, no more."""
    if not value:
        return None
    return MASKERS[field](value) if field in MASKERS else HIDDEN


def masked(complaint: Complaint) -> Identity:
    """What the secretariat sees by default."""
    return Identity(
        **{field: mask_field(field, getattr(complaint, field)) for field in FIELDS}, masked=True
    )


def record_opening(actor: Any, complaint: Complaint, action: str, subject: Any, **details):
    """Secretariat only: the audit entry and the staff timeline line of one opening of a
    complainant's personal data (the identity, or a correction request's values)."""
    access.require_staff(actor)
    audit.record(
        action,
        subject,
        actor=actor,
        payload={"tracking_number": complaint.tracking_number, **details},
    )
    timeline.add(complaint, "identity_revealed", actor, public=False)


def reveal(actor: Any, complaint: Complaint) -> Identity:
    """The identity in full, for the secretariat only; every opening is audited."""
    record_opening(actor, complaint, "complaint.identity_revealed", complaint)
    return Identity(
        name=complaint.name,
        id_number=complaint.id_number,
        phone=complaint.phone,
        email=complaint.email,
        health=complaint.health,
        masked=False,
    )


def for_agency(complaint: Complaint) -> Identity | None:
    """The name and ID number when the complainant agreed to share them; else None."""
    if not complaint.share_identity_with_agency:
        return None
    return Identity(
        name=complaint.name,
        id_number=complaint.id_number,
        phone=None,
        email=None,
        health=None,
        masked=False,
    )
