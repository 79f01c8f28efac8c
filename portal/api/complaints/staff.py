"""The secretariat's work through the API: the queues, one complaint, every action, hotline
and walk-in intake, bulk assignment and the audited reveal of the complainant's identity."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from portal import clock
from portal.api.complaints.public import (
    complaint_input,
    filed_answer,
    submission_from_request,
    uploads_of,
)
from portal.api.complaints.schemas import (
    CaseOut,
    ChannelName,
    ClockOut,
    EventOut,
    FiledOut,
    FindingName,
    StaffComplaintIn,
    StatusName,
    page_info,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo, PageQuery, Strict
from portal.api.validation import parse_body, parse_query
from portal.complaints.constants import REASON_MIN, TEXT_MAX
from portal.complaints.models import Complaint
from portal.complaints.services import (
    access,
    deadlines,
    identity,
    intake,
    queries,
    tracking,
    workflow,
)
from portal.extensions import db
from portal.security import Role, current_actor, roles_required

TAGS = ["complaints", "secretariat"]


class StaffQuery(PageQuery):
    status: StatusName | None = None
    category: Literal["service_quality", "violation", "rights_infringement"] | None = None
    channel: ChannelName | None = None
    member_id: int | None = None
    queue: Literal["due_today", "at_risk", "overdue"] | None = None
    handler: Literal["me", "none"] | None = None
    q: str = Field("", max_length=30, description="Part of a tracking number")


class IdentityOut(BaseModel):
    name: str | None
    id_number: str | None
    phone: str | None
    email: str | None
    health: str | None
    masked: bool


class PanelSeatOut(BaseModel):
    field: Literal["clinical", "legal", "industry"]
    user_id: int
    display_name: str


class MaterialItem(BaseModel):
    id: int
    text: str
    added_at: datetime
    added_by: str
    files: list[str] = Field(description="File uids, for GET /api/v1/files/{uid}")


class ResponseItem(BaseModel):
    id: int
    text: str
    created_at: datetime


class StaffCaseSummary(BaseModel):
    tracking_number: str
    status: StatusName
    channel: ChannelName
    category: str
    subtype: str
    member_id: int | None
    agency_name: str
    received_at: datetime
    complexity: Literal["simple", "complex"] | None
    handler_id: int | None
    deadlines: list[ClockOut]


class StaffCase(StaffCaseSummary):
    description: str
    identity: IdentityOut
    share_identity_with_agency: bool
    rejection_reason: str | None
    material_request: str | None
    finding: FindingName | None
    outcome: str | None
    panel: list[PanelSeatOut]
    materials: list[MaterialItem]
    responses: list[ResponseItem]
    evidence: list[str]
    timeline: list[EventOut]


class StaffList(BaseModel):
    items: list[StaffCaseSummary]
    page: PageInfo
    by_status: dict[str, int]
    by_queue: dict[str, int]


def _summary(complaint: Complaint, now: datetime) -> dict:
    return {
        "tracking_number": complaint.tracking_number,
        "status": complaint.status,
        "channel": complaint.channel,
        "category": complaint.category,
        "subtype": complaint.subtype,
        "member_id": complaint.member_id,
        "agency_name": complaint.agency_name,
        "received_at": complaint.received_at,
        "complexity": complaint.complexity,
        "handler_id": complaint.handler_id,
        "deadlines": [ClockOut.of(c) for c in deadlines.clocks(complaint, now)],
    }


def staff_case(complaint: Complaint, shown: identity.Identity | None = None) -> dict:
    from portal import uploads

    shown = shown or identity.masked(complaint)
    return StaffCase(
        **_summary(complaint, clock.now()),
        description=complaint.description,
        identity=IdentityOut(**{k: getattr(shown, k) for k in IdentityOut.model_fields}),
        share_identity_with_agency=complaint.share_identity_with_agency,
        rejection_reason=tracking.rejection_text(complaint),
        material_request=complaint.material_request,
        finding=complaint.finding,
        outcome=complaint.outcome,
        panel=[
            PanelSeatOut(field=s.field, user_id=s.user_id, display_name=s.user.display_name)
            for s in complaint.panel
        ],
        materials=[
            MaterialItem(
                id=m.id,
                text=m.text,
                added_at=m.added_at,
                added_by=m.added_by_role,
                files=[f.uid for f in uploads.files_of(access.MATERIAL_FILES, m.id)],
            )
            for m in complaint.materials
        ],
        responses=[
            ResponseItem(id=r.id, text=r.text, created_at=r.created_at) for r in complaint.responses
        ],
        evidence=[f.uid for f in uploads.files_of(access.EVIDENCE_FILES, complaint.id)],
        timeline=[
            EventOut(at=e.at, kind=e.kind, label=e.label, who=e.who, note=e.note)
            for e in tracking.timeline_items(complaint, public_only=False)
        ],
    ).model_dump(mode="json")


@api_route(
    "/staff/complaints",
    summary="The complaint queues, with filters",
    tags=TAGS,
    query=StaffQuery,
    response=StaffList,
)
@roles_required(Role.STAFF)
def complaint_staff_list():
    query = parse_query(StaffQuery)
    filters = queries.Filters.clean(
        status=query.status,
        category=query.category,
        channel=query.channel,
        member_id=query.member_id,
        queue=query.queue,
        handler=query.handler,
        q=query.q,
    )
    now = clock.now()
    page = db.paginate(
        queries.search(filters, current_actor(), now),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return StaffList(
        items=[StaffCaseSummary(**_summary(c, now)) for c in page.items],
        page=page_info(page),
        by_status=queries.counts_by_status(),
        by_queue=queries.queue_counts(now),
    ).model_dump(mode="json")


@api_route(
    "/staff/complaints",
    methods=["POST"],
    summary="Enter a hotline or walk-in complaint on the complainant's behalf "
    "(honors `Idempotency-Key`); the receipt code is for the complainant",
    tags=TAGS,
    body=StaffComplaintIn,
    response=FiledOut,
    status=201,
    errors=(409, 422),
)
@roles_required(Role.STAFF)
def complaint_staff_file():
    data = parse_body(StaffComplaintIn)
    filed = intake.file_complaint(
        current_actor(),
        complaint_input(data),
        channel=data.channel,
        submission=submission_from_request("api-staff"),
        files=uploads_of(data.files),
    )
    db.session.commit()
    return filed_answer(filed)


@api_route(
    "/staff/complaints/<tracking_number>",
    summary="One complaint, identity masked",
    tags=TAGS,
    response=StaffCase,
    errors=(404,),
)
@roles_required(Role.STAFF)
def complaint_staff_get(tracking_number: str):
    return staff_case(access.for_staff(current_actor(), tracking_number))


class AcceptIn(Strict):
    complexity: Literal["simple", "complex"]


class ReasonIn(Strict):
    reason: str = Field(
        min_length=1,
        max_length=TEXT_MAX,
        description=f"At least {REASON_MIN} characters; the complainant reads it",
    )


class RequestIn(Strict):
    message: str = Field(min_length=1, max_length=TEXT_MAX)


class PanelIn(Strict):
    clinical: int = Field(description="A staff or committee user's id")
    legal: int
    industry: int


class ResolveIn(Strict):
    finding: FindingName
    outcome: str = Field(min_length=1, max_length=TEXT_MAX)


class HandlerIn(Strict):
    handler_id: int


class BulkHandlerIn(Strict):
    tracking_numbers: list[str] = Field(min_length=1, max_length=200)
    handler_id: int


class BulkHandlerOut(BaseModel):
    assigned: list[str]
    skipped: list[str] = Field(description="Closed or rejected complaints, left as they were")


def _act(tracking_number: str, call) -> dict:
    actor = current_actor()
    complaint = access.for_staff(actor, tracking_number)
    call(actor, complaint)
    db.session.commit()
    return staff_case(complaint)


def _action(rule: str, summary: str, body=None):
    return api_route(
        f"/staff/complaints/<tracking_number>/{rule}",
        methods=["POST"],
        summary=summary,
        tags=TAGS,
        body=body,
        response=StaffCase,
        errors=(404, 409, 422),
    )


@_action("accept", "Accept, classified simple (5 working days) or complex (30)", AcceptIn)
@roles_required(Role.STAFF)
def complaint_accept(tracking_number: str):
    data = parse_body(AcceptIn)
    return _act(tracking_number, lambda a, c: workflow.accept(a, c, data.complexity))


@_action("reject", "Reject, with the reason the complainant reads", ReasonIn)
@roles_required(Role.STAFF)
def complaint_reject(tracking_number: str):
    data = parse_body(ReasonIn)
    return _act(tracking_number, lambda a, c: workflow.reject(a, c, data.reason))


@_action("start-investigation", "Start the investigation of an accepted complaint")
@roles_required(Role.STAFF)
def complaint_start(tracking_number: str):
    return _act(tracking_number, workflow.start_investigation)


@_action(
    "request-material", "Ask the complainant for missing material (pauses the clock)", RequestIn
)
@roles_required(Role.STAFF)
def complaint_request_material(tracking_number: str):
    data = parse_body(RequestIn)
    return _act(tracking_number, lambda a, c: workflow.request_material(a, c, data.message))


@_action("assign-panel", "Seat the expert panel of a complex complaint", PanelIn)
@roles_required(Role.STAFF)
def complaint_assign_panel(tracking_number: str):
    data = parse_body(PanelIn)
    return _act(tracking_number, lambda a, c: workflow.assign_panel(a, c, data.model_dump()))


@_action("resolve", "Resolve with a finding and the outcome sent to the complainant", ResolveIn)
@roles_required(Role.STAFF)
def complaint_resolve(tracking_number: str):
    data = parse_body(ResolveIn)
    return _act(tracking_number, lambda a, c: workflow.resolve(a, c, data.finding, data.outcome))


@_action("close", "Close a resolved complaint (it then counts in the public statistics)")
@roles_required(Role.STAFF)
def complaint_close(tracking_number: str):
    return _act(tracking_number, workflow.close)


@_action("assign-handler", "Give the complaint to a secretariat handler", HandlerIn)
@roles_required(Role.STAFF)
def complaint_assign_handler(tracking_number: str):
    data = parse_body(HandlerIn)
    return _act(tracking_number, lambda a, c: workflow.assign_handler(a, [c], data.handler_id))


@_action("reveal-identity", "The complainant's identity in full (every opening is audited)")
@roles_required(Role.STAFF)
def complaint_reveal_identity(tracking_number: str):
    actor = current_actor()
    complaint = access.for_staff(actor, tracking_number)
    shown = identity.reveal(actor, complaint)
    db.session.commit()
    return staff_case(complaint, shown), 200, {"Cache-Control": "no-store"}


@api_route(
    "/staff/complaints/assign-handler",
    methods=["POST"],
    summary="Give several complaints to one secretariat handler",
    tags=TAGS,
    body=BulkHandlerIn,
    response=BulkHandlerOut,
    errors=(422,),
)
@roles_required(Role.STAFF)
def complaint_bulk_assign():
    data = parse_body(BulkHandlerIn)
    chosen = list(
        db.session.scalars(
            select(Complaint).where(Complaint.tracking_number.in_(data.tracking_numbers))
        )
    )
    assigned, skipped = workflow.assign_handler(current_actor(), chosen, data.handler_id)
    db.session.commit()
    return BulkHandlerOut(
        assigned=[c.tracking_number for c in assigned], skipped=[c.tracking_number for c in skipped]
    ).model_dump()


__all__ = ["CaseOut"]
