"""Motions through the services: drafting, opening (electorate snapshot, recusal by tie,
the composition rule), withdrawing, closing (tally, result, hooks) and their audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import audit, clock
from portal.audit import AuditEntry
from portal.committees import hooks, motions, roster, ties, voting
from portal.committees.models import MotionVoter
from portal.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from tests.committees.factories import cast, close, draft, make_committee, open_vote, seat
from tests.factories import make_user


def _entries(action):
    return list(
        audit.db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        )
    )


def test_a_draft_is_written_by_the_secretariat_only(board, secretary):
    motion = draft(secretary, board.committee)
    assert motion.status == "draft" and motion.kind == "ordinary"
    with pytest.raises(NotPermitted):
        draft(board.members[0], board.committee)


def test_sanctions_and_code_revisions_are_always_major(board, secretary, agency):
    assert draft(secretary, board.committee, subject_type="code_revision").kind == "major"
    sanction = draft(secretary, board.committee, subject_type="sanction", member_id=agency.id)
    assert sanction.kind == "major"
    with pytest.raises(ValidationFailed) as error:
        draft(
            secretary,
            board.committee,
            subject_type="sanction",
            kind="ordinary",
            member_id=agency.id,
        )
    assert "kind" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        draft(secretary, board.committee, subject_type="sanction")
    assert "member_id" in error.value.fields


def test_bad_drafts_name_their_fields(board, secretary):
    with pytest.raises(ValidationFailed) as error:
        draft(
            secretary,
            board.committee,
            title=" ",
            closes_at=clock.now() - timedelta(hours=1),
            member_id=999_999,
            subject_type="nonsense",
        )
    assert set(error.value.fields) == {"title", "closes_at", "member_id", "subject_type"}


def test_changing_the_subject_of_a_draft_derives_its_kind_again(board, secretary):
    motion = draft(secretary, board.committee)
    motions.update_draft(secretary, motion, subject_type="code_revision")
    assert motion.kind == "major"
    motions.update_draft(secretary, motion, subject_type="other")
    assert motion.kind == "ordinary"


def test_opening_snapshots_the_members_in_office(board, secretary, admin):
    retired = make_user("committee", username="retired")
    seat(
        admin,
        board.committee,
        retired,
        "expert",
        term=(clock.today() - timedelta(days=400), clock.today() - timedelta(days=1)),
    )
    motion = open_vote(secretary, board.committee)
    assert motion.status == "open" and motion.opened_at == clock.now()
    assert sorted(v.user_id for v in motion.voters) == sorted(u.id for u in board.members)
    # a seat given after opening does not join the electorate
    seat(admin, board.committee, make_user("committee", username="newcomer"), "expert")
    assert len(motion.voters) == 9
    entry = _entries("committees.motion_opened")[-1]
    assert json.loads(entry.payload)["electorate"] == 9


def test_a_tied_member_is_recused_automatically(board, secretary, agency):
    tied = board.members[0]
    ties.declare_tie(tied, member_id=agency.id, nature="consultancy")
    motion = open_vote(secretary, board.committee, subject_type="sanction", member_id=agency.id)
    voter = voting.voter_row(tied, motion)
    assert voter.recused and voter.recusal_kind == "tie"
    assert not voting.can_vote(tied, motion)
    assert voting.can_vote(board.members[1], motion)


def test_other_domains_may_exclude_voters_with_a_reason(board, secretary):
    excluded = board.members[2]
    motion = open_vote(
        secretary, board.committee, also_recused={excluded.id: "voted on the first decision"}
    )
    voter = voting.voter_row(excluded, motion)
    assert voter.recusal_kind == "excluded" and voter.recusal_reason.startswith("voted")


def test_the_composition_rule_refuses_to_open_naming_the_short_group(db, now, admin, secretary):
    board = make_committee(admin, large=3, small=3, worker=2, expert=1)
    motion = draft(secretary, board.committee)
    with pytest.raises(Conflict) as error:
        motions.open_draft(secretary, motion)
    assert "Worker representative: 2 of 9, at least 3 needed" in error.value.message
    assert "Large enterprise" not in error.value.message
    assert motion.status == "draft"


def test_the_mediation_committee_has_no_quota(db, now, admin, secretary):
    board = make_committee(admin, "mediation", medical=1, legal=1)
    assert open_vote(secretary, board.committee).status == "open"


def test_nobody_in_office_or_everybody_recused_refuses_to_open(db, now, admin, secretary, agency):
    empty = roster.create_committee(admin, "appeal")
    with pytest.raises(Conflict):
        open_vote(secretary, empty)
    board = make_committee(admin, "mediation", medical=1)
    ties.declare_tie(board.members[0], member_id=agency.id, nature="employment")
    with pytest.raises(Conflict):
        open_vote(secretary, board.committee, member_id=agency.id)


def test_a_vote_must_stay_open_at_least_an_hour(board, secretary):
    motion = draft(secretary, board.committee, closes_at=clock.now() + timedelta(minutes=30))
    with pytest.raises(ValidationFailed) as error:
        motions.open_draft(secretary, motion)
    assert "closes_at" in error.value.fields


def test_the_table_refuses_what_it_does_not_list(board, secretary):
    motion = open_vote(secretary, board.committee)
    with pytest.raises(InvalidTransition):
        motions.open_draft(secretary, motion)
    with pytest.raises(InvalidTransition):
        motions.close_motion(motion)  # not yet due
    motions.withdraw(secretary, motion, "Superseded by another motion.")
    assert motion.status == "withdrawn"
    with pytest.raises(InvalidTransition):
        motions.withdraw(secretary, motion, "again")


@pytest.mark.parametrize(
    ("kind", "members", "yes", "expected"),
    [
        ("major", 9, 6, "passed"),
        ("major", 8, 5, "failed"),
        ("major", 3, 2, "passed"),
        ("ordinary", 10, 5, "failed"),
        ("ordinary", 10, 6, "passed"),
    ],
)
def test_results_at_the_boundaries(db, now, admin, secretary, kind, members, yes, expected):
    board = make_committee(admin, "mediation", medical=members)
    motion = open_vote(secretary, board.committee, kind=kind)
    for number, member in enumerate(board.members):
        if number < yes:
            cast(member, motion, "yes")
        elif number % 2:
            cast(member, motion, "no", "Not convinced.")
    close(motion)
    assert motion.result == expected
    assert (motion.yes_count, motion.eligible_count) == (yes, members)


def test_a_recusal_changes_the_outcome(db, now, admin, secretary, agency):
    """10 members, 6 vote yes on a major motion. With one of the others tied to the agency
    the eligible voters are 9 and 6 of 9 passes; with nobody tied, 6 of 10 fails."""
    results = {}
    for tied, kind, category in ((True, "mediation", "medical"), (False, "appeal", "expert")):
        board = make_committee(admin, kind, **{category: 10})
        if tied:
            ties.declare_tie(
                board.members[9], member_id=agency.id, nature="employment", note="Former employee"
            )
        motion = open_vote(secretary, board.committee, subject_type="sanction", member_id=agency.id)
        for member in board.members[:6]:
            cast(member, motion, "yes")
        if not tied:
            cast(board.members[9], motion, "no")
        close(motion)
        results[tied] = (motion.result, motion.eligible_count)
        clock.set_now(clock.now() + timedelta(days=1))
    assert results == {True: ("passed", 9), False: ("failed", 10)}


def test_a_tie_declared_during_the_vote_voids_the_members_vote(board, secretary, agency):
    motion = open_vote(secretary, board.committee, subject_type="sanction", member_id=agency.id)
    late = board.members[0]
    cast(late, motion, "no", "Disagree")
    ties.declare_tie(late, member_id=agency.id, nature="family")
    for member in board.members[1:7]:
        cast(member, motion, "yes")
    close(motion)
    assert (motion.eligible_count, motion.yes_count, motion.no_count) == (8, 6, 0)
    assert motion.result == "passed"


def test_closing_stores_the_tally_audits_it_and_runs_the_hooks(board, secretary):
    seen = []

    def remember(motion):
        seen.append((motion.id, motion.result, motion.yes_count))

    hooks.on_motion_closed("code_revision", remember)
    try:
        motion = open_vote(secretary, board.committee, subject_type="code_revision")
        other = open_vote(secretary, board.committee, subject_type="other")
        for member in board.members[:6]:
            cast(member, motion, "yes")
        cast(board.members[6], motion, "abstain", "Need more time")
        close(motion)
        close(other)
    finally:
        hooks.remove_motion_closed("code_revision", remember)
    assert seen == [(motion.id, "passed", 6)]
    payload = json.loads(_entries("committees.motion_closed")[0].payload)
    assert payload == {
        "result": "passed",
        "kind": "major",
        "eligible": 9,
        "yes": 6,
        "no": 0,
        "abstain": 1,
        "recused": 0,
    }
    assert audit.verify().ok


def test_the_audit_records_that_someone_voted_never_the_choice(board, secretary):
    motion = open_vote(secretary, board.committee)
    cast(board.members[0], motion, "no", "A reason that must not reach the log")
    entry = _entries("committees.vote_cast")[-1]
    assert entry.actor_id == board.members[0].id
    assert "no" not in json.loads(entry.payload).values()
    assert "reason" not in entry.payload and "choice" not in entry.payload


def test_the_results_stay_hidden_until_the_vote_closes(board, secretary, admin):
    motion = open_vote(secretary, board.committee)
    cast(board.members[0], motion, "yes")
    assert motion.result is None and motion.yes_count is None
    for who in (admin, secretary, board.members[0]):
        with pytest.raises(InvalidTransition):
            voting.ballots(who, motion)
    seen = voting.participation(secretary, motion)
    assert (seen.eligible, seen.voted, seen.not_voted) == (9, 1, 8)
    with pytest.raises(NotPermitted):
        voting.participation(board.members[0], motion)


def test_a_withdrawn_motion_is_never_counted(board, secretary):
    motion = open_vote(secretary, board.committee)
    cast(board.members[0], motion, "yes")
    motions.withdraw(secretary, motion, "Tabled by mistake")
    clock.set_now(motion.closes_at + timedelta(hours=1))
    from portal.committees.tasks import close_due

    assert close_due() == 0
    assert motion.result is None and motion.yes_count is None
    assert not list(
        audit.db.session.scalars(
            select(MotionVoter).where(MotionVoter.motion_id == motion.id, MotionVoter.recused)
        )
    )
