"""Sweeps of publication, each idempotent ("due, in the right state, not yet done"):

- `publication.repair_watch`: a credit-repair application not decided at 70% of its
  10-working-day period warns the secretariat once; one still undecided when the period has
  passed is escalated once (to every secretariat user, and it shows as overdue in the queue).
  Each item is claimed with a conditional UPDATE of its flag, so two sweeps never act twice;
  one found already overdue is escalated and its warning marked done without being sent.
- `publication.term_watch`: the public lists filter by date, so nothing has to change when a
  term ends; this sweep only writes a `publication.term_ended` audit entry once per entry
  (claimed through `term_end_recorded_at`) for the history.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from portal import audit, clock, scheduler
from portal.extensions import db
from portal.publication import notices
from portal.publication.models import CreditRepair, PublicEntry
from portal.publication.states import RepairStatus

ACTOR = "scheduler:publication"
R = CreditRepair


def _claim(model, item_id: int, column: str, now: datetime) -> bool:
    flag = getattr(model, column)
    result = db.session.execute(
        update(model).where(model.id == item_id, flag.is_(None)).values({column: now})
    )
    return result.rowcount == 1


def _each(ids, act) -> int:
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


def _open(condition, flag) -> list[int]:
    return list(
        db.session.scalars(
            select(R.id)
            .where(R.status == RepairStatus.SUBMITTED.value, flag.is_(None), condition)
            .order_by(R.due_at)
        )
    )


def _escalate(repair_id: int, now: datetime) -> bool:
    if not _claim(R, repair_id, "escalated_at", now):
        return False
    skipped = _claim(R, repair_id, "warned_at", now)
    repair = db.session.get(R, repair_id)
    db.session.refresh(repair)
    no, due = repair.entry.decision_no, repair.due_date.isoformat()
    notices.tell(
        notices.staff_users(),
        "publication.repair_escalated",
        lambda: (
            _("Overdue: credit repair for %(no)s", no=no),
            _("The decision was due on %(due)s and has not been taken.", due=due),
        ),
        notices.staff_repair_path(repair.id),
        email=False,
    )
    audit.record(
        "publication.repair_escalated",
        repair,
        actor=ACTOR,
        payload={"decision_no": no, "due": due, "warning_marked_without_sending": skipped},
    )
    return True


def _warn(repair_id: int, now: datetime) -> bool:
    if not _claim(R, repair_id, "warned_at", now):
        return False
    repair = db.session.get(R, repair_id)
    db.session.refresh(repair)
    no, due = repair.entry.decision_no, repair.due_date.isoformat()
    notices.tell(
        notices.staff_users(),
        "publication.repair_warning",
        lambda: (
            _("Credit repair for %(no)s is due soon", no=no),
            _("Decide by %(due)s.", due=due),
        ),
        notices.staff_repair_path(repair.id),
        email=False,
    )
    audit.record("publication.repair_warning", repair, actor=ACTOR, payload={"decision_no": no})
    return True


def repair_sweep(now: datetime | None = None) -> int:
    now = now or clock.now()
    done = _each(_open(R.due_at < now, R.escalated_at), lambda i: _escalate(i, now))
    done += _each(
        _open((R.warn_at <= now) & (R.due_at >= now), R.warned_at), lambda i: _warn(i, now)
    )
    return done


def _record_term_end(entry_id: int, now: datetime) -> bool:
    if not _claim(PublicEntry, entry_id, "term_end_recorded_at", now):
        return False
    entry = db.session.get(PublicEntry, entry_id)
    audit.record(
        "publication.term_ended",
        entry,
        actor=ACTOR,
        payload={
            "decision_no": entry.decision_no,
            "published_until": entry.published_until.isoformat(),
        },
    )
    return True


def term_sweep(now: datetime | None = None) -> int:
    """Record once, for each entry whose term ended without ending early, that it ended."""
    now = now or clock.now()
    today = clock.shanghai(now).date()
    ids = db.session.scalars(
        select(PublicEntry.id)
        .where(
            PublicEntry.published_until < today,
            PublicEntry.ended_on.is_(None),
            PublicEntry.term_end_recorded_at.is_(None),
        )
        .order_by(PublicEntry.id)
    )
    return _each(list(ids), lambda i: _record_term_end(i, now))


@scheduler.job("publication.repair_watch", minutes=15)
def repair_watch() -> int:
    return repair_sweep()


@scheduler.job("publication.term_watch", minutes=60)
def term_watch() -> int:
    return term_sweep()
