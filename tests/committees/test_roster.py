"""Committees, seats, terms of office and ties, through the services."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal import clock
from portal.audit import AuditEntry
from portal.committees import roster, ties
from portal.errors import Conflict, NotPermitted, ValidationFailed
from portal.extensions import db
from tests.committees.factories import committee_user, make_committee, open_vote, seat
from tests.factories import make_user


def test_administrators_set_up_each_committee_once(db, now, admin, secretary):
    committee = roster.create_committee(admin, "mediation")
    assert committee.label == "Mediation committee"
    assert [k.value for k in roster.missing_kinds()] == ["self_regulation", "appeal"]
    with pytest.raises(Conflict):
        roster.create_committee(admin, "mediation")
    with pytest.raises(NotPermitted):
        roster.create_committee(secretary, "appeal")
    with pytest.raises(ValidationFailed):
        roster.create_committee(admin, "tea")


def test_a_seat_needs_a_committee_account_a_category_of_its_committee_and_a_term(db, now, admin):
    mediation = roster.create_committee(admin, "mediation")
    worker = make_user("worker", username="a-worker")
    with pytest.raises(ValidationFailed) as error:
        roster.add_seat(
            admin,
            mediation,
            user_id=worker.id,
            category="large_enterprise_rep",
            term_start=date(2026, 1, 1),
            term_end=date(2025, 1, 1),
        )
    assert set(error.value.fields) == {"user_id", "category", "term_end"}
    member = committee_user()
    placed = roster.add_seat(
        admin,
        mediation,
        user_id=member.id,
        category="legal_expert",
        term_start=date(2026, 1, 1),
        term_end=date(2028, 12, 31),
    )
    assert placed.in_office(date(2026, 6, 15)) and not placed.in_office(date(2029, 1, 1))
    with pytest.raises(ValidationFailed) as error:
        roster.add_seat(
            admin,
            mediation,
            user_id=member.id,
            category="medical_expert",
            term_start=date(2028, 1, 1),
            term_end=date(2030, 1, 1),
        )
    assert "already holds a seat" in error.value.fields["term_start"]
    # a later, separate term is fine
    roster.add_seat(
        admin,
        mediation,
        user_id=member.id,
        category="legal_expert",
        term_start=date(2029, 1, 1),
        term_end=date(2031, 12, 31),
    )


def test_only_administrators_change_seats(db, now, admin, secretary):
    board = make_committee(admin, "mediation", medical=1)
    with pytest.raises(NotPermitted):
        seat(secretary, board.committee, committee_user(), "legal")


def test_ending_a_term_takes_the_member_out_of_office(board, admin):
    leaving = roster.seats_of(board.members[0])[0]
    roster.update_seat(
        admin,
        leaving,
        category=leaving.category,
        term_start=leaving.term_start,
        term_end=clock.today() - timedelta(days=1),
    )
    assert len(roster.seats_in_office(board.committee)) == 8
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "committees.seat_updated")
    ).one()
    assert json.loads(entry.payload) == {"term_end": ["2027-12-31", "2026-06-14"]}
    assert roster.composition_problem(board.committee) is None  # 2 of 8 is a quarter exactly
    second = roster.seats_of(board.members[1])[0]
    roster.update_seat(
        admin,
        second,
        category=second.category,
        term_start=second.term_start,
        term_end=clock.today() - timedelta(days=1),
    )
    problem = roster.composition_problem(board.committee)
    assert "Large enterprise representative: 1 of 7, at least 2 needed" in problem


def test_disabled_accounts_and_changed_roles_are_not_in_office(board, admin):
    from portal.accounts import services

    services.update_user(admin, board.members[0], active=False)
    services.update_user(admin, board.members[1], role="staff")
    assert len(roster.seats_in_office(board.committee)) == 7


def test_the_composition_is_reported_with_its_figures(board):
    report = roster.composition_of(board.committee)
    assert report.total == 9 and report.met
    assert [(g.count, g.percent) for g in report.groups] == [(3, 33)] * 3
    assert roster.composition_problem(board.committee) is None


def test_members_declare_their_own_ties_and_administrators_anyones(board, admin, agency):
    member, other = board.members[0], board.members[1]
    own = ties.declare_tie(member, member_id=agency.id, nature="shareholding", note="2% stake")
    assert own.self_declared and own.active
    with pytest.raises(NotPermitted):
        ties.declare_tie(member, user_id=other.id, member_id=agency.id, nature="family")
    recorded = ties.declare_tie(admin, user_id=other.id, member_id=agency.id, nature="family")
    assert not recorded.self_declared
    assert set(roster.tied_user_ids(agency.id)) == {member.id, other.id}
    with pytest.raises(ValidationFailed) as error:
        ties.declare_tie(member, member_id=999_999, nature="friendship")
    assert set(error.value.fields) == {"member_id", "nature"}


def test_only_administrators_withdraw_a_tie(board, admin, secretary, agency):
    tie = ties.declare_tie(board.members[0], member_id=agency.id, nature="employment")
    for who in (board.members[0], secretary):
        with pytest.raises(NotPermitted):
            ties.withdraw_tie(who, tie)
    ties.withdraw_tie(admin, tie)
    assert not tie.active and roster.tied_user_ids(agency.id) == {}


def test_a_withdrawn_tie_no_longer_recuses(board, admin, secretary, agency):
    tie = ties.declare_tie(board.members[0], member_id=agency.id, nature="employment")
    ties.withdraw_tie(admin, tie)
    motion = open_vote(secretary, board.committee, member_id=agency.id)
    assert not any(v.recused for v in motion.voters)
