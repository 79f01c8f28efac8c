"""A member agency's discipline through the API: its decisions, appeals, rectification and
breach reports."""

from __future__ import annotations

from portal.api.discipline.common import decision_out, uploads_of
from portal.api.discipline.schemas import (
    AppealIn,
    BreachIn,
    BreachList,
    BreachOut,
    DecisionList,
    DecisionOut,
    RectificationIn,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo, PageQuery
from portal.api.validation import parse_body, parse_query
from portal.discipline.services import access, breaches, decisions, queries
from portal.extensions import db
from portal.security import Role, current_actor, roles_required

TAGS = ["discipline", "agency"]


@api_route(
    "/agency/discipline/decisions",
    summary="Decisions about my agency",
    tags=TAGS,
    query=PageQuery,
    response=DecisionList,
)
@roles_required(Role.MEMBER)
def agency_discipline_decisions():
    query = parse_query(PageQuery)
    member_id = access.agency_of(current_actor())
    stmt = queries.decisions(member_id=member_id or -1)  # no agency: nothing
    page = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return {"items": [decision_out(d) for d in page.items], "page": PageInfo.of(page).model_dump()}


@api_route(
    "/agency/discipline/decisions/<int:decision_id>",
    summary="One decision about my agency",
    tags=TAGS,
    response=DecisionOut,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def agency_discipline_decision(decision_id: int):
    return decision_out(access.own_decision(current_actor(), decision_id))


@api_route(
    "/agency/discipline/decisions/<int:decision_id>/appeal",
    methods=["POST"],
    summary="Appeal within 10 working days of the notice; nothing is executed meanwhile",
    tags=TAGS,
    body=AppealIn,
    response=DecisionOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def agency_discipline_appeal(decision_id: int):
    actor = current_actor()
    decision = access.own_decision(actor, decision_id)  # 404 before any 422
    data = parse_body(AppealIn)
    decisions.file_appeal(actor, decision, data.grounds, uploads_of(data.files))
    db.session.commit()
    return decision_out(decision), 201


@api_route(
    "/agency/discipline/decisions/<int:decision_id>/rectification",
    methods=["POST"],
    summary="Report what was done under an order to rectify",
    tags=TAGS,
    body=RectificationIn,
    response=DecisionOut,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def agency_discipline_rectification(decision_id: int):
    actor = current_actor()
    decision = access.own_decision(actor, decision_id)  # 404 before any 422
    data = parse_body(RectificationIn)
    decisions.report_rectification(actor, decision, data.report, uploads_of(data.files))
    db.session.commit()
    return decision_out(decision)


@api_route(
    "/agency/breaches",
    summary="My agency's data-breach reports",
    tags=TAGS,
    query=PageQuery,
    response=BreachList,
)
@roles_required(Role.MEMBER)
def agency_breaches():
    query = parse_query(PageQuery)
    member_id = access.agency_of(current_actor()) or -1
    page = db.paginate(
        queries.breaches(member_id=member_id),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return {
        "items": [BreachOut.model_validate(b).model_dump(mode="json") for b in page.items],
        "page": PageInfo.of(page).model_dump(),
    }


@api_route(
    "/agency/breaches",
    methods=["POST"],
    summary="Report a personal-data breach (late when more than 2 hours after discovery)",
    tags=TAGS,
    body=BreachIn,
    response=BreachOut,
    status=201,
    errors=(403, 422),
)
@roles_required(Role.MEMBER)
def agency_breach_report():
    data = parse_body(BreachIn)
    report = breaches.report_breach(current_actor(), **data.model_dump())
    db.session.commit()
    return BreachOut.model_validate(report).model_dump(mode="json"), 201
