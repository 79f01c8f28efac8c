"""A member agency's complaints about itself, and its written response."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from portal.api.complaints.schemas import CaseOut, page_info
from portal.api.registry import api_route
from portal.api.schemas import PageInfo, PageQuery, Strict
from portal.api.validation import parse_body, parse_query
from portal.complaints.constants import TEXT_MAX
from portal.complaints.services import access, identity, tracking, workflow
from portal.extensions import db
from portal.security import Role, current_actor, roles_required

TAGS = ["complaints", "member agencies"]


class SharedIdentity(BaseModel):
    name: str | None
    id_number: str | None


class AgencyResponse(BaseModel):
    id: int
    text: str
    created_at: datetime


class AgencyCase(CaseOut):
    description: str
    complainant: SharedIdentity | None = Field(
        description="Only when the complainant agreed to share their identity with the agency"
    )
    responses: list[AgencyResponse]


class AgencyList(BaseModel):
    items: list[AgencyCase]
    page: PageInfo


class ResponseIn(Strict):
    text: str = Field(min_length=1, max_length=TEXT_MAX)


def agency_case(complaint) -> dict:
    shared = identity.for_agency(complaint)
    base = CaseOut.of(tracking.public_view(complaint)).model_dump()
    return AgencyCase(
        **base,
        description=complaint.description,
        complainant=SharedIdentity(name=shared.name, id_number=shared.id_number)
        if shared
        else None,
        responses=[
            AgencyResponse(id=r.id, text=r.text, created_at=r.created_at)
            for r in complaint.responses
        ],
    ).model_dump(mode="json")


@api_route(
    "/member/complaints",
    summary="Accepted complaints about the caller's agency",
    tags=TAGS,
    query=PageQuery,
    response=AgencyList,
)
@roles_required(Role.MEMBER)
def complaint_agency_list():
    query = parse_query(PageQuery)
    page = db.paginate(
        tracking.about_my_agency(current_actor()),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return {"items": [agency_case(c) for c in page.items], "page": page_info(page).model_dump()}


@api_route(
    "/member/complaints/<tracking_number>",
    summary="One complaint about the caller's agency",
    tags=TAGS,
    response=AgencyCase,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def complaint_agency_get(tracking_number: str):
    return agency_case(access.for_agency(current_actor(), tracking_number))


@api_route(
    "/member/complaints/<tracking_number>/response",
    methods=["POST"],
    summary="The agency's written response to a complaint about it",
    tags=TAGS,
    body=ResponseIn,
    response=AgencyCase,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def complaint_agency_respond(tracking_number: str):
    data = parse_body(ResponseIn)
    actor = current_actor()
    complaint = access.for_agency(actor, tracking_number)
    workflow.respond(actor, complaint, data.text)
    db.session.commit()
    return agency_case(complaint), 201
