"""The complainant's own data: a copy of everything the portal holds about them, and requests
to correct a personal field.

- `export_for_worker(actor)`: a signed-in worker's account and every complaint filed with it
  (`worker_data(actor)` is the same without the audit entry, for their own page);
  `export_for_receipt(number, code)`: one anonymous complaint, for whoever holds both secrets.
  Both give the decrypted personal fields, the material list, the public status history and
  the correction requests. Each export is audited (references only).
- `request_correction(actor, complaint, field, value, reason)`: the complainant's own
  complaint only (account, or the receipt code checked by the caller); `decide_correction`
  (secretariat): accept (the encrypted field is updated) or refuse, with a reason. Staff see
  each request's value and reason masked (`masked_proposal`) until they open it
  (`reveal_proposal`, audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, clock, uploads
from portal.complaints.constants import HEALTH_MAX, NAME_MAX, PHONE_MAX, TEXT_MAX
from portal.complaints.models import Complaint, ComplaintCorrection
from portal.complaints.services import access, identity, timeline, tracking
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.extensions import db
from portal.security import Role

CORRECTABLE = {
    "name": _l("Name"),
    "id_number": _l("ID number"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "health": _l("Health details"),
}
PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"
STATUS_LABELS = {PENDING: _l("Pending"), ACCEPTED: _l("Accepted"), REFUSED: _l("Refused")}
REASON_MIN = 2


def field_label(field: str) -> str:
    return str(CORRECTABLE.get(field, field))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# --- export ---------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _files(owner_type: str, owner_id: int) -> list[dict]:
    return [
        {"name": f.original_name, "media_type": f.media_type, "size": f.size, "sha256": f.sha256}
        for f in uploads.files_of(owner_type, owner_id)
    ]


def _corrections(complaint: Complaint) -> list[ComplaintCorrection]:
    return list(
        db.session.scalars(
            select(ComplaintCorrection)
            .where(ComplaintCorrection.complaint_id == complaint.id)
            .order_by(ComplaintCorrection.id)
        )
    )


def complaint_data(complaint: Complaint) -> dict[str, Any]:
    """One complaint as its complainant may have it: personal fields in full."""
    return {
        "tracking_number": complaint.tracking_number,
        "status": complaint.status,
        "channel": complaint.channel,
        "category": complaint.category,
        "subtype": complaint.subtype,
        "agency_name": complaint.agency_name,
        "description": complaint.description,
        "received_at": _iso(complaint.received_at),
        "closed_at": _iso(complaint.closed_at),
        "erased_at": _iso(complaint.erased_at),
        "share_identity_with_agency": complaint.share_identity_with_agency,
        "personal": {
            "name": complaint.name,
            "id_number": complaint.id_number,
            "phone": complaint.phone,
            "email": complaint.email,
            "health": complaint.health,
        },
        "evidence": _files(access.EVIDENCE_FILES, complaint.id),
        "materials": [
            {
                "added_at": _iso(m.added_at),
                "added_by": m.added_by_role,
                "text": m.text,
                "files": _files(access.MATERIAL_FILES, m.id),
            }
            for m in complaint.materials
        ],
        "status_history": [
            {"at": _iso(item.at), "event": item.kind, "label": item.label, "by": item.who}
            for item in tracking.timeline_items(complaint, public_only=True)
        ],
        "finding": complaint.finding if complaint.resolved_at else None,
        "outcome": complaint.outcome if complaint.resolved_at else None,
        "corrections": [
            {
                "id": c.id,
                "field": c.field,
                "proposed": c.proposed,
                "reason": c.reason,
                "status": c.status,
                "requested_at": _iso(c.requested_at),
                "decided_at": _iso(c.decided_at),
                "decision_reason": c.decision_reason,
            }
            for c in _corrections(complaint)
        ],
    }


def export_for_worker(actor: Any) -> dict[str, Any]:
    """The worker's account and every complaint filed with it, as a copy to take away
    (audited: a copy has left the portal)."""
    data = worker_data(actor)
    audit.record(
        "privacy.data_exported",
        actor,
        actor=actor,
        object_type="users",
        payload={"complaints": [c["tracking_number"] for c in data["complaints"]]},
    )
    return data


def worker_data(actor: Any) -> dict[str, Any]:
    """The worker's account and every complaint filed with it, to show on their own page
    (a read: nothing is recorded)."""
    if getattr(actor, "role", None) != Role.WORKER:
        raise NotFound(_("No such complaint."))
    complaints = list(db.session.scalars(tracking.mine(actor)))
    return {
        "generated_at": _iso(clock.now()),
        "account": {
            "username": actor.username,
            "display_name": actor.display_name,
            "email": actor.email,
            "role": actor.role,
            "created_at": _iso(actor.created_at),
            "last_login_at": _iso(actor.last_login_at),
        },
        "complaints": [complaint_data(c) for c in complaints],
    }


def export_for_receipt(tracking_number: str | None, receipt_code: str | None) -> dict[str, Any]:
    """One complaint for whoever holds its tracking number and receipt code."""
    complaint = tracking.track(tracking_number, receipt_code)
    audit.record(
        "privacy.data_exported",
        complaint,
        actor=None,
        payload={"tracking_number": complaint.tracking_number, "by": "receipt_code"},
    )
    return {
        "generated_at": _iso(clock.now()),
        "account": None,
        "complaints": [complaint_data(complaint)],
    }


# --- corrections ----------------------------------------------------------------------------


def _check_value(field: str, value: str) -> str | None:
    """The problem with a proposed value, or None (the same rules as at filing)."""
    from portal.complaints.services.intake import ComplaintInput, validate

    limits = {"name": NAME_MAX, "phone": PHONE_MAX, "health": HEALTH_MAX}
    if field in limits and len(value) > limits[field]:
        return _("Use at most %(n)d characters.", n=limits[field])
    probe = ComplaintInput(category="", subtype="", description="", **{field: value})
    problems, _member = validate(probe)
    return problems.get(field)


def request_correction(
    actor: Any,
    complaint: Complaint,
    field: str,
    value: str | None,
    reason: str | None,
    *,
    holds_receipt: bool = False,
) -> ComplaintCorrection:
    """Ask for one personal field of one's own complaint to be corrected."""
    if not (holds_receipt or access.is_complainant(actor, complaint)):
        raise NotFound(_("No such complaint."))
    if complaint.erased_at is not None:
        why = _("The personal data of this complaint has been erased.")
        raise Conflict(why, {"field": why})
    problems = {}
    value = (value or "").strip()
    reason = (reason or "").strip()
    if field not in CORRECTABLE:
        problems["field"] = _("Choose the field to correct.")
    elif not value:
        problems["value"] = _("Give the correct value.")
    else:
        problem = _check_value(field, value)
        if problem:
            problems["value"] = problem
    if len(reason) < REASON_MIN:
        problems["reason"] = _("Say why in at least %(n)d characters.", n=REASON_MIN)
    elif len(reason) > TEXT_MAX:
        problems["reason"] = _("Use at most %(n)d characters.", n=TEXT_MAX)
    if problems:
        raise ValidationFailed(_("Some fields need correcting."), problems)
    correction = ComplaintCorrection(
        complaint_id=complaint.id,
        field=field,
        proposed=value,
        reason=reason,
        status=PENDING,
        requested_at=clock.now(),
        requested_by_id=getattr(actor, "id", None) if not holds_receipt else None,
    )
    db.session.add(correction)
    timeline.add(complaint, "correction_requested", actor)
    audit.record(
        "complaint.correction_requested",
        correction,
        actor=actor,
        payload={"tracking_number": complaint.tracking_number, "field": field},
    )
    return correction


def pending_corrections() -> list[ComplaintCorrection]:
    return list(
        db.session.scalars(
            select(ComplaintCorrection)
            .where(ComplaintCorrection.status == PENDING)
            .order_by(ComplaintCorrection.requested_at, ComplaintCorrection.id)
        )
    )


@dataclass(frozen=True)
class Proposal:
    """A correction request's proposed value and the complainant's reason, as staff see them:
    masked until one of them opens it (audited, like the complainant's identity)."""

    value: str | None
    reason: str | None
    masked: bool


def masked_proposal(correction: ComplaintCorrection) -> Proposal:
    return Proposal(
        value=identity.mask_field(correction.field, correction.proposed),
        reason=identity.HIDDEN if correction.reason else None,
        masked=True,
    )


def reveal_proposal(actor: Any, correction: ComplaintCorrection) -> Proposal:
    """The proposed value and reason in full, for the secretariat; every opening is audited."""
    identity.record_opening(
        actor,
        correction.complaint,
        "complaint.correction_revealed",
        correction,
        field=correction.field,
    )
    return Proposal(value=correction.proposed, reason=correction.reason, masked=False)


def correction_for_staff(actor: Any, correction_id: int) -> ComplaintCorrection:
    access.require_staff(actor)
    correction = db.session.get(ComplaintCorrection, correction_id)
    if correction is None:
        raise NotFound(_("No such correction request."))
    return correction


def decide_correction(
    actor: Any, correction: ComplaintCorrection, accept: bool, reason: str | None
) -> ComplaintCorrection:
    """The secretariat accepts (the field takes the proposed value) or refuses, with a reason."""
    access.require_staff(actor)
    if correction.status != PENDING:
        why = _("This correction request has already been decided.")
        raise Conflict(why, {"decision": why})
    reason = (reason or "").strip()
    if not accept and len(reason) < REASON_MIN:
        why = _("Say why in at least %(n)d characters.", n=REASON_MIN)
        raise ValidationFailed(why, {"reason": why})
    complaint = correction.complaint
    if accept:
        if complaint.erased_at is not None:
            why = _("The personal data of this complaint has been erased.")
            raise Conflict(why, {"decision": why})
        setattr(complaint, correction.field, correction.proposed)
        complaint.updated_at = clock.now()
    correction.status = ACCEPTED if accept else REFUSED
    correction.decided_at = clock.now()
    correction.decided_by_id = actor.id
    correction.decision_reason = reason or None
    timeline.add(complaint, f"correction_{correction.status}", actor)
    audit.record(
        f"complaint.correction_{correction.status}",
        correction,
        actor=actor,
        payload={"tracking_number": complaint.tracking_number, "field": correction.field},
    )
    return correction
