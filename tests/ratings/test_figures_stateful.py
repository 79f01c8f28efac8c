"""Random sequences of filing, amending, validating and correcting one year's figures
(hypothesis.stateful), against a model written out here: a member amends only until the
secretariat validates; a correction works in any state and needs a reason; every success
leaves one version in the history; the audit chain verifies."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from portal import audit
from portal.errors import InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.ratings.services import figures as service

values = st.fixed_dictionaries(
    {
        "enterprises_served": st.integers(1, 500),
        "workers_examined": st.integers(0, 20_000),
        "reports_issued": st.integers(0, 5000),
        "reports_corrected": st.integers(0, 50),
        "abnormal_results": st.integers(0, 100),
    }
)


def valid(data: dict) -> bool:
    return data["reports_corrected"] <= data["reports_issued"] and data["abnormal_results"] <= max(
        data["workers_examined"], data["reports_issued"]
    )


class FiguresMachine(RuleBasedStateMachine):
    people: dict = {}

    def __init__(self):
        super().__init__()
        self.savepoint = db.session.begin_nested()
        self.figures = None
        self.status = None
        self.versions = 0

    def teardown(self):
        self.savepoint.rollback()

    def attempt(self, legal: bool, call) -> bool:
        try:
            with db.session.begin_nested():
                call()
        except (InvalidTransition, ValidationFailed, NotFound):
            assert not legal, "a legal action was refused"
            return False
        assert legal, "an illegal action succeeded"
        return True

    @rule(data=values)
    def member_files(self, data):
        legal = valid(data) and self.status in (None, "filed")
        before = self.figures.values() if self.figures else None

        def call():
            self.figures = service.file_figures(self.people["member"], 2025, data)

        if self.attempt(legal, call):
            if before != data:
                self.versions += 1
            self.status = "filed"

    @rule()
    def staff_validates(self):
        if self.figures is None:
            return
        if self.attempt(
            self.status == "filed", lambda: service.validate(self.people["staff"], self.figures)
        ):
            self.status, self.versions = "validated", self.versions + 1

    @rule(data=values, reason=st.sampled_from(["", "ok", "Checked against the invoices."]))
    def staff_corrects(self, data, reason):
        if self.figures is None:
            return
        legal = valid(data) and len(reason) >= 5
        if self.attempt(
            legal, lambda: service.correct(self.people["staff"], self.figures, data, reason)
        ):
            self.status, self.versions = "validated", self.versions + 1

    @invariant()
    def history_matches(self):
        if self.figures is not None:
            assert self.figures.status == self.status
            assert len(self.figures.changes) == self.versions


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_keep_the_invariants(now, people):
    FiguresMachine.people = people
    run_state_machine_as_test(
        FiguresMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
    assert audit.verify().ok
