"""Random sequences of actions on one public entry (hypothesis.stateful), against a model
written out here:

- the entry is on the lists (facts and the blacklist query) exactly when the model says:
  inside its term and not ended early;
- an early end never moves once set; at most one credit-repair application is open;
- repair is refused before the minimum term and after the entry ended;
- the audit chain verifies.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from portal import audit, clock
from portal.errors import InvalidTransition, ValidationFailed
from portal.extensions import db
from portal.publication import agency, facts, queries, secretariat
from portal.publication.agency import Upload
from portal.publication.constants import REPAIR_MIN_MONTHS, add_months
from portal.publication.services import withdraw_entry
from tests.factories import make_user
from tests.files.samples import PDF
from tests.publication.factories import link_user, make_entry, make_member


class EntryMachine(RuleBasedStateMachine):
    staff = None

    def __init__(self):
        super().__init__()
        self.entry = None
        self.user = None
        self.ended_on = None
        self.open_repair = None

    def attempt(self, legal: bool, call):
        try:
            with db.session.begin_nested():
                result = call()
        except (InvalidTransition, ValidationFailed):
            assert not legal, "a legal action was refused"
            return None
        assert legal, "an illegal action succeeded"
        return result

    def today(self):
        return clock.today()

    def in_term(self) -> bool:
        e = self.entry
        return e.took_effect_on <= self.today() <= e.published_until

    def in_force(self) -> bool:
        return self.in_term() and (self.ended_on is None or self.ended_on > self.today())

    @initialize(
        level=st.sampled_from(["general", "serious"]),
        months=st.integers(0, 24),
        days_ago=st.integers(-10, 500),
    )
    def publish(self, level, months, days_ago):
        start = datetime(2026, 6, 15, 2, tzinfo=clock.SHANGHAI)
        clock.set_now(start)
        low, high = (3, 12) if level == "general" else (12, 36)
        member = make_member()
        self.user = make_user("member")
        link_user(self.user, member)
        took = start.date() - timedelta(days=days_ago)
        self.entry = make_entry(
            member, level=level, took_effect_on=took, months=low + months % (high - low + 1)
        )

    @rule(days=st.integers(1, 200))
    def time_passes(self, days):
        now = clock.now() + timedelta(days=days)
        clock.set_now(datetime.combine(now.date(), time(10), tzinfo=clock.SHANGHAI))

    @rule()
    def withdraw(self):
        withdraw_entry("test", source_ref=self.entry.source_ref, reason="申诉撤销")
        if self.ended_on is None:
            self.ended_on = self.today()

    @rule()
    def apply(self):
        opens = add_months(self.entry.took_effect_on, REPAIR_MIN_MONTHS[self.entry.level])
        legal = self.in_force() and self.today() >= opens and self.open_repair is None
        repair = self.attempt(
            legal,
            lambda: agency.apply_for_repair(
                self.user,
                self.entry,
                rectification="已整改",
                commitment_accepted=True,
                commitment_name="张三",
                files=[Upload(PDF, "p.pdf")],
            ),
        )
        if repair is not None:
            self.open_repair = repair

    @rule(grant=st.booleans())
    def decide(self, grant):
        if self.open_repair is None:
            return
        legal = not grant or self.in_force()
        repair = self.open_repair
        done = self.attempt(
            legal,
            lambda: secretariat.decide_repair(self.staff, repair, grant=grant, reason="理由"),
        )
        if done is not None:
            self.open_repair = None
            if grant:
                self.ended_on = self.today()

    @invariant()
    def the_lists_follow_the_model(self):
        if self.entry is None:
            return
        today = self.today()
        member_id = self.entry.member_id
        assert self.entry.ended_on == self.ended_on
        on_blacklist = member_id in facts.blacklisted_member_ids(today)
        assert on_blacklist == (self.in_force() and self.entry.blacklist)
        assert (member_id in facts.levels_in_force(today)) == self.in_force()
        listed = db.session.scalars(queries.blacklist(queries.BlacklistFilters())).all()
        assert (self.entry in listed) == on_blacklist
        assert len([r for r in agency.repairs_of(self.entry) if r.status == "submitted"]) <= 1

    def teardown(self):
        result = audit.verify()
        assert result.ok, result
        clock.reset()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_keep_the_lists_right(seeded, people, upload_dir):
    EntryMachine.staff = people["staff"]
    try:
        run_state_machine_as_test(
            EntryMachine,
            settings=settings(
                max_examples=30,
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
                database=None,
            ),
        )
    finally:
        clock.reset()
