"""Voting: one person one vote, the password again, reasons, the recused and outsiders
refused, recusal by declaration, and what each person sees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import clock
from portal.committees import voting
from portal.errors import Conflict, DeadlinePassed, NotPermitted, ValidationFailed
from tests.committees.factories import cast, close, committee_user, make_committee, open_vote


@pytest.fixture
def motion(board, secretary):
    return open_vote(secretary, board.committee)


def test_a_member_votes_once(board, motion):
    member = board.members[0]
    assert voting.can_vote(member, motion)
    vote = cast(member, motion, "no", "  The evidence is thin.  ")
    assert (vote.choice, vote.reason) == ("no", "The evidence is thin.")
    assert voting.own_vote(member, motion) is vote
    assert not voting.can_vote(member, motion)
    with pytest.raises(Conflict):
        cast(member, motion, "yes")


def test_voting_needs_the_password_again(board, motion):
    with pytest.raises(ValidationFailed) as error:
        voting.cast_vote(board.members[0], motion, choice="yes", password="not-my-password")
    assert "password" in error.value.fields
    assert voting.own_vote(board.members[0], motion) is None


def test_a_reason_goes_with_no_and_abstain_only(board, motion):
    with pytest.raises(ValidationFailed) as error:
        cast(board.members[0], motion, "yes", "because")
    assert "reason" in error.value.fields
    assert cast(board.members[1], motion, "abstain", "Conflicted timing").reason
    assert cast(board.members[2], motion, "no").reason is None
    with pytest.raises(ValidationFailed) as error:
        cast(board.members[3], motion, "maybe")
    assert "choice" in error.value.fields


def test_outsiders_and_other_roles_cannot_vote(board, motion, secretary, admin):
    outsider = committee_user("outsider")  # committee role, not on this committee
    for who, error in ((outsider, NotPermitted), (secretary, NotPermitted), (admin, NotPermitted)):
        assert not voting.can_vote(who, motion)
        with pytest.raises(error):
            cast(who, motion, "yes")


def test_a_member_appointed_after_opening_cannot_vote(board, motion, admin):
    from tests.committees.factories import seat

    newcomer = committee_user("newcomer")
    seat(admin, board.committee, newcomer, "worker")
    with pytest.raises(NotPermitted):
        cast(newcomer, motion, "yes")


def test_no_vote_after_the_closing_time(board, motion):
    clock.set_now(motion.closes_at)
    assert not voting.can_vote(board.members[0], motion)
    with pytest.raises(DeadlinePassed):
        cast(board.members[0], motion, "yes")


def test_a_member_may_recuse_themself_before_voting(board, motion):
    member = board.members[0]
    voting.declare_recusal(member, motion, "My brother-in-law manages the agency.")
    voter = voting.voter_row(member, motion)
    assert voter.recused and voter.recusal_kind == "declared"
    with pytest.raises(NotPermitted):
        cast(member, motion, "yes")
    with pytest.raises(NotPermitted):
        voting.declare_recusal(member, motion, "again")


def test_a_vote_cannot_be_taken_back_by_recusing(board, motion):
    cast(board.members[0], motion, "yes")
    with pytest.raises(Conflict):
        voting.declare_recusal(board.members[0], motion, "changed my mind")
    with pytest.raises(ValidationFailed):
        voting.declare_recusal(board.members[1], motion, "   ")


def test_after_closing_committee_members_and_staff_see_every_vote(board, motion, secretary):
    cast(board.members[0], motion, "yes")
    cast(board.members[1], motion, "no", "Too harsh")
    close(motion)
    for who in (secretary, board.members[5], committee_user("from-another-committee")):
        ballots = {b.voter.user_id: b for b in voting.ballots(who, motion)}
        assert ballots[board.members[1].id].vote.reason == "Too harsh"
        assert ballots[board.members[2].id].vote is None
    from tests.factories import make_user

    with pytest.raises(NotPermitted):
        voting.ballots(make_user("member", username="agency-user"), motion)


def test_my_motions_lists_open_and_closed_votes(board, secretary):
    member = board.members[0]
    soon = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=1))
    later = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=5))
    cast(member, later, "yes")
    open_items, closed_items = voting.my_motions(member)
    assert [i.motion.id for i in open_items] == [soon.id, later.id]
    assert open_items[1].vote.choice == "yes" and open_items[0].vote is None
    close(soon)
    open_items, closed_items = voting.my_motions(member)
    assert [i.motion.id for i in closed_items] == [soon.id]
    assert [i.motion.id for i in open_items] == [later.id]


def test_who_may_view_a_motion(board, secretary, admin):
    draft_only = open_vote(secretary, board.committee)
    outsider = committee_user("viewer")
    assert voting.may_view(board.members[0], draft_only)
    assert not voting.may_view(outsider, draft_only)
    other = make_committee(admin, "mediation", medical=1)
    assert not voting.may_view(other.members[0], draft_only)
    close(draft_only)
    assert voting.may_view(outsider, draft_only)
    assert not voting.may_view(secretary, draft_only)  # staff use their own pages
