"""The committees' sweeps, each safe to run any number of times, at once or in any order.

- `committees.close_due` (every 5 minutes): closes every open motion whose closing time
  has passed. `close_motion` claims the motion with a conditional UPDATE, so a second run,
  or a second process, finds nothing to do. Each motion is committed on its own, so a hook
  that fails for one motion does not hold back the others (it is retried next run).
- `committees.vote_reminders` (every 15 minutes): a day before a vote closes, reminds every
  eligible voter who has not voted. Each reminder is claimed with a conditional UPDATE on
  the voter's row (`reminded_at IS NULL`), so it goes out once per voter per motion. A
  motion opened less than a day before its closing time gets no reminder: the notice of
  opening went out within that day.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select, update

from portal import clock, notifications, scheduler
from portal.committees.models import Motion, MotionVoter, Vote
from portal.committees.motions import NOTICE_LOCALE, close_motion, due_for_closing, motion_path
from portal.committees.states import MotionStatus
from portal.extensions import db

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=1)


@scheduler.job("committees.close_due", minutes=5)
def close_due() -> int:
    """Close the motions whose closing time has passed; how many were closed."""
    closed = 0
    for motion_id in due_for_closing():
        motion = db.session.get(Motion, motion_id)
        try:
            if motion is not None and motion.status == MotionStatus.OPEN and close_motion(motion):
                closed += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("closing motion %s failed; the next run tries again", motion_id)
    return closed


def _due_reminders(now) -> list[tuple[MotionVoter, Motion]]:
    has_voted = exists().where(
        Vote.motion_id == MotionVoter.motion_id, Vote.voter_id == MotionVoter.user_id
    )
    rows = db.session.execute(
        select(MotionVoter, Motion)
        .join(Motion, Motion.id == MotionVoter.motion_id)
        .where(
            Motion.status == MotionStatus.OPEN.value,
            Motion.closes_at > now,
            Motion.closes_at <= now + REMIND_BEFORE,
            MotionVoter.recused.is_(False),
            MotionVoter.reminded_at.is_(None),
            ~has_voted,
        )
        .order_by(Motion.closes_at, MotionVoter.id)
    ).all()
    return [
        (voter, motion)
        for voter, motion in rows
        if motion.opened_at is not None and motion.opened_at <= motion.closes_at - REMIND_BEFORE
    ]


@scheduler.job("committees.vote_reminders", minutes=15)
def send_vote_reminders() -> int:
    """Remind the eligible voters who have not voted, a day before closing; how many."""
    now = clock.now()
    sent = 0
    for voter, motion in _due_reminders(now):
        claimed = db.session.execute(
            update(MotionVoter)
            .where(MotionVoter.id == voter.id, MotionVoter.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        with force_locale(NOTICE_LOCALE):
            when = clock.shanghai(motion.closes_at).strftime("%Y-%m-%d %H:%M")
            title = _("Reminder: vote on %(title)s", title=motion.title)
            body = _(
                "You have not voted yet on “%(title)s”. The vote closes at %(when)s (Beijing "
                "time).",
                title=motion.title,
                when=when,
            )
        notifications.notify(
            voter.user,
            kind="committees.vote_reminder",
            title=title,
            body=body,
            link=motion_path(motion.id),
        )
        sent += 1
    return sent
