"""The sweeps: reminders a day before closing, once per voter; closing, once per motion."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal import clock
from portal.committees import hooks, tasks
from portal.committees.models import Motion
from portal.extensions import db
from portal.notifications import Notification
from tests.committees.factories import cast, open_vote


def _reminded(user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "committees.vote_reminder")
    )


def test_reminders_go_once_to_those_who_have_not_voted(board, secretary):
    motion = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=3))
    voted, waiting = board.members[0], board.members[1]
    cast(voted, motion, "yes")
    assert tasks.send_vote_reminders() == 0  # two days before closing: not yet
    clock.set_now(motion.closes_at - timedelta(hours=23))
    assert tasks.send_vote_reminders() == 8
    assert tasks.send_vote_reminders() == 0  # a second run sends nothing
    clock.set_now(motion.closes_at - timedelta(hours=2))
    assert tasks.send_vote_reminders() == 0
    assert _reminded(voted) == 0 and _reminded(waiting) == 1
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == waiting.id, Notification.kind == "committees.vote_reminder"
        )
    )
    assert note.link == f"/committee/motions/{motion.id}"


def test_the_recused_are_not_reminded(board, secretary):
    motion = open_vote(
        secretary,
        board.committee,
        closes_at=clock.now() + timedelta(days=2),
        also_recused={board.members[0].id: "excluded"},
    )
    clock.set_now(motion.closes_at - timedelta(hours=12))
    assert tasks.send_vote_reminders() == 8
    assert _reminded(board.members[0]) == 0


def test_a_short_vote_gets_no_reminder(board, secretary):
    motion = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(hours=20))
    assert tasks.send_vote_reminders() == 0
    clock.set_now(motion.closes_at - timedelta(hours=1))
    assert tasks.send_vote_reminders() == 0


def test_the_closing_sweep_is_idempotent(board, secretary):
    calls = []
    callback = hooks.on_motion_closed("other", lambda motion: calls.append(motion.id))
    try:
        first = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=1))
        second = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=2))
        for member in board.members[:5]:
            cast(member, first, "yes")
        assert tasks.close_due() == 0
        clock.set_now(first.closes_at)  # due at its closing time
        assert tasks.close_due() == 1
        assert tasks.close_due() == 0
        db.session.refresh(first)
        closed_at, counts = first.closed_at, (first.yes_count, first.eligible_count)
        clock.set_now(second.closes_at + timedelta(hours=1))
        assert tasks.close_due() == 1
        assert tasks.close_due() == 0
    finally:
        hooks.remove_motion_closed("other", callback)
    db.session.refresh(first)
    assert (first.result, first.closed_at, (first.yes_count, first.eligible_count)) == (
        "passed",
        closed_at,
        counts,
    )
    assert calls == [first.id, second.id]
    assert db.session.get(Motion, second.id).result == "failed"


def test_a_failing_hook_holds_back_only_its_motion(board, secretary):
    def broken(_motion):
        raise RuntimeError("discipline is not ready")

    hooks.on_motion_closed("sanction", broken)
    try:
        from tests.committees.factories import make_agency

        agency = make_agency()
        bad = open_vote(
            secretary,
            board.committee,
            subject_type="sanction",
            member_id=agency.id,
            closes_at=clock.now() + timedelta(days=1),
        )
        good = open_vote(secretary, board.committee, closes_at=clock.now() + timedelta(days=1))
        db.session.commit()  # as the pages that opened them did
        clock.set_now(bad.closes_at + timedelta(minutes=5))
        assert tasks.close_due() == 1
    finally:
        hooks.remove_motion_closed("sanction", broken)
    assert db.session.get(Motion, good.id).status == "closed"
    assert db.session.get(Motion, bad.id).status == "open"  # retried on the next run
    assert tasks.close_due() == 1
