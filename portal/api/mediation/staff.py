"""The secretariat's mediation steps through the API."""

from __future__ import annotations

from portal.api.mediation.parties import case_answer, summary_list
from portal.api.mediation.schemas import (
    AgreementIn,
    CaseList,
    CaseOut,
    FailIn,
    PanelIn,
    ProposeIn,
    RecordIn,
    RosterOut,
    RosterSeat,
    SessionIn,
)
from portal.api.registry import api_route
from portal.api.schemas import PageQuery
from portal.api.validation import parse_body, parse_query
from portal.committees import roster as committee_roster
from portal.complaints.services import access as complaint_access
from portal.extensions import db
from portal.mediation.services import access, cases, outcome, panel, sessions
from portal.security import Role, current_actor, roles_required

TAGS = ["mediation", "secretariat"]


@api_route(
    "/staff/mediation",
    summary="Every mediation case, newest first (secretariat)",
    tags=TAGS,
    query=PageQuery,
    response=CaseList,
)
@roles_required(Role.STAFF)
def mediation_staff_list():
    return summary_list(parse_query(PageQuery))


@api_route(
    "/staff/mediation/roster",
    summary="The mediation committee in office: categories, terms and ties to agencies",
    tags=TAGS,
    response=RosterOut,
)
@roles_required(Role.STAFF)
def mediation_roster():
    committee = committee_roster.committee_of_kind("mediation")
    seats = committee_roster.seats_in_office(committee) if committee else []
    return RosterOut(
        committee_id=committee.id if committee else None,
        seats=[
            RosterSeat(
                user_id=s.user_id,
                display_name=s.user.display_name,
                category=s.category,
                term_start=s.term_start,
                term_end=s.term_end,
                ties=[t.member_id for t in committee_roster.active_ties_of(s.user_id)],
            )
            for s in seats
        ],
    ).model_dump(mode="json")


@api_route(
    "/staff/complaints/<tracking_number>/mediation",
    methods=["POST"],
    summary="Propose mediation of an accepted complaint; both parties are asked to agree",
    tags=TAGS,
    body=ProposeIn,
    response=CaseOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_propose(tracking_number: str):
    actor = current_actor()
    complaint = complaint_access.for_staff(actor, tracking_number)
    data = parse_body(ProposeIn)
    case = cases.propose(actor, complaint, data.note)
    db.session.commit()
    return case_answer(actor, case), 201


def _case(number: str):
    actor = current_actor()
    return actor, access.for_staff(actor, number)


@api_route(
    "/staff/mediation/<number>/panel",
    methods=["PUT"],
    summary="Set the panel: at least one medical, one legal and one worker member of the "
    "mediation committee in office, nobody tied to the agency (refused with the reason)",
    tags=TAGS,
    body=PanelIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_set_panel(number: str):
    actor, case = _case(number)
    data = parse_body(PanelIn)
    panel.change(actor, case, data.user_ids, data.reason)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/staff/mediation/<number>/sessions",
    methods=["POST"],
    summary="Schedule a session: date and time, place or https link (the first one meets "
    "the first-session deadline)",
    tags=TAGS,
    body=SessionIn,
    response=CaseOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_schedule(number: str):
    actor, case = _case(number)
    data = parse_body(SessionIn)
    sessions.schedule(
        actor, case, starts_at=data.starts_at, place=data.place, online_link=data.online_link
    )
    db.session.commit()
    return case_answer(actor, case), 201


@api_route(
    "/staff/mediation/<number>/sessions/<int:session_id>/record",
    methods=["POST"],
    summary="Record a held session's attendance and minutes (once; correct the minutes "
    "document with a new version)",
    tags=TAGS,
    body=RecordIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_record_session(number: str, session_id: int):
    actor, case = _case(number)
    data = parse_body(RecordIn)
    sessions.record(
        actor,
        case,
        sessions.get(case, session_id),
        complainant_present=data.complainant_present,
        agency_present=data.agency_present,
        panel_present=data.panel_present,
        minutes=data.minutes,
    )
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/staff/mediation/<number>/agreement",
    methods=["POST"],
    summary="Write (or rewrite) the agreement; earlier confirmations lapse",
    tags=TAGS,
    body=AgreementIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_draft_agreement(number: str):
    actor, case = _case(number)
    data = parse_body(AgreementIn)
    outcome.draft_agreement(actor, case, data.text)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/staff/mediation/<number>/judicial",
    methods=["POST"],
    summary="Mark a confirmed agreement for judicial confirmation by a court",
    tags=TAGS,
    response=CaseOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def mediation_mark_judicial(number: str):
    actor, case = _case(number)
    outcome.mark_judicial(actor, case)
    db.session.commit()
    return case_answer(actor, case)


@api_route(
    "/staff/mediation/<number>/fail",
    methods=["POST"],
    summary="Record that mediation failed: issues the notice of the right to sue; the "
    "complaint goes back to the investigation or is closed",
    tags=TAGS,
    body=FailIn,
    response=CaseOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def mediation_fail(number: str):
    actor, case = _case(number)
    data = parse_body(FailIn)
    outcome.fail(actor, case, reason=data.reason, complaint_after=data.complaint_after)
    db.session.commit()
    return case_answer(actor, case)
