"""`discipline.sweep` (every 5 minutes): the clocks of discipline, each item done once.

- the appeal window: the agency is reminded once when 2 working days are left
  (`window_warned_at`); when it closed unused the sanction takes effect (`effects.take_effect`
  claims the decision's status with a conditional UPDATE, so it happens once);
- the appeal committee's 15 working days: the secretariat is warned once when 3 are left
  (`warned_at`) and the appeal is escalated once when they pass (`escalated_at`);
- suspensions end by themselves on their last day (`lifted_at`);
- an overdue order to rectify is escalated to the secretariat once (`rectify_escalated_at`).

Flags are claimed with conditional UPDATEs (`... WHERE flag IS NULL`) and each item is
committed on its own, so two scheduler processes never act twice on one item, and a sweep
catches up by itself: it looks at everything due, not at what happened since its last run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from portal import audit, clock, scheduler
from portal.discipline.models import Appeal, Decision
from portal.discipline.services import effects, notices
from portal.discipline.states import Action, AppealStatus, DecisionStatus
from portal.extensions import db

log = logging.getLogger(__name__)
ACTOR = "scheduler:discipline.sweep"


def _claim(model, item_id: int, column: str, now: datetime) -> bool:
    flag = getattr(model, column)
    result = db.session.execute(
        update(model)
        .where(model.id == item_id, flag.is_(None))
        .values({column: now})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _each(ids: Iterable[int], act: Callable[[int], bool]) -> int:
    done = 0
    for item_id in ids:
        try:
            if act(item_id):
                done += 1
            db.session.commit()  # one item, one transaction
        except Exception:
            db.session.rollback()
            raise
    return done


def _take_effect(decision_id: int) -> bool:
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.status != DecisionStatus.NOTIFIED:
        return False
    return effects.take_effect(ACTOR, decision, Action.TAKE_EFFECT, None)


def _warn_window(decision_id: int, now: datetime) -> bool:
    if not _claim(Decision, decision_id, "window_warned_at", now):
        return False
    decision = db.session.get(Decision, decision_id)
    when = clock.shanghai(decision.appeal_due_at).strftime("%Y-%m-%d %H:%M")
    notices.tell_agency(
        decision.member_id,
        "discipline.window_closing",
        lambda: (
            _("Appeal window closing: %(number)s", number=decision.number),
            _(
                "You may appeal decision %(number)s until %(when)s (Beijing time). After "
                "that the sanction takes effect.",
                number=decision.number,
                when=when,
            ),
        ),
        notices.agency_path(decision.id),
    )
    audit.record(
        "discipline.window_warning", decision, actor=ACTOR, payload={"number": decision.number}
    )
    return True


def _warn_appeal(appeal_id: int, now: datetime) -> bool:
    if not _claim(Appeal, appeal_id, "warned_at", now):
        return False
    appeal = db.session.get(Appeal, appeal_id)
    number = appeal.decision.number
    due = clock.shanghai(appeal.due_at).date().isoformat()
    notices.tell_staff(
        "discipline.appeal_warning",
        lambda: (
            _("Appeal deadline near: %(number)s", number=number),
            _(
                "The appeal committee must decide the appeal against decision %(number)s "
                "by %(due)s.",
                number=number,
                due=due,
            ),
        ),
        notices.staff_decision_path(appeal.decision_id),
    )
    audit.record("discipline.appeal_warning", appeal, actor=ACTOR, payload={"due": due})
    return True


def _escalate_appeal(appeal_id: int, now: datetime) -> bool:
    if not _claim(Appeal, appeal_id, "escalated_at", now):
        return False
    _claim(Appeal, appeal_id, "warned_at", now)  # a passed deadline needs no warning
    appeal = db.session.get(Appeal, appeal_id)
    db.session.refresh(appeal)
    number = appeal.decision.number
    due = clock.shanghai(appeal.due_at).date().isoformat()
    notices.tell_staff(
        "discipline.appeal_escalated",
        lambda: (
            _("Appeal overdue: %(number)s", number=number),
            _(
                "The appeal against decision %(number)s was due to be decided by %(due)s. "
                "The sanction stays suspended until the appeal committee decides.",
                number=number,
                due=due,
            ),
        ),
        notices.staff_decision_path(appeal.decision_id),
    )
    audit.record("discipline.appeal_escalated", appeal, actor=ACTOR, payload={"due": due})
    return True


def _lift(decision_id: int) -> bool:
    decision = db.session.get(Decision, decision_id)
    return decision is not None and effects.lift_suspension(ACTOR, decision)


def _escalate_rectification(decision_id: int, now: datetime) -> bool:
    if not _claim(Decision, decision_id, "rectify_escalated_at", now):
        return False
    decision = db.session.get(Decision, decision_id)
    notices.tell_staff(
        "discipline.rectification_overdue",
        lambda: (
            _("Rectification overdue: %(number)s", number=decision.number),
            _(
                "The agency has not reported the rectification ordered by decision "
                "%(number)s, due %(due)s.",
                number=decision.number,
                due=decision.rectify_due_on.isoformat(),
            ),
        ),
        notices.staff_decision_path(decision.id),
    )
    audit.record(
        "discipline.rectification_escalated",
        decision,
        actor=ACTOR,
        payload={"number": decision.number},
    )
    return True


def sweep(now: datetime | None = None) -> int:
    """One pass over every clock of discipline; how many items were acted on."""
    now = now or clock.now()
    today = clock.shanghai(now).date()
    D, A = Decision, Appeal
    notified = D.status == DecisionStatus.NOTIFIED.value
    ids = db.session.scalars
    done = _each(
        list(ids(select(D.id).where(notified, D.appeal_due_at < now).order_by(D.appeal_due_at))),
        _take_effect,
    )
    done += _each(
        list(
            ids(
                select(D.id).where(
                    notified,
                    D.appeal_warn_at <= now,
                    D.appeal_due_at >= now,
                    D.window_warned_at.is_(None),
                )
            )
        ),
        lambda i: _warn_window(i, now),
    )
    waiting = A.status.in_([AppealStatus.PENDING.value, AppealStatus.VOTING.value])
    done += _each(
        list(ids(select(A.id).where(waiting, A.due_at < now, A.escalated_at.is_(None)))),
        lambda i: _escalate_appeal(i, now),
    )
    done += _each(
        list(
            ids(
                select(A.id).where(
                    waiting, A.warn_at <= now, A.due_at >= now, A.warned_at.is_(None)
                )
            )
        ),
        lambda i: _warn_appeal(i, now),
    )
    in_force = D.status == DecisionStatus.IN_FORCE.value
    done += _each(
        list(
            ids(
                select(D.id).where(
                    in_force,
                    D.suspended_until.is_not(None),
                    D.suspended_until <= today,
                    D.lifted_at.is_(None),
                )
            )
        ),
        _lift,
    )
    done += _each(
        list(
            ids(
                select(D.id).where(
                    in_force,
                    D.rectify_due_on.is_not(None),
                    D.rectify_due_on < today,
                    D.rectified_at.is_(None),
                    D.rectify_escalated_at.is_(None),
                )
            )
        ),
        lambda i: _escalate_rectification(i, now),
    )
    return done


@scheduler.job("discipline.sweep", minutes=5)
def discipline_sweep() -> int:
    return sweep()
