"""Random sequences of discipline actions (hypothesis.stateful) against a model written out
here, independently of the state tables:

- a sanction outside its level (or term) is refused, and one inside it accepted;
- a sanction is never executed while its appeal window is open or an appeal is pending;
- it is never executed twice, never when revoked, never outside its level;
- only executed general and serious sanctions are published, once each;
- `sanction_facts` lists exactly the executed decisions;
- the audit chain verifies.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from portal import audit, calendar, clock
from portal.audit import AuditEntry
from portal.discipline.constants import MEASURES, TERM_MONTHS, Level, Measure
from portal.discipline.facts import sanction_facts
from portal.discipline.models import Decision
from portal.discipline.services import appeals, cases, decisions
from portal.discipline.tasks import sweep
from portal.errors import DeadlinePassed, InvalidTransition, ValidationFailed
from portal.extensions import db
from portal.publication.models import PublicEntry
from tests.committees.factories import cast, close
from tests.discipline.factories import make_agency
from tests.factories import make_user

_serial = itertools.count(1)
ALL_MEASURES = [m.value for m in Measure]
REFUSED = (InvalidTransition, ValidationFailed, DeadlinePassed)


def fits(level: str, measures: list[str], months: int | None) -> bool:
    allowed = {m.value for m in MEASURES[Level(level)]}
    term = TERM_MONTHS[Level(level)]
    if not measures or not set(measures) <= allowed:
        return False
    if "order_to_rectify" in measures:
        return False  # the machine gives no due date: refused
    if term is None:
        return not months
    return months is not None and term[0] <= months <= term[1]


class DisciplineMachine(RuleBasedStateMachine):
    world: dict = {}

    def __init__(self):
        super().__init__()
        clock.set_now(datetime.combine(date(2026, 3, 2), time(10), tzinfo=clock.SHANGHAI))
        self.cases: list = []
        # Each example has its own agency (the database keeps earlier examples' rows).
        self.agency_user = make_user("member", username=f"sm-agency-{next(_serial)}")
        self.agency = make_agency(user=self.agency_user)

    @property
    def staff(self):
        return self.world["staff"]

    def attempt(self, legal: bool, call):
        try:
            with db.session.begin_nested():
                result = call()
        except REFUSED:
            assert not legal, "a legal action was refused"
            return None
        assert legal, "an illegal action succeeded"
        return result

    @rule(data=st.data())
    def propose(self, data):
        level = data.draw(st.sampled_from(["minor", "general", "serious"]))
        in_table = [m.value for m in MEASURES[Level(level)] if m.value != "order_to_rectify"]
        pool = in_table if data.draw(st.booleans()) else ALL_MEASURES
        measures = data.draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))
        term = TERM_MONTHS[Level(level)]
        fitting = st.none() if term is None else st.integers(term[0], term[1])
        months = data.draw(st.one_of(fitting, st.sampled_from([None, 0, 2, 13, 37])))
        case = cases.open_case(
            self.staff,
            member_id=self.agency.id,
            source="direct",
            summary="随机案件",
            findings="随机发现。",
        )
        legal = fits(level, measures, months)
        self.attempt(
            legal,
            lambda: cases.propose(
                self.staff,
                case,
                level=level,
                measures=measures,
                publication_months=months,
                reasons="理由。",
            ),
        )
        if legal:
            self.cases.append(case)

    def _in(self, statuses) -> list:
        return [c for c in self.cases if c.status in statuses]

    def _decisions(self, statuses) -> list[Decision]:
        return [
            c.decision
            for c in self.cases
            if c.decision is not None and c.decision.status in statuses
        ]

    @precondition(lambda self: self._in({"proposed"}))
    @rule(pick=st.integers(0, 50), yes=st.integers(0, 9))
    def decide(self, pick, yes):
        chosen = self._in({"proposed"})
        case = chosen[pick % len(chosen)]
        legal = True
        if case.level == "minor":
            self.attempt(legal, lambda: cases.decide_minor(self.staff, case))
            return
        motion = self.attempt(
            legal,
            lambda: cases.submit_to_committee(self.staff, case, clock.now() + timedelta(days=2)),
        )
        if motion is None:
            return
        for user in self.world["board"][:yes]:
            cast(user, motion)
        close(motion)
        assert case.status == ("decided" if yes >= 6 else "proposed")

    def _decision(self, pick, statuses=("notified", "appealed", "in_force", "revoked")):
        made = self._decisions(set(statuses))
        return made[pick % len(made)] if made else None

    @precondition(lambda self: self._decisions({"notified"}))
    @rule(pick=st.integers(0, 50))
    def appeal_pending_decision(self, pick):
        self.appeal(pick, ("notified",))

    @rule(pick=st.integers(0, 50))
    def appeal(self, pick, statuses=("notified", "appealed", "in_force", "revoked")):
        decision = self._decision(pick, statuses)
        if decision is None:
            return
        legal = decision.status == "notified" and clock.now() <= decision.appeal_due_at
        self.attempt(
            legal,
            lambda: decisions.file_appeal(self.agency_user, decision, "申诉理由如下：事实不清。"),
        )

    @precondition(lambda self: self._decisions({"appealed"}))
    @rule(
        pick=st.integers(0, 50),
        outcome=st.sampled_from(["upheld", "revoked", "changed"]),
        yes=st.integers(0, 6),
    )
    def decide_appeal(self, pick, outcome, yes):
        decision = self._decision(pick, ("appealed", "in_force", "notified"))
        if decision is None:
            return
        legal = decision.status == "appealed" and decision.appeal.status == "pending"
        change = {}
        if outcome == "changed":
            other = {"minor": "general", "general": "serious", "serious": "minor"}[decision.level]
            first = MEASURES[Level(other)][0].value
            months = {"minor": None, "general": 3, "serious": 12}[other]
            change = {"level": other, "measures": [first], "publication_months": months}
        motion = self.attempt(
            legal,
            lambda: appeals.propose_outcome(
                self.staff,
                decision,
                outcome=outcome,
                closes_at=clock.now() + timedelta(days=1),
                reasons="理由。",
                **change,
            ),
        )
        if motion is None:
            return
        for user in self.world["appeal_board"][:yes]:
            cast(user, motion)
        close(motion)
        if yes >= 4:  # two-thirds of 6
            assert decision.status == ("revoked" if outcome == "revoked" else "in_force")
        else:
            assert decision.status == "appealed"

    @rule(days=st.integers(1, 12), hour=st.integers(0, 23))
    def time_passes(self, days, hour):
        target = datetime.combine(
            calendar.add_working_days(clock.today(), days), time(hour), tzinfo=clock.SHANGHAI
        )
        clock.set_now(max(clock.now(), target))
        sweep()

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def executed_only_when_final_and_once(self):
        executed = dict(
            db.session.execute(
                select(AuditEntry.object_id, func.count())
                .where(AuditEntry.action == "discipline.decision_took_effect")
                .group_by(AuditEntry.object_id)
            ).all()
        )
        entries = dict(
            db.session.execute(
                select(PublicEntry.source_ref, func.count()).group_by(PublicEntry.source_ref)
            ).all()
        )
        for case in self.cases:
            decision = case.decision
            if decision is None:
                continue
            db.session.refresh(decision)
            runs = executed.get(str(decision.id), 0)
            published = entries.get(decision.ref, 0)
            assert runs <= 1 and published <= 1
            if decision.status in ("notified", "appealed", "revoked"):
                assert runs == 0 and published == 0 and decision.took_effect_at is None
            if decision.status == "appealed":
                assert decision.appeal is not None and decision.appeal.status != "decided"
            if decision.status == "in_force":
                assert runs == 1
                assert set(decision.measures) <= {m.value for m in MEASURES[Level(decision.level)]}
                assert published == (0 if decision.level == "minor" else 1)

    @invariant()
    def facts_are_the_executed_decisions(self):
        facts = sanction_facts(date(2000, 1, 1), [self.agency.id])
        listed = {f.decision_no for fs in facts.values() for f in fs}
        in_force = {
            c.decision.number
            for c in self.cases
            if c.decision is not None and c.decision.status == "in_force"
        }
        assert listed == in_force

    def teardown(self):
        result = audit.verify()
        assert result.ok, result
        clock.reset()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_keep_the_invariants(now, staff, committees):
    board, appeal_board = committees
    DisciplineMachine.world = {"staff": staff, "board": board, "appeal_board": appeal_board}
    try:
        run_state_machine_as_test(
            DisciplineMachine,
            settings=settings(
                max_examples=40,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
                database=None,
            ),
        )
    finally:
        clock.reset()
