"""Public intake and tracking, the complainant's material and own complaints, statistics."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from portal.api.complaints.schemas import (
    CaseList,
    CaseOut,
    ComplaintIn,
    FiledOut,
    MaterialIn,
    MaterialOut,
    StatRow,
    StatsOut,
    TrackIn,
    page_info,
)
from portal.api.registry import api_route
from portal.api.schemas import PageQuery
from portal.api.validation import parse_body, parse_query
from portal.complaints import receipts
from portal.complaints.services import access, intake, stats, tracking, workflow
from portal.complaints.services.intake import ComplaintInput, Submission, Upload
from portal.complaints.views.public import track_failed, track_limit
from portal.errors import NotFound, ValidationFailed
from portal.extensions import db, limiter
from portal.open_data import cacheable
from portal.security import Role, current_actor, public, roles_required

IDEMPOTENCY_HEADER = "Idempotency-Key"


def complaint_input(data: ComplaintIn) -> ComplaintInput:
    return ComplaintInput(
        category=data.category,
        subtype=data.subtype,
        description=data.description,
        member_no=data.member_no,
        agency_name=data.agency_name,
        name=data.name,
        id_number=data.id_number,
        phone=data.phone,
        email=data.email,
        health=data.health,
        share_identity_with_agency=data.share_identity_with_agency,
    )


def submission_from_request(kind: str) -> Submission:
    """The Idempotency-Key (scoped to the caller) with the body's fingerprint; without the
    header, a fresh one-time key (every request files a complaint)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return Submission(f"{kind}-once", receipts.new_form_token())
    if not receipts.IDEMPOTENCY_RE.match(key):
        why = _("Use 16 to 128 letters, digits or the characters - _ . : (a UUID will do).")
        raise ValidationFailed(
            _("The Idempotency-Key header is not valid."), {IDEMPOTENCY_HEADER: why}
        )
    actor = current_actor()
    scope = f"{kind}:{actor.id if actor is not None else 'anonymous'}"
    return Submission(scope, key, receipts.fingerprint(request.get_json(silent=True) or {}))


def uploads_of(files) -> list[Upload]:
    return [Upload(item.data(), item.name) for item in files]


def filed_answer(filed):
    body = FiledOut(
        tracking_number=filed.complaint.tracking_number,
        receipt_code=filed.receipt_code,
        status=filed.complaint.status,
        duplicate=filed.duplicate,
    ).model_dump()
    return body, 200 if filed.duplicate else 201


@api_route(
    "/complaints",
    methods=["POST"],
    summary="File a complaint, anonymously or (with a worker's token) under the account. "
    "An `Idempotency-Key` header (16-128 characters) makes a retry return the first answer "
    "instead of filing twice.",
    tags=["complaints"],
    body=ComplaintIn,
    response=FiledOut,
    status=201,
    errors=(409, 422),
)
@public
def complaint_file():
    data = parse_body(ComplaintIn)
    filed = intake.file_complaint(
        current_actor(),
        complaint_input(data),
        submission=submission_from_request("api"),
        files=uploads_of(data.files),
    )
    db.session.commit()
    return filed_answer(filed)


def _failed() -> NotFound:
    g.complaint_track_failed = True
    return tracking.track_failed()


@api_route(
    "/complaints/track",
    methods=["POST"],
    summary="A complaint's status, deadlines, public timeline and feedback, for whoever holds "
    "its tracking number and receipt code (both in the body; limited to 10 failed attempts "
    "a minute and 50 a day per address)",
    tags=["complaints"],
    body=TrackIn,
    response=CaseOut,
    errors=(404, 429),
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def complaint_track():
    data = parse_body(TrackIn)
    try:
        complaint = tracking.track(data.tracking_number, data.receipt_code)
    except NotFound:
        raise _failed() from None
    response = CaseOut.of(tracking.public_view(complaint)).model_dump(mode="json")
    return response, 200, {"Cache-Control": "no-store"}


@api_route(
    "/complaints/<tracking_number>/material",
    methods=["POST"],
    summary="Add material to a complaint: the complainant with their token, anyone with the "
    "receipt code in the body, or the secretariat. Material asked for restarts the paused "
    "deadline. Honors `Idempotency-Key`.",
    tags=["complaints"],
    body=MaterialIn,
    response=MaterialOut,
    status=201,
    errors=(404, 409, 422, 429),
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def complaint_add_material(tracking_number: str):
    data = parse_body(MaterialIn)
    actor = current_actor()
    complaint = access.by_number(tracking_number)
    holds_receipt = False
    if complaint is None or not (access.is_staff(actor) or access.is_complainant(actor, complaint)):
        if data.receipt_code is None:
            raise NotFound(_("No such complaint."))
        try:
            complaint = tracking.track(tracking_number, data.receipt_code)
        except NotFound:
            raise _failed() from None
        holds_receipt = True
    header = request.headers.get(IDEMPOTENCY_HEADER)
    material = workflow.add_material(
        actor,
        complaint,
        data.text,
        files=uploads_of(data.files),
        submission=submission_from_request("api-material") if header else None,
        holds_receipt=holds_receipt,
    )
    db.session.commit()
    files = len(access_files(material.id))
    return MaterialOut(
        id=material.id,
        added_at=material.added_at,
        added_by=material.added_by_role,
        files=files,
        status=complaint.status,
    ).model_dump(mode="json"), 201


def access_files(material_id: int) -> list:
    from portal import uploads

    return uploads.files_of(access.MATERIAL_FILES, material_id)


@api_route(
    "/me/complaints",
    summary="The caller's own complaints (workers)",
    tags=["complaints"],
    query=PageQuery,
    response=CaseList,
)
@roles_required(Role.WORKER)
def complaint_mine():
    query = parse_query(PageQuery)
    page = db.paginate(
        tracking.mine(current_actor()), page=query.page, per_page=query.per_page, error_out=False
    )
    return CaseList(
        items=[CaseOut.of(tracking.public_view(c)) for c in page.items], page=page_info(page)
    ).model_dump(mode="json")


@api_route(
    "/me/complaints/<tracking_number>",
    summary="One of the caller's own complaints (workers)",
    tags=["complaints"],
    response=CaseOut,
    errors=(404,),
)
@roles_required(Role.WORKER)
def complaint_mine_one(tracking_number: str):
    complaint = access.own(current_actor(), tracking_number)
    return CaseOut.of(tracking.public_view(complaint)).model_dump(mode="json")


@api_route(
    "/public/complaint-stats",
    summary="De-identified statistics of closed complaints: by category, member and finding, "
    "and the share closed on time",
    tags=["complaints", "public"],
    response=StatsOut,
)
@public
@cacheable()
def complaint_stats():
    result = stats.compute()

    def rows(items):
        return [StatRow(key=r.key, label=r.label, count=r.count) for r in items]

    return StatsOut(
        closed=result.closed,
        closed_on_time=result.closed_on_time,
        on_time_share=result.on_time_share,
        by_category=rows(result.by_category),
        by_finding=rows(result.by_finding),
        by_member=rows(result.by_member),
    ).model_dump()
