"""The complainant's own data (a copy, and corrections) and the secretariat's decisions on
correction requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from portal.api.complaints.schemas import TrackIn
from portal.api.registry import api_route
from portal.api.schemas import Strict
from portal.api.validation import parse_body
from portal.complaints import privacy
from portal.complaints.constants import TEXT_MAX
from portal.complaints.models import ComplaintCorrection
from portal.complaints.services import access, tracking
from portal.complaints.views.public import track_failed, track_limit
from portal.errors import NotFound
from portal.extensions import db, limiter
from portal.security import Role, current_actor, public, roles_required

TAGS = ["complaints", "personal data"]
NO_STORE = {"Cache-Control": "no-store"}
FieldName = Literal["name", "id_number", "phone", "email", "health"]


class PersonalDataOut(BaseModel):
    generated_at: datetime
    account: dict[str, Any] | None = Field(None, description="The worker's account")
    complaints: list[dict[str, Any]] = Field(
        description="Each complaint with its personal fields in full, evidence and material "
        "files (names, sizes, SHA-256), material texts, public status history, corrections"
    )


class CorrectionIn(Strict):
    field: FieldName
    value: str = Field(min_length=1, max_length=TEXT_MAX)
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class TrackCorrectionIn(TrackIn, CorrectionIn):
    pass


class CorrectionOut(BaseModel):
    id: int
    tracking_number: str
    field: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str | None


class StaffCorrectionOut(CorrectionOut):
    proposed: str | None
    reason: str | None
    masked: bool  # true until opened with .../reveal (audited)


class StaffCorrectionList(BaseModel):
    items: list[StaffCorrectionOut]


class DecisionIn(Strict):
    accept: bool
    reason: str = Field("", max_length=TEXT_MAX)


def correction_out(correction: ComplaintCorrection) -> dict:
    return CorrectionOut(
        id=correction.id,
        tracking_number=correction.complaint.tracking_number,
        field=correction.field,
        status=correction.status,
        requested_at=correction.requested_at,
        decided_at=correction.decided_at,
        decision_reason=correction.decision_reason,
    ).model_dump(mode="json")


def staff_correction_out(
    correction: ComplaintCorrection, proposal: privacy.Proposal | None = None
) -> StaffCorrectionOut:
    proposal = proposal or privacy.masked_proposal(correction)
    return StaffCorrectionOut(
        **correction_out(correction),
        proposed=proposal.value,
        reason=proposal.reason,
        masked=proposal.masked,
    )


def _failed() -> NotFound:
    from flask import g

    g.complaint_track_failed = True
    return tracking.track_failed()


@api_route(
    "/me/data",
    summary="Everything the portal holds about the calling worker: the account and every "
    "complaint filed with it, personal fields decrypted (workers)",
    tags=TAGS,
    response=PersonalDataOut,
)
@roles_required(Role.WORKER)
def privacy_my_data():
    data = privacy.export_for_worker(current_actor())
    db.session.commit()
    return data, 200, NO_STORE


@api_route(
    "/complaints/track/data",
    methods=["POST"],
    summary="Everything the portal holds about one complaint, for whoever holds its tracking "
    "number and receipt code (both in the body, never in the URL; rate-limited as tracking)",
    tags=TAGS,
    body=TrackIn,
    response=PersonalDataOut,
    errors=(404, 429),
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def privacy_track_data():
    data = parse_body(TrackIn)
    try:
        result = privacy.export_for_receipt(data.tracking_number, data.receipt_code)
    except NotFound:
        raise _failed() from None
    db.session.commit()
    return result, 200, NO_STORE


@api_route(
    "/me/complaints/<tracking_number>/corrections",
    methods=["POST"],
    summary="Ask the secretariat to correct a personal field of one of the caller's own "
    "complaints (workers)",
    tags=TAGS,
    body=CorrectionIn,
    response=CorrectionOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.WORKER)
def privacy_my_correction(tracking_number: str):
    data = parse_body(CorrectionIn)
    actor = current_actor()
    complaint = access.own(actor, tracking_number)
    correction = privacy.request_correction(actor, complaint, data.field, data.value, data.reason)
    db.session.commit()
    return correction_out(correction), 201


@api_route(
    "/complaints/track/corrections",
    methods=["POST"],
    summary="Ask for a correction of a personal field with the tracking number and receipt "
    "code (in the body)",
    tags=TAGS,
    body=TrackCorrectionIn,
    response=CorrectionOut,
    status=201,
    errors=(404, 409, 422, 429),
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def privacy_track_correction():
    data = parse_body(TrackCorrectionIn)
    try:
        complaint = tracking.track(data.tracking_number, data.receipt_code)
    except NotFound:
        raise _failed() from None
    correction = privacy.request_correction(
        current_actor(), complaint, data.field, data.value, data.reason, holds_receipt=True
    )
    db.session.commit()
    return correction_out(correction), 201


@api_route(
    "/staff/complaint-corrections/<int:correction_id>/reveal",
    methods=["POST"],
    summary="One correction request's proposed value and reason in full (secretariat; every "
    "opening is audited)",
    tags=TAGS,
    response=StaffCorrectionOut,
    errors=(404,),
)
@roles_required(Role.STAFF)
def privacy_reveal_correction(correction_id: int):
    actor = current_actor()
    correction = privacy.correction_for_staff(actor, correction_id)
    proposal = privacy.reveal_proposal(actor, correction)
    db.session.commit()
    return staff_correction_out(correction, proposal).model_dump(mode="json"), 200, NO_STORE


@api_route(
    "/staff/complaint-corrections",
    summary="Pending correction requests, values and reasons masked (secretariat)",
    tags=TAGS,
    response=StaffCorrectionList,
)
@roles_required(Role.STAFF)
def privacy_corrections():
    access.require_staff(current_actor())
    items = [staff_correction_out(c) for c in privacy.pending_corrections()]
    return StaffCorrectionList(items=items).model_dump(mode="json"), 200, NO_STORE


@api_route(
    "/staff/complaint-corrections/<int:correction_id>",
    methods=["POST"],
    summary="Accept (the field is updated) or refuse (a reason is required) a correction "
    "request (secretariat)",
    tags=TAGS,
    body=DecisionIn,
    response=CorrectionOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def privacy_decide_correction(correction_id: int):
    data = parse_body(DecisionIn)
    actor = current_actor()
    correction = privacy.correction_for_staff(actor, correction_id)
    privacy.decide_correction(actor, correction, data.accept, data.reason)
    db.session.commit()
    return correction_out(correction)
