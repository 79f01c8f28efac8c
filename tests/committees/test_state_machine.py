"""A `hypothesis.stateful` machine over motions: any order of openings, votes by any member
(recused or not, eligible or not), ties declared and withdrawn mid-vote, recusals, time
moving and closing sweeps. A plain model decides what should happen; the invariants hold
after every step:

- a recused member's vote is never counted;
- nobody votes twice;
- nothing of the result is visible before the motion closes;
- pass or fail matches the rule, computed here independently with exact fractions;
- the audit chain verifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from portal import audit, clock
from portal.committees import motions, ties, voting
from portal.committees.models import Motion, Vote
from portal.errors import Conflict, DomainError, InvalidTransition
from portal.extensions import db
from tests.committees.factories import T0, make_agency, make_committee

MEMBERS = 5


@dataclass
class Expected:
    kind: str
    concerns_agency: bool
    closes_at: datetime
    electorate: set[int]
    recused: set[int]
    votes: dict[int, str] = field(default_factory=dict)
    closed: bool = False


def rule_passes(kind: str, yes: int, eligible: int) -> bool:
    if eligible == 0:
        return False
    share = Fraction(yes, eligible)
    return share >= Fraction(2, 3) if kind == "major" else share > Fraction(1, 2)


def machine_for(admin, secretary, committee, members, agency):
    class MotionMachine(RuleBasedStateMachine):
        motions_made = Bundle("motions")

        def __init__(self):
            super().__init__()
            self.savepoint = db.session.begin_nested()  # each example starts from here
            clock.set_now(T0)
            self.expected: dict[int, Expected] = {}
            self.tied: set[int] = set()

        def teardown(self):
            self.savepoint.rollback()
            db.session.expire_all()
            clock.set_now(T0)

        # -- rules -----------------------------------------------------------------------

        @rule(
            target=motions_made,
            kind=st.sampled_from(["ordinary", "major"]),
            concerns_agency=st.booleans(),
            hours=st.integers(2, 48),
        )
        def open_motion(self, kind, concerns_agency, hours):
            electorate = {m.id for m in members}
            recused = (self.tied & electorate) if concerns_agency else set()
            values = dict(
                title="议案",
                body="",
                kind=kind,
                subject_type="other",
                member_id=agency.id if concerns_agency else None,
                closes_at=clock.now() + timedelta(hours=hours),
            )
            if not electorate - recused:
                with pytest.raises(Conflict), db.session.begin_nested():
                    motions.open_motion(secretary, committee, **values)
                return multiple()
            motion = motions.open_motion(secretary, committee, **values)
            self.expected[motion.id] = Expected(
                kind, concerns_agency, values["closes_at"], electorate, recused
            )
            return motion.id

        @rule(
            motion_id=motions_made,
            member=st.integers(0, MEMBERS - 1),
            choice=st.sampled_from(["yes", "no", "abstain"]),
        )
        def vote(self, motion_id, member, choice):
            user, expected = members[member], self.expected[motion_id]
            allowed = self._may_vote(expected, user.id)
            motion = db.session.get(Motion, motion_id)
            assert voting.can_vote(user, motion) is allowed
            if allowed:
                voting.cast_vote(user, motion, choice=choice, password="any")
                expected.votes[user.id] = choice
            else:
                with pytest.raises(DomainError):
                    voting.cast_vote(user, motion, choice=choice, password="any")

        @rule(motion_id=motions_made, member=st.integers(0, MEMBERS - 1))
        def recuse(self, motion_id, member):
            user, expected = members[member], self.expected[motion_id]
            motion = db.session.get(Motion, motion_id)
            if self._may_vote(expected, user.id):
                voting.declare_recusal(user, motion, "利益冲突")
                expected.recused.add(user.id)
            else:
                with pytest.raises(DomainError):
                    voting.declare_recusal(user, motion, "利益冲突")

        @rule(member=st.integers(0, MEMBERS - 1))
        def declare_tie(self, member):
            user = members[member]
            ties.declare_tie(user, member_id=agency.id, nature="other")
            self.tied.add(user.id)
            for expected in self.expected.values():
                if (
                    not expected.closed
                    and expected.concerns_agency
                    and user.id in (expected.electorate)
                ):
                    expected.recused.add(user.id)  # mid-vote: recused, any vote uncounted

        def _voters_on_agency_motions(self) -> list[int]:
            return sorted(
                {
                    index
                    for index, user in enumerate(members)
                    for expected in self.expected.values()
                    if not expected.closed
                    and expected.concerns_agency
                    and user.id in expected.votes
                    and user.id not in expected.recused
                }
            )

        @precondition(lambda self: self._voters_on_agency_motions())
        @rule(data=st.data())
        def tie_someone_who_voted(self, data):
            """The case that matters most: a tie comes to light after the member voted."""
            self.declare_tie(data.draw(st.sampled_from(self._voters_on_agency_motions())))

        @rule(member=st.integers(0, MEMBERS - 1))
        def withdraw_ties(self, member):
            user = members[member]
            for tie in ties.ties(user_id=user.id, active_only=True):
                ties.withdraw_tie(admin, tie)
            self.tied.discard(user.id)  # recusals already made stay

        @rule(hours=st.integers(6, 48))
        def time_passes(self, hours):
            clock.set_now(clock.now() + timedelta(hours=hours))

        @rule()
        def closing_sweep(self):
            for motion_id in motions.due_for_closing():
                assert motions.close_motion(db.session.get(Motion, motion_id))
            for motion_id, expected in self.expected.items():
                if not expected.closed and expected.closes_at <= clock.now():
                    expected.closed = True
                    self._check_result(motion_id, expected)

        # -- the model -------------------------------------------------------------------

        def _may_vote(self, expected: Expected, user_id: int) -> bool:
            return (
                not expected.closed
                and clock.now() < expected.closes_at
                and user_id in expected.electorate
                and user_id not in expected.recused
                and user_id not in expected.votes
            )

        def _check_result(self, motion_id: int, expected: Expected) -> None:
            motion = db.session.get(Motion, motion_id)
            db.session.refresh(motion)
            counted = {u: c for u, c in expected.votes.items() if u not in expected.recused}
            eligible = len(expected.electorate - expected.recused)
            yes = sum(1 for c in counted.values() if c == "yes")
            assert motion.status == "closed"
            assert (motion.eligible_count, motion.yes_count) == (eligible, yes)
            assert motion.no_count == sum(1 for c in counted.values() if c == "no")
            assert motion.abstain_count == sum(1 for c in counted.values() if c == "abstain")
            assert (motion.result == "passed") is rule_passes(expected.kind, yes, eligible)

        # -- invariants ------------------------------------------------------------------

        @invariant()
        def nothing_is_visible_before_closing(self):
            for motion_id, expected in self.expected.items():
                if expected.closed:
                    continue
                motion = db.session.get(Motion, motion_id)
                assert motion.result is None and motion.yes_count is None
                with pytest.raises(InvalidTransition):
                    voting.ballots(secretary, motion)

        @invariant()
        def nobody_votes_twice(self):
            doubled = db.session.execute(
                select(Vote.motion_id, Vote.voter_id)
                .group_by(Vote.motion_id, Vote.voter_id)
                .having(func.count() > 1)
            ).all()
            assert doubled == []

        @invariant()
        def recused_votes_are_never_counted(self):
            for motion_id, expected in self.expected.items():
                if expected.closed:
                    self._check_result(motion_id, expected)

        @invariant()
        def the_audit_chain_verifies(self):
            assert audit.verify().ok

    return MotionMachine


def test_motions_hold_their_invariants_in_any_order(db, admin, secretary, clock_at, monkeypatch):
    clock_at(T0)
    # The password check has its own tests; here it would only cost time.
    monkeypatch.setattr(voting, "verify_password", lambda _hash, password: password == "any")
    board = make_committee(admin, "mediation", medical=MEMBERS)
    agency = make_agency()
    db.session.flush()
    machine = machine_for(admin, secretary, board.committee, board.members, agency)
    run_state_machine_as_test(
        machine, settings=settings(max_examples=100, stateful_step_count=50, deadline=None)
    )
