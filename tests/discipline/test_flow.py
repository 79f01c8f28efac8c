"""From the committee's vote to the decision, the appeal window, the appeal committee and
the sanction's effects; with the real publication domain and with a spy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import audit, clock
from portal.audit import AuditEntry
from portal.committees.models import MotionVoter
from portal.discipline.services import decisions
from portal.discipline.tasks import sweep
from portal.errors import DeadlinePassed, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.notifications import Notification
from tests.discipline.factories import (
    GENERAL,
    SERIOUS,
    appeal,
    decide_appeal,
    let_window_pass,
    voted,
)


def executions(decision) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "discipline.decision_took_effect",
            AuditEntry.object_id == str(decision.id),
        )
    )


def test_a_passed_vote_issues_a_numbered_decision_and_notifies_the_agency(
    now, staff, agency, agency_user, committees
):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    assert decision is not None and decision.number == "OHA-D-2026-001"
    assert decision.decided_by == "committee" and decision.status == "notified"
    # Notified when the vote closed, Thu 18 June; 19 June is the Dragon Boat Festival, so
    # the 10th working day after it is Fri 3 July.
    assert clock.shanghai(decision.notified_at).date() == date(2026, 6, 18)
    assert clock.shanghai(decision.appeal_due_at).date() == date(2026, 7, 3)
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == agency_user.id, Notification.kind == "discipline.decided"
        )
    )
    assert note is not None and decision.number in note.title
    from portal.mail import OutboxMessage

    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == agency_user.email)
    )
    assert mail is not None and decision.number in mail.subject


def test_a_failed_vote_sends_the_case_back_to_its_proposal(now, staff, agency, committees):
    board, _appeal = committees
    assert voted(staff, agency, board, GENERAL, yes=5) is None  # 5 of 9 < two-thirds


def test_the_window_closing_unused_executes_and_publishes_once(now, staff, agency, committees):
    from portal.publication.models import PublicEntry

    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    sweep()
    assert decision.status == "notified" and executions(decision) == 0
    let_window_pass(decision)
    assert decision.status == "in_force" and decision.took_effect_on == date(2026, 7, 4)
    assert agency.suspended and agency.suspended_until == date(2026, 10, 4)
    entry = db.session.scalar(select(PublicEntry).where(PublicEntry.source_ref == decision.ref))
    assert entry is not None and entry.published_until == date(2027, 1, 4)
    assert not entry.blacklist and entry.appeal_outcome is None
    sweep()
    sweep()
    assert executions(decision) == 1
    assert audit.verify().ok


def test_nothing_is_executed_while_an_appeal_is_pending(
    now, staff, agency, agency_user, committees, published
):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    appeal(agency_user, decision)
    assert decision.status == "appealed"
    clock.set_now(decision.appeal_due_at + timedelta(days=40))
    sweep()
    assert decision.status == "appealed" and executions(decision) == 0
    assert published["publish"] == [] and not agency.suspended


def test_the_appeal_window_is_enforced(now, staff, agency, agency_user, committees):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    with pytest.raises(ValidationFailed):
        appeal(agency_user, decision, "太短")
    clock.set_now(decision.appeal_due_at + timedelta(seconds=1))
    with pytest.raises(DeadlinePassed):
        appeal(agency_user, decision)


def test_only_the_agency_appeals(now, staff, agency, committees):
    from tests.discipline.factories import make_agency
    from tests.factories import make_user

    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    stranger = make_user("member", username="other-agency")
    make_agency(user=stranger)
    with pytest.raises(NotFound):
        appeal(stranger, decision)


def test_first_voters_are_recused_from_the_appeal(
    now, staff, agency, agency_user, committees, admin, published
):
    from tests.committees.factories import get_or_create, seat

    board, appeal_board = committees
    both = board[0]
    seat(admin, get_or_create(admin, "appeal"), both, "large")
    decision = voted(staff, agency, board, GENERAL)
    appeal(agency_user, decision)
    decide_appeal(staff, decision, appeal_board, "upheld")
    voter = db.session.scalar(
        select(MotionVoter).where(
            MotionVoter.motion_id == decision.appeal.motion_id, MotionVoter.user_id == both.id
        )
    )
    assert voter.recused and voter.recusal_kind == "excluded"
    assert decision.status == "in_force" and decision.appeal_outcome == "upheld"
    assert [call["appeal_outcome"] for call in published["publish"]] == ["upheld"]
    assert executions(decision) == 1


def test_an_appeal_may_change_the_sanction_within_the_table(
    now, staff, agency, agency_user, committees, published
):
    board, appeal_board = committees
    decision = voted(staff, agency, board, GENERAL)
    appeal(agency_user, decision)
    with pytest.raises(ValidationFailed):
        decide_appeal(
            staff,
            decision,
            appeal_board,
            "changed",
            level="general",
            measures=["expulsion"],
            publication_months=6,
        )
    decide_appeal(
        staff,
        decision,
        appeal_board,
        "changed",
        level="general",
        measures=["written_warning"],
        publication_months=3,
    )
    assert decision.status == "in_force" and decision.measures == ["written_warning"]
    assert decision.original_measures == ["written_warning", "suspension_3_months"]
    assert not agency.suspended
    assert published["publish"][0]["appeal_outcome"] == "changed"
    assert published["publish"][0]["measures"] == ["written_warning"]


def test_a_revoked_decision_is_never_executed(
    now, staff, agency, agency_user, committees, published
):
    from portal.discipline.facts import sanction_facts

    board, appeal_board = committees
    decision = voted(staff, agency, board, SERIOUS)
    appeal(agency_user, decision)
    decide_appeal(staff, decision, appeal_board, "revoked")
    assert decision.status == "revoked" and executions(decision) == 0
    assert published["publish"] == [] and agency.expelled_at is None
    assert sanction_facts(date(2026, 1, 1)) == {}


def test_a_failed_appeal_vote_leaves_the_appeal_pending(
    now, staff, agency, agency_user, committees, published
):
    from portal.discipline.services import appeals
    from tests.committees.factories import close

    board, appeal_board = committees
    decision = voted(staff, agency, board, GENERAL)
    appeal(agency_user, decision)
    motion = appeals.propose_outcome(
        staff,
        decision,
        outcome="revoked",
        closes_at=clock.now() + timedelta(days=1),
        reasons="理由",
    )
    close(motion)
    assert decision.appeal.status == "pending" and decision.status == "appealed"
    decide_appeal(staff, decision, appeal_board, "upheld")
    assert decision.status == "in_force"


def test_the_sweep_warns_and_escalates_an_appeal(now, staff, agency, agency_user, committees):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    filed = appeal(agency_user, decision)
    clock.set_now(filed.warn_at + timedelta(minutes=1))
    assert sweep() == 1 and filed.warned_at is not None
    clock.set_now(filed.due_at + timedelta(minutes=1))
    assert sweep() == 1 and filed.escalated_at is not None
    assert sweep() == 0


def test_the_agency_is_reminded_before_the_window_closes(
    now, staff, agency, agency_user, committees
):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    clock.set_now(decision.appeal_warn_at + timedelta(minutes=1))
    assert sweep() == 1 and sweep() == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.user_id == agency_user.id,
                Notification.kind == "discipline.window_closing",
            )
        )
        == 1
    )


def test_a_suspension_lifts_itself_after_three_calendar_months(
    now, staff, agency, committees, published
):
    board, _appeal = committees
    decision = voted(staff, agency, board, GENERAL)
    let_window_pass(decision)
    assert agency.suspended
    clock.set_now(clock.now() + timedelta(days=91))  # 3 Oct 2026: still suspended
    sweep()
    db.session.refresh(agency)
    assert agency.suspended and decision.lifted_at is None
    clock.set_now(clock.now() + timedelta(days=1))  # 4 Oct 2026: three months on
    sweep()
    db.session.refresh(agency)
    assert not agency.suspended and decision.lifted_at is not None


def test_expulsion_ends_membership_and_a_letter_is_due(now, staff, agency, committees, published):
    board, _appeal = committees
    decision = voted(staff, agency, board, SERIOUS)
    from portal.members.services import directory

    listed = lambda: list(db.session.scalars(directory.search(directory.Filters.clean())))  # noqa: E731
    assert agency in listed()
    let_window_pass(decision)
    assert agency.expelled_at is not None and agency not in listed()
    call = published["publish"][0]
    assert call["blacklist"] and call["level"] == "serious"
    assert call["published_until"] == date(2028, 7, 4)


def test_an_order_to_rectify_is_followed(now, staff, agency, agency_user):
    from tests.discipline.factories import decided_minor

    decision = decided_minor(staff, agency, ("order_to_rectify",), due=date(2026, 8, 31))
    with pytest.raises(InvalidTransition):
        decisions.report_rectification(agency_user, decision, "已补齐全部问诊记录。")
    let_window_pass(decision)
    clock.set_now(clock.now().replace(month=9, day=2))
    assert sweep() == 1 and decision.rectify_escalated_at is not None
    decisions.report_rectification(agency_user, decision, "已补齐全部问诊记录。")
    decisions.accept_rectification(staff, decision)
    assert decision.rectification_accepted_at is not None


def test_a_calendar_change_moves_the_open_appeal_window(now, staff, agency):
    from portal import calendar_edits
    from tests.discipline.factories import decided_minor

    decision = decided_minor(staff, agency)  # notified Mon 15 June (19 June is a holiday)
    assert clock.shanghai(decision.appeal_due_at).date() == date(2026, 6, 30)
    calendar_edits.set_day(date(2026, 6, 22), workday=False, note="临时休息日", actor=staff)
    db.session.refresh(decision)
    assert clock.shanghai(decision.appeal_due_at).date() == date(2026, 7, 1)
