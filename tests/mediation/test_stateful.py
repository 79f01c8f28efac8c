"""Random sequences of actions on one mediation case (hypothesis.stateful), against a model
of the rules written out here, independently of the state table:

- no illegal step succeeds and every legal one does;
- the case opens only after both consents, and the agreement is frozen only after both
  confirmations of the current text; a frozen text never changes;
- the panel always keeps the rules once the case is open (medical, legal, worker; no tie);
- the complaint follows: closed on agreement, investigating or closed on failure;
- the audit chain verifies.
"""

from __future__ import annotations

from datetime import timedelta

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
from sqlalchemy.orm import Session

from portal import audit, clock
from portal.errors import InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.mediation import rules as panel_rules
from portal.mediation.services import cases, documents, outcome, panel, sessions
from tests.mediation.factories import accepted_complaint

TEXT = "双方同意：机构退还体检费用并重新出具报告，申请人撤回投诉。"


class MediationMachine(RuleBasedStateMachine):
    people: dict = {}
    member = None

    def __init__(self):
        super().__init__()
        self.case = None
        self.status = "awaiting_consent"
        self.consents: set[str] = set()
        self.confirms: set[str] = set()
        self.version = 0
        self.sessions = 0
        self.frozen: str | None = None

    def party(self, who: str):
        return self.people["worker" if who == "complainant" else "member"]

    def attempt(self, legal: bool, call) -> bool:
        try:
            with db.session.begin_nested():
                call()
        except (InvalidTransition, ValidationFailed, NotFound):
            assert not legal, f"a legal step was refused in {self.status}"
            return False
        assert legal, f"an illegal step succeeded in {self.status}"
        return True

    @initialize()
    def propose(self):
        clock.reset()
        complaint = accepted_complaint(self.people, self.member)
        self.case = cases.propose(self.people["staff"], complaint)

    @rule(who=st.sampled_from(["complainant", "agency"]))
    def consent(self, who):
        legal = self.status == "awaiting_consent"
        if self.attempt(legal, lambda: cases.consent(self.party(who), self.case)):
            self.consents.add(who)
            if self.consents == {"complainant", "agency"}:
                self.status = "open"

    @rule(who=st.sampled_from(["complainant", "agency"]))
    def decline(self, who):
        legal = self.status == "awaiting_consent"
        if self.attempt(legal, lambda: cases.decline(self.party(who), self.case)):
            self.status = "declined"

    @rule()
    def schedule(self):
        legal = self.status in ("open", "agreement_drafted")
        when = clock.now() + timedelta(hours=1)
        if self.attempt(
            legal,
            lambda: sessions.schedule(
                self.people["staff"], self.case, starts_at=when, place="协会"
            ),
        ):
            self.sessions += 1

    @rule(medical=st.booleans())
    def change_panel(self, medical):
        seated = [self.people["committee"].id, self.people["committee2"].id]
        chosen = seated + ([self.medical.id] if medical else [])
        legal = self.status in ("open", "agreement_drafted") and medical
        self.attempt(legal, lambda: panel.change(self.people["staff"], self.case, chosen))

    @rule(revise=st.booleans())
    def draft(self, revise):
        legal = self.status in ("open", "agreement_drafted")
        text = TEXT + ("（修订）" * self.version if revise else "")
        if self.attempt(
            legal, lambda: outcome.draft_agreement(self.people["staff"], self.case, text)
        ):
            self.status, self.version, self.confirms = "agreement_drafted", self.version + 1, set()

    @rule(who=st.sampled_from(["complainant", "agency"]), stale=st.booleans())
    def confirm(self, who, stale):
        version = self.version - 1 if stale else self.version
        legal = self.status == "agreement_drafted" and not stale
        if self.attempt(
            legal, lambda: outcome.confirm(self.party(who), self.case, version=version)
        ):
            self.confirms.add(who)
            if self.confirms == {"complainant", "agency"}:
                self.status = "agreed"
                self.frozen = self.case.agreement_text

    @rule(after=st.sampled_from(["resume", "close"]))
    def fail(self, after):
        legal = self.status in ("open", "agreement_drafted")
        if self.attempt(
            legal,
            lambda: outcome.fail(
                self.people["staff"],
                self.case,
                reason="分歧无法弥合，调解不成。",
                complaint_after=after,
            ),
        ):
            self.status = "failed"
            self.after = after

    @rule()
    def add_document(self):
        legal = self.status != "declined"
        self.attempt(
            legal,
            lambda: documents.add(self.people["worker"], self.case, title="补充说明", text="说明"),
        )

    @rule()
    def judicial(self):
        legal = self.status == "agreed"
        self.attempt(legal, lambda: outcome.mark_judicial(self.people["staff"], self.case))

    @invariant()
    def status_follows_the_model(self):
        if self.case is not None:
            assert self.case.status == self.status

    @invariant()
    def an_open_case_keeps_the_panel_rules(self):
        if self.case is None or self.status not in ("open", "agreement_drafted", "agreed"):
            return
        categories = {s.category for s in self.case.panel}
        if panel.complete(self.case):
            assert set(panel_rules.REQUIRED) <= categories
        tied = panel.tied(self.case)
        assert not any(s.user_id in tied for s in self.case.panel)

    @invariant()
    def the_frozen_text_never_changes(self):
        if self.frozen is not None:
            assert self.case.agreement_text == self.frozen
            assert self.case.agreement_sha256 == documents.text_hash(self.frozen)

    @invariant()
    def the_complaint_follows(self):
        if self.case is None:
            return
        complaint = self.case.complaint
        if self.status == "agreed":
            assert complaint.status == "closed"
        elif self.status == "failed":
            assert complaint.status == ("investigating" if self.after == "resume" else "closed")
        else:
            assert complaint.status == "accepted"

    def teardown(self):
        # audit.verify expunges what it reads: check the chain in a session of its own, on
        # the test's connection, so the fixtures' objects stay attached.
        db.session.flush()
        with Session(bind=db.session.connection()) as reader:
            assert audit.verify(reader).ok
        clock.reset()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_keep_the_rules(board, seeded, now, people, member):
    MediationMachine.people, MediationMachine.member = people, member
    MediationMachine.medical = board.members[0]
    run_state_machine_as_test(
        MediationMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            database=None,
        ),
    )
