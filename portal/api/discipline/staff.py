"""The secretariat's discipline through the API: every step of a page is here too."""

from __future__ import annotations

from portal.api.discipline.common import case_out, decision_out, uploads_of
from portal.api.discipline.schemas import (
    BreachList,
    BreachOut,
    BreachQuery,
    CaseIn,
    CaseList,
    CaseOut,
    CaseQuery,
    DecisionList,
    DecisionOut,
    DecisionQuery,
    EvidenceIn,
    FindingsIn,
    NoCaseIn,
    OutcomeIn,
    ReasonIn,
    SanctionIn,
    SubmitIn,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo
from portal.api.validation import parse_body, parse_query
from portal.discipline.services import access, appeals, breaches, cases, decisions, queries
from portal.extensions import db
from portal.security import Role, current_actor, roles_required

TAGS = ["discipline", "secretariat"]


@api_route(
    "/discipline/cases",
    summary="Discipline cases, newest change first",
    tags=TAGS,
    query=CaseQuery,
    response=CaseList,
)
@roles_required(Role.STAFF)
def discipline_cases():
    query = parse_query(CaseQuery)
    page = db.paginate(
        queries.cases(query.status, query.member_id),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return {"items": [case_out(c) for c in page.items], "page": PageInfo.of(page).model_dump()}


@api_route(
    "/discipline/cases",
    methods=["POST"],
    summary="Open a discipline case",
    tags=TAGS,
    body=CaseIn,
    response=CaseOut,
    status=201,
    errors=(422,),
)
@roles_required(Role.STAFF)
def discipline_case_open():
    data = parse_body(CaseIn)
    case = cases.open_case(current_actor(), **data.model_dump())
    db.session.commit()
    return case_out(case), 201


@api_route(
    "/discipline/cases/<int:case_id>",
    summary="One case with its evidence",
    tags=TAGS,
    response=CaseOut,
    errors=(404,),
)
@roles_required(Role.STAFF)
def discipline_case(case_id: int):
    return case_out(access.case_for_staff(current_actor(), case_id))


def _case_action(rule: str, summary: str, body=None):
    return api_route(
        f"/discipline/cases/<int:case_id>/{rule}",
        methods=["POST"],
        summary=summary,
        tags=TAGS,
        body=body,
        response=CaseOut,
        errors=(404, 409, 422),
    )


def _act(case_id: int, call) -> dict:
    actor = current_actor()
    case = access.case_for_staff(actor, case_id)
    call(actor, case)
    db.session.commit()
    return case_out(case)


@_case_action("findings", "Record the findings", FindingsIn)
@roles_required(Role.STAFF)
def discipline_case_findings(case_id: int):
    data = parse_body(FindingsIn)
    return _act(case_id, lambda a, c: cases.record_findings(a, c, data.findings))


@_case_action("evidence", "Add evidence: a note and files (base64; SHA-256 kept)", EvidenceIn)
@roles_required(Role.STAFF)
def discipline_case_evidence(case_id: int):
    data = parse_body(EvidenceIn)
    return _act(case_id, lambda a, c: cases.add_evidence(a, c, data.note, uploads_of(data.files)))


@_case_action(
    "propose", "Propose a sanction from the table (refused outside its level)", SanctionIn
)
@roles_required(Role.STAFF)
def discipline_case_propose(case_id: int):
    data = parse_body(SanctionIn)
    return _act(case_id, lambda a, c: cases.propose(a, c, **data.model_dump()))


@_case_action("decide", "Decide a minor sanction (the secretariat); notifies the agency")
@roles_required(Role.STAFF)
def discipline_case_decide(case_id: int):
    return _act(case_id, cases.decide_minor)


@_case_action(
    "submit", "Put a general or serious proposal to the self-regulation committee", SubmitIn
)
@roles_required(Role.STAFF)
def discipline_case_submit(case_id: int):
    data = parse_body(SubmitIn)
    return _act(case_id, lambda a, c: cases.submit_to_committee(a, c, data.closes_at))


@_case_action("dismiss", "Close the case without sanction", ReasonIn)
@roles_required(Role.STAFF)
def discipline_case_dismiss(case_id: int):
    data = parse_body(ReasonIn)
    return _act(case_id, lambda a, c: cases.dismiss(a, c, data.reason))


# --- decisions --------------------------------------------------------------------------------


@api_route(
    "/discipline/decisions",
    summary="Decisions, newest first",
    tags=TAGS,
    query=DecisionQuery,
    response=DecisionList,
)
@roles_required(Role.STAFF)
def discipline_decisions():
    query = parse_query(DecisionQuery)
    page = db.paginate(
        queries.decisions(query.status, query.member_id),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return {"items": [decision_out(d) for d in page.items], "page": PageInfo.of(page).model_dump()}


@api_route(
    "/discipline/decisions/<int:decision_id>",
    summary="One decision with its appeal",
    tags=TAGS,
    response=DecisionOut,
    errors=(404,),
)
@roles_required(Role.STAFF)
def discipline_decision(decision_id: int):
    return decision_out(access.decision_for_staff(current_actor(), decision_id))


@api_route(
    "/discipline/decisions/<int:decision_id>/appeal-outcome",
    methods=["POST"],
    summary="Put an appeal outcome (uphold, change within the table, revoke) to the appeal "
    "committee; the first decision's voters are recused",
    tags=TAGS,
    body=OutcomeIn,
    response=DecisionOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def discipline_decision_outcome(decision_id: int):
    actor = current_actor()
    decision = access.decision_for_staff(actor, decision_id)  # 404 before any 422
    data = parse_body(OutcomeIn)
    appeals.propose_outcome(actor, decision, **data.model_dump())
    db.session.commit()
    return decision_out(decision)


@api_route(
    "/discipline/decisions/<int:decision_id>/accept-rectification",
    methods=["POST"],
    summary="Accept the agency's reported rectification",
    tags=TAGS,
    response=DecisionOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def discipline_decision_accept_rectification(decision_id: int):
    actor = current_actor()
    decision = access.decision_for_staff(actor, decision_id)
    decisions.accept_rectification(actor, decision)
    db.session.commit()
    return decision_out(decision)


# --- breach reports ---------------------------------------------------------------------------


@api_route(
    "/discipline/breaches",
    summary="Data-breach reports (late ones flagged)",
    tags=TAGS,
    query=BreachQuery,
    response=BreachList,
)
@roles_required(Role.STAFF)
def discipline_breaches():
    query = parse_query(BreachQuery)
    page = db.paginate(
        queries.breaches(query.status, late=query.late),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return {
        "items": [BreachOut.model_validate(b).model_dump(mode="json") for b in page.items],
        "page": PageInfo.of(page).model_dump(),
    }


@api_route(
    "/discipline/breaches/<int:breach_id>/open-case",
    methods=["POST"],
    summary="Open a discipline case about a breach report",
    tags=TAGS,
    response=CaseOut,
    status=201,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def discipline_breach_open_case(breach_id: int):
    actor = current_actor()
    case = cases.open_from_breach(actor, access.breach_for(actor, breach_id))
    db.session.commit()
    return case_out(case), 201


@api_route(
    "/discipline/breaches/<int:breach_id>/no-case",
    methods=["POST"],
    summary="Close a breach report without a case",
    tags=TAGS,
    body=NoCaseIn,
    response=BreachOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def discipline_breach_no_case(breach_id: int):
    data = parse_body(NoCaseIn)
    actor = current_actor()
    report = breaches.close_without_case(actor, access.breach_for(actor, breach_id), data.note)
    db.session.commit()
    return BreachOut.model_validate(report).model_dump(mode="json")
