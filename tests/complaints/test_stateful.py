"""Random sequences of actions on one complaint (hypothesis.stateful), against a model of the
spec written out here, independently of the state table:

- no illegal transition succeeds, and every legal one does;
- deadlines never move earlier;
- paused time is never lost: due date - base due date == the pauses' working days;
- the audit chain verifies.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

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

from portal import audit, calendar, clock
from portal.complaints.services import intake, workflow
from portal.complaints.services.intake import Submission
from portal.errors import InvalidTransition, ValidationFailed
from portal.extensions import db
from tests.complaints.conftest import complaint_input

STARTS = [date(2026, 9, 30), date(2026, 2, 13), date(2026, 10, 10), date(2026, 12, 24)]
WORKING = {"accepted", "investigating", "awaiting_material"}


class ComplaintMachine(RuleBasedStateMachine):
    people: dict = {}
    member = None

    def __init__(self):
        super().__init__()
        self.complaint = None
        self.status = "received"
        self.complexity = None
        self.panel = False
        self.seen_due: dict[str, datetime] = {}

    # -- helpers --------------------------------------------------------------------------

    @property
    def staff(self):
        return self.people["staff"]

    def attempt(self, legal: bool, call, then: str | None = None) -> None:
        try:
            with db.session.begin_nested():
                call()
        except (InvalidTransition, ValidationFailed):
            assert not legal, "a legal action was refused"
            return
        assert legal, f"an illegal action succeeded in {self.status}"
        if then is not None:
            self.status = then

    # -- rules ----------------------------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS), hour=st.integers(0, 23))
    def file_one(self, start, hour):
        clock.set_now(datetime.combine(start, time(hour, 15), tzinfo=clock.SHANGHAI))
        self.complaint = intake.file_complaint(
            self.people["worker"],
            complaint_input(self.member),
            submission=Submission("stateful", secrets.token_urlsafe(24)),
        ).complaint

    @rule(level=st.sampled_from(["simple", "complex"]))
    def accept(self, level):
        legal = self.status == "received"
        self.attempt(legal, lambda: workflow.accept(self.staff, self.complaint, level), "accepted")
        if legal:
            self.complexity = level

    @rule()
    def reject(self):
        self.attempt(
            self.status == "received",
            lambda: workflow.reject(self.staff, self.complaint, "不属于受理范围，理由如上。"),
            "rejected",
        )

    @rule()
    def start_investigation(self):
        self.attempt(
            self.status == "accepted",
            lambda: workflow.start_investigation(self.staff, self.complaint),
            "investigating",
        )

    @rule()
    def request_material(self):
        self.attempt(
            self.status in ("accepted", "investigating"),
            lambda: workflow.request_material(
                self.staff, self.complaint, "请补充体检报告原件照片。"
            ),
            "awaiting_material",
        )

    @rule(by_complainant=st.booleans())
    def material_arrives(self, by_complainant):
        actor = self.people["worker"] if by_complainant else self.staff
        legal = self.status in ("received", "accepted", "investigating", "awaiting_material")
        then = "investigating" if self.status == "awaiting_material" else self.status
        self.attempt(
            legal, lambda: workflow.add_material(actor, self.complaint, "补充材料。"), then
        )

    @rule()
    def assign_panel(self):
        legal = self.complexity == "complex" and self.status in WORKING
        seats = {
            "clinical": self.people["committee"].id,
            "legal": self.people["committee2"].id,
            "industry": self.people["staff2"].id,
        }
        self.attempt(legal, lambda: workflow.assign_panel(self.staff, self.complaint, seats))
        if legal:
            self.panel = True

    @rule(finding=st.sampled_from(["substantiated", "partly_substantiated", "not_substantiated"]))
    def resolve(self, finding):
        legal = self.status == "investigating" and (self.complexity == "simple" or self.panel)
        self.attempt(
            legal,
            lambda: workflow.resolve(
                self.staff, self.complaint, finding, "经调查，结论如下。结论。"
            ),
            "resolved",
        )

    @rule()
    def close(self):
        self.attempt(
            self.status == "resolved", lambda: workflow.close(self.staff, self.complaint), "closed"
        )

    @rule(days=st.integers(0, 12), hour=st.integers(0, 23))
    def time_passes(self, days, hour):
        today = clock.today()
        target = datetime.combine(
            calendar.add_working_days(today, days), time(hour), tzinfo=clock.SHANGHAI
        )
        clock.set_now(max(clock.now(), target))

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def status_follows_the_model(self):
        if self.complaint is not None:
            assert self.complaint.status == self.status

    @invariant()
    def deadlines_never_move_earlier(self):
        if self.complaint is None:
            return
        for deadline in self.complaint.deadlines:
            earlier = self.seen_due.get(deadline.kind)
            assert earlier is None or deadline.due_at >= earlier
            self.seen_due[deadline.kind] = deadline.due_at

    @invariant()
    def paused_time_is_never_lost(self):
        if self.complaint is None:
            return
        for deadline in self.complaint.deadlines:
            held = sum(p.working_days_held or 0 for p in deadline.pauses if p.ended_at)
            assert deadline.paused_working_days == held
            moved = calendar.working_days_between(deadline.base_due_date, deadline.due_date)
            assert moved == held
            assert (deadline.paused_since is not None) == any(
                p.ended_at is None for p in deadline.pauses
            )
        if self.status == "awaiting_material":
            assert self.complaint.deadline("resolution").paused_since is not None

    def teardown(self):
        result = audit.verify()
        assert result.ok, result
        clock.reset()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_of_actions_keep_the_invariants(seeded, people, member):
    ComplaintMachine.people, ComplaintMachine.member = people, member
    try:
        run_state_machine_as_test(
            ComplaintMachine,
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
