"""Committees, seats and ties through the API; the public composition."""

from __future__ import annotations

from portal import clock
from portal.api.committees.schemas import (
    CommitteeCreateIn,
    CommitteeDetailOut,
    CommitteeList,
    CommitteeOut,
    CompositionOut,
    MyTieIn,
    PublicCommitteeList,
    PublicCommitteeOut,
    PublicSeatOut,
    SeatIn,
    SeatOut,
    SeatPatchIn,
    TieIn,
    TieList,
    TieOut,
    TieQuery,
)
from portal.api.registry import api_route
from portal.api.validation import parse_body, parse_query
from portal.committees import public, roster, ties
from portal.extensions import db
from portal.open_data import cacheable
from portal.security import Role, current_actor, roles_required
from portal.security import public as public_access

TAGS = ["committees"]


@api_route(
    "/public/committees",
    summary="Each committee's members in office (names and categories) and its composition",
    tags=["public"],
    response=PublicCommitteeList,
)
@public_access
@cacheable()
def public_committees():
    return PublicCommitteeList(
        items=[
            PublicCommitteeOut(
                kind=entry.committee.kind,
                label=entry.committee.label,
                members=[PublicSeatOut.of(seat) for seat in entry.seats],
                composition=CompositionOut.of(entry.composition),
            )
            for entry in public.committees_in_office()
        ]
    ).model_dump(mode="json")


def _committee_out(committee, cls=CommitteeOut, **extra):
    return cls(
        id=committee.id,
        kind=committee.kind,
        label=committee.label,
        composition=CompositionOut.of(roster.composition_of(committee)),
        problem=roster.composition_problem(committee),
        **extra,
    )


@api_route(
    "/committees",
    summary="The committees with their composition today",
    tags=TAGS,
    response=CommitteeList,
)
@roles_required(Role.STAFF, Role.ADMIN)
def list_committees():
    return CommitteeList(items=[_committee_out(c) for c in roster.committees()]).model_dump(
        mode="json"
    )


def _detail(committee) -> dict:
    in_office = {seat.id for seat in roster.seats_in_office(committee)}
    seats = [SeatOut.of(seat, seat.id in in_office) for seat in roster.all_seats(committee)]
    return _committee_out(committee, CommitteeDetailOut, seats=seats).model_dump(mode="json")


@api_route(
    "/committees",
    methods=["POST"],
    summary="Set up a committee (administrators)",
    tags=TAGS,
    body=CommitteeCreateIn,
    response=CommitteeDetailOut,
    status=201,
    errors=(409, 422),
)
@roles_required(Role.ADMIN)
def create_committee():
    data = parse_body(CommitteeCreateIn)
    committee = roster.create_committee(current_actor(), data.kind)
    db.session.commit()
    return _detail(committee), 201


@api_route(
    "/committees/<int:committee_id>",
    summary="A committee with every seat",
    tags=TAGS,
    response=CommitteeDetailOut,
    errors=(404,),
)
@roles_required(Role.STAFF, Role.ADMIN)
def get_committee(committee_id: int):
    return _detail(roster.get_committee(committee_id))


@api_route(
    "/committees/<int:committee_id>/seats",
    methods=["POST"],
    summary="Give a committee member a seat: category and term of office (administrators)",
    tags=TAGS,
    body=SeatIn,
    response=SeatOut,
    status=201,
    errors=(404, 422),
)
@roles_required(Role.ADMIN)
def add_committee_seat(committee_id: int):
    committee = roster.get_committee(committee_id)
    data = parse_body(SeatIn)
    seat = roster.add_seat(
        current_actor(),
        committee,
        user_id=data.user_id,
        category=data.category,
        term_start=data.term_start,
        term_end=data.term_end,
    )
    db.session.commit()
    return SeatOut.of(seat, seat.in_office(clock.today())).model_dump(mode="json"), 201


@api_route(
    "/committee-seats/<int:seat_id>",
    methods=["PATCH"],
    summary="Change a seat's category or term; end a term early by setting its end "
    "(administrators)",
    tags=TAGS,
    body=SeatPatchIn,
    response=SeatOut,
    errors=(404, 422),
)
@roles_required(Role.ADMIN)
def update_committee_seat(seat_id: int):
    seat = roster.get_seat(seat_id)
    data = parse_body(SeatPatchIn)
    roster.update_seat(
        current_actor(),
        seat,
        category=data.category or seat.category,
        term_start=data.term_start or seat.term_start,
        term_end=data.term_end or seat.term_end,
    )
    db.session.commit()
    return SeatOut.of(seat, seat.in_office(clock.today())).model_dump(mode="json")


@api_route(
    "/committee-ties",
    summary="Members' ties to agencies (administrators)",
    tags=TAGS,
    query=TieQuery,
    response=TieList,
)
@roles_required(Role.ADMIN)
def list_committee_ties():
    query = parse_query(TieQuery)
    items = ties.ties(user_id=query.user_id, member_id=query.member_id, active_only=not query.all)
    return TieList(items=[TieOut.of(t) for t in items]).model_dump(mode="json")


@api_route(
    "/committee-ties",
    methods=["POST"],
    summary="Record a member's tie to an agency "
    "(administrators); it recuses them from votes about it, open ones included",
    tags=TAGS,
    body=TieIn,
    response=TieOut,
    status=201,
    errors=(422,),
)
@roles_required(Role.ADMIN)
def record_committee_tie():
    data = parse_body(TieIn)
    tie = ties.declare_tie(
        current_actor(),
        user_id=data.user_id,
        member_id=data.member_id,
        nature=data.nature,
        note=data.note,
    )
    db.session.commit()
    return TieOut.of(tie).model_dump(mode="json"), 201


@api_route(
    "/committee-ties/<int:tie_id>/withdraw",
    methods=["POST"],
    summary="Withdraw a tie that has ended (administrators)",
    tags=TAGS,
    response=TieOut,
    errors=(404,),
)
@roles_required(Role.ADMIN)
def withdraw_committee_tie(tie_id: int):
    tie = ties.withdraw_tie(current_actor(), ties.get_tie(tie_id))
    db.session.commit()
    return TieOut.of(tie).model_dump(mode="json")


@api_route(
    "/me/committee-ties",
    summary="The caller's declared ties (committee members)",
    tags=TAGS,
    response=TieList,
)
@roles_required(Role.COMMITTEE)
def my_committee_ties():
    return TieList(items=[TieOut.of(t) for t in ties.ties(user_id=current_actor().id)]).model_dump(
        mode="json"
    )


@api_route(
    "/me/committee-ties",
    methods=["POST"],
    summary="Declare a tie to an agency "
    "(committee members); recused from votes about it from now on",
    tags=TAGS,
    body=MyTieIn,
    response=TieOut,
    status=201,
    errors=(422,),
)
@roles_required(Role.COMMITTEE)
def declare_my_committee_tie():
    data = parse_body(MyTieIn)
    tie = ties.declare_tie(
        current_actor(), member_id=data.member_id, nature=data.nature, note=data.note
    )
    db.session.commit()
    return TieOut.of(tie).model_dump(mode="json"), 201
