"""The agency's staff through the API: people, training hours, examination results."""

from __future__ import annotations

from portal import clock
from portal.api.members.schemas import (
    ExamIn,
    StaffIn,
    StaffList,
    StaffOut,
    TrainingIn,
    not_a_member_message,
)
from portal.api.registry import api_route
from portal.api.validation import parse_body
from portal.errors import NotFound
from portal.extensions import db
from portal.members.models import Member
from portal.members.services import access, staff
from portal.members.staff_rules import evaluate_staff
from portal.security import Role, current_actor, roles_required


def _out(person) -> dict:
    verdict = evaluate_staff(staff.staff_input(person), clock.today())
    return StaffOut.of(person, verdict).model_dump(mode="json")


def _certificates(data: StaffIn) -> list[staff.CertificateIn]:
    return [
        staff.CertificateIn(code=c.code, number=c.number, valid_to=c.valid_to)
        for c in data.certificates
    ]


@api_route(
    "/members/staff",
    summary="The agency's staff with each person's compliance",
    tags=["staff"],
    response=StaffList,
)
@roles_required(Role.MEMBER)
def member_staff_list():
    member = access.member_of(current_actor())
    return {"items": [_out(person) for person in staff.staff_of(member, include_inactive=True)]}


@api_route(
    "/members/staff",
    methods=["POST"],
    summary="Add a person to the agency's staff",
    tags=["staff"],
    body=StaffIn,
    response=StaffOut,
    status=201,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_staff_create():
    data = parse_body(StaffIn)
    actor = current_actor()
    member = access.member_of(actor)
    if member is None:
        raise NotFound(not_a_member_message())
    person = staff.save_person(
        actor,
        member,
        None,
        name=data.name,
        role=data.role,
        experience_years=data.experience_years,
        first_assignment=data.first_assignment,
        certificates=_certificates(data),
        active=data.active,
    )
    db.session.commit()
    return _out(person), 201


@api_route(
    "/members/staff/<int:staff_id>",
    summary="One person (the agency's own users; the secretariat reads)",
    tags=["staff"],
    response=StaffOut,
    errors=(404,),
)
@roles_required(Role.MEMBER, Role.STAFF)
def member_staff_get(staff_id: int):
    return _out(staff.staff_for(current_actor(), staff_id))


@api_route(
    "/members/staff/<int:staff_id>",
    methods=["PUT"],
    summary="Change a person's record",
    tags=["staff"],
    body=StaffIn,
    response=StaffOut,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_staff_update(staff_id: int):
    data = parse_body(StaffIn)
    actor = current_actor()
    person = staff.staff_for(actor, staff_id, write=True)
    staff.save_person(
        actor,
        db.session.get(Member, person.member_id),
        person,
        name=data.name,
        role=data.role,
        experience_years=data.experience_years,
        first_assignment=data.first_assignment,
        certificates=_certificates(data),
        active=data.active,
    )
    db.session.commit()
    return _out(person)


@api_route(
    "/members/staff/<int:staff_id>/training",
    methods=["POST"],
    summary="Record training hours (pre-job or continuing)",
    tags=["staff"],
    body=TrainingIn,
    response=StaffOut,
    status=201,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_staff_training(staff_id: int):
    data = parse_body(TrainingIn)
    actor = current_actor()
    person = staff.staff_for(actor, staff_id, write=True)
    staff.add_training(
        actor,
        person,
        kind=data.kind,
        hours=data.hours,
        completed_on=data.completed_on,
        course=data.course,
    )
    db.session.commit()
    return _out(person), 201


@api_route(
    "/members/staff/<int:staff_id>/exams",
    methods=["POST"],
    summary="Record an annual examination result (a fail suspends practice until a pass)",
    tags=["staff"],
    body=ExamIn,
    response=StaffOut,
    status=201,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_staff_exam(staff_id: int):
    data = parse_body(ExamIn)
    actor = current_actor()
    person = staff.staff_for(actor, staff_id, write=True)
    staff.record_exam(actor, person, taken_on=data.taken_on, passed=data.passed, note=data.note)
    db.session.commit()
    return _out(person), 201
