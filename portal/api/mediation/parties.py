"""Reading a mediation case (staff, its panel, its parties), the parties' steps, documents,
the case file as PDF; and the same for an anonymous complainant, who proves the case with
the complaint's tracking number and receipt code in the body (never in a URL)."""

from __future__ import annotations

from flask import g

from portal.api.complaints.schemas import FileIn
from portal.api.mediation.schemas import (
    CaseList,
    CaseOut,
    CaseSummary,
    ConfirmIn,
    CorrectionIn,
    DeclineIn,
    DocumentIn,
    TrackConfirmIn,
    TrackDeclineIn,
    TrackIn,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo, PageQuery
from portal.api.validation import parse_body, parse_query
from portal.complaints.views.public import track_failed, track_limit
from portal.errors import NotFound
from portal.extensions import db, limiter
from portal.mediation.services import access, casefile, cases, documents, outcome
from portal.security import Role, current_actor, public, roles_required

TAGS = ["mediation"]
READERS = (Role.STAFF, Role.COMMITTEE, Role.WORKER, Role.MEMBER)
PARTIES = (Role.WORKER, Role.MEMBER)


def case_answer(actor, case, *, holds_receipt: bool = False) -> dict:
    view = casefile.build(actor, case, holds_receipt=holds_receipt)
    return CaseOut.of(view).model_dump(mode="json")


def summary_list(query: PageQuery) -> dict:
    page = db.paginate(
        access.visible_to(current_actor()),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return CaseList(
        items=[
            CaseSummary(
                number=c.number,
                status=c.status,
                tracking_number=c.complaint.tracking_number,
                agency_name=c.complaint.agency_name,
                first_session_due=c.first_due_date,
            )
            for c in page.items
        ],
        page=PageInfo.of(page),
    ).model_dump(mode="json")


def _upload(file: FileIn | None) -> documents.FileUpload | None:
    return documents.FileUpload(file.data(), file.name) if file is not None else None


@api_route(
    "/mediation",
    summary="The mediation cases the caller may read: a worker's own, an agency's, a panel "
    "member's panels, every case for the secretariat",
    tags=TAGS,
    query=PageQuery,
    response=CaseList,
)
@roles_required(*READERS)
def mediation_list():
    return summary_list(parse_query(PageQuery))


@api_route(
    "/mediation/<number>",
    summary="One mediation case file (the complainant's identity as far as the caller is entitled)",
    tags=TAGS,
    response=CaseOut,
    errors=(404,),
)
@roles_required(*READERS)
def mediation_case(number: str):
    actor = current_actor()
    return case_answer(actor, access.for_actor(actor, number))


@api_route(
    "/mediation/<number>/file.pdf",
    summary="The whole case file as PDF (Chinese font embedded; 503 when the server has no "
    "CJK font: use the printable page)",
    tags=TAGS,
    errors=(404, 503),
)
@roles_required(*READERS)
def mediation_case_pdf(number: str):
    from portal.mediation.views.export import pdf_response

    actor = current_actor()
    return pdf_response(actor, access.for_actor(actor, number))


@api_route(
    "/mediation/<number>/consent",
    methods=["POST"],
    summary="A party (the complainant's account or the agency) agrees to mediation; the "
    "second agreement opens the case and proposes the panel",
    tags=TAGS,
    response=CaseOut,
    errors=(404, 409),
)
@roles_required(*PARTIES)
def mediation_consent(number: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    cases.consent(actor, case)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/mediation/<number>/decline",
    methods=["POST"],
    summary="A party declines mediation; the complaint continues as before",
    tags=TAGS,
    body=DeclineIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(*PARTIES)
def mediation_decline(number: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    data = parse_body(DeclineIn)
    cases.decline(actor, case, reason=data.reason)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/mediation/<number>/confirm",
    methods=["POST"],
    summary="A party confirms the agreement text of `version` (recorded with its time); "
    "after both, the text is frozen and the complaint closed",
    tags=TAGS,
    body=ConfirmIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(*PARTIES)
def mediation_confirm(number: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    data = parse_body(ConfirmIn)
    outcome.confirm(actor, case, version=data.version)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/mediation/<number>/documents",
    methods=["POST"],
    summary="Add evidence or a document (text and/or a PDF, PNG or JPEG file) to the "
    "append-only case file",
    tags=TAGS,
    body=DocumentIn,
    response=CaseOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(*READERS)
def mediation_add_document(number: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    data = parse_body(DocumentIn)
    documents.add(
        actor, case, kind=data.kind, title=data.title, text=data.text, upload=_upload(data.file)
    )
    db.session.commit()
    return case_answer(actor, case), 201


@api_route(
    "/mediation/<number>/documents/<key>/versions",
    methods=["POST"],
    summary="Correct a document: a new version; the earlier ones stay",
    tags=TAGS,
    body=CorrectionIn,
    response=CaseOut,
    status=201,
    errors=(403, 404, 409, 422),
)
@roles_required(*READERS)
def mediation_correct_document(number: str, key: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    data = parse_body(CorrectionIn)
    documents.correct(actor, case, key, text=data.text, upload=_upload(data.file), note=data.note)
    db.session.commit()
    return case_answer(actor, case), 201


# --- the anonymous complainant: the receipt code in the body --------------------------------


def _proved(data: TrackIn):
    try:
        return access.by_receipt(data.tracking_number, data.receipt_code)
    except NotFound:
        g.complaint_track_failed = True
        raise


_TRACK = {"tags": TAGS, "errors": (404, 409, 422, 429)}


@api_route(
    "/mediation/track",
    methods=["POST"],
    summary="The mediation case of an anonymous complaint, for whoever holds its tracking "
    "number and receipt code (in the body)",
    body=TrackIn,
    response=CaseOut,
    **_TRACK,
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def mediation_track():
    case = _proved(parse_body(TrackIn))
    return (
        case_answer(current_actor(), case, holds_receipt=True),
        200,
        {"Cache-Control": "no-store"},
    )


@api_route(
    "/mediation/track/consent",
    methods=["POST"],
    summary="The anonymous complainant agrees to mediation (receipt code in the body)",
    body=TrackIn,
    response=CaseOut,
    **_TRACK,
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def mediation_track_consent():
    case = _proved(parse_body(TrackIn))
    cases.consent(current_actor(), case, holds_receipt=True)
    db.session.commit()
    return case_answer(current_actor(), case, holds_receipt=True)


@api_route(
    "/mediation/track/decline",
    methods=["POST"],
    summary="The anonymous complainant declines mediation (receipt code in the body)",
    body=TrackDeclineIn,
    response=CaseOut,
    **_TRACK,
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def mediation_track_decline():
    data = parse_body(TrackDeclineIn)
    case = _proved(data)
    cases.decline(current_actor(), case, holds_receipt=True, reason=data.reason)
    db.session.commit()
    return case_answer(current_actor(), case, holds_receipt=True)


@api_route(
    "/mediation/track/confirm",
    methods=["POST"],
    summary="The anonymous complainant confirms the agreement text of `version`",
    body=TrackConfirmIn,
    response=CaseOut,
    **_TRACK,
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def mediation_track_confirm():
    data = parse_body(TrackConfirmIn)
    case = _proved(data)
    outcome.confirm(current_actor(), case, version=data.version, holds_receipt=True)
    db.session.commit()
    return case_answer(current_actor(), case, holds_receipt=True)


@api_route(
    "/mediation/track/file",
    methods=["POST"],
    summary="The case file as PDF for the anonymous complainant (receipt code in the body)",
    body=TrackIn,
    errors=(404, 429, 503),
)
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def mediation_track_file():
    from portal.mediation.views.export import pdf_response

    case = _proved(parse_body(TrackIn))
    return pdf_response(current_actor(), case, holds_receipt=True)
