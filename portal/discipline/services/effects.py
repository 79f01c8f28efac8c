"""A sanction taking effect, once, and what it does; a revocation; lifting a suspension.

A decision takes effect only from `notified` (the appeal window closed unused) or from
`appealed` (the appeal committee upheld or changed it), through one conditional UPDATE on
its status: a second sweep, a second process or a repeated hook finds nothing to do, so a
sanction is never executed twice and never while an appeal is pending.

Effects, in the same transaction:
- membership suspended for 3 months: the member is `suspended` until the same day three
  calendar months later; the `discipline.sweep` lifts it on that day;
- expulsion: the member's `expelled_at` is set (membership ends);
- order to rectify: its due date stands; the agency reports, the secretariat accepts, and
  the sweep escalates an overdue one;
- recommendation to revoke: a printable letter to the regulator (a page);
- a general or serious sanction is published through the publication domain for the term
  the decision set (`portal.publication.services.publish_decision`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from portal import audit, clock
from portal.discipline.constants import (
    LEVEL_LABELS,
    MEASURE_LABELS,
    PUBLISHED_LEVELS,
    SUSPENSION_MONTHS,
    Level,
    Measure,
    add_months,
)
from portal.discipline.models import Decision
from portal.discipline.services import notices
from portal.discipline.states import Action, DecisionStatus, check
from portal.extensions import db
from portal.members.models import Member


def _claim(decision: Decision, action: Action, values: dict) -> bool:
    """Move the decision's status with a conditional UPDATE: True for exactly one caller."""
    target = check(DecisionStatus, decision.status, action)
    result = db.session.execute(
        update(Decision)
        .where(Decision.id == decision.id, Decision.status == decision.status)
        .values(status=target.value, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(decision)
    return result.rowcount == 1


def take_effect(
    actor: Any, decision: Decision, action: Action, appeal_outcome: str | None = None
) -> bool:
    """Execute the sanction (TAKE_EFFECT, UPHOLD or CHANGE); False if it was done already."""
    now, today = clock.now(), clock.today()
    term = decision.publication_months
    published_until = add_months(today, term) if term else None
    if not _claim(
        decision,
        action,
        {
            "took_effect_at": now,
            "took_effect_on": today,
            "published_until": published_until,
            "appeal_outcome": appeal_outcome,
        },
    ):
        return False
    member = db.session.get(Member, decision.member_id)
    measures = set(decision.measures)
    if Measure.SUSPENSION.value in measures:
        until = add_months(today, SUSPENSION_MONTHS)
        decision.suspended_until = until
        member.suspended = True
        member.suspended_until = max(until, member.suspended_until or until)
    if Measure.EXPULSION.value in measures:
        member.expelled_at = now
    db.session.flush()
    audit.record(
        "discipline.decision_took_effect",
        decision,
        actor=actor,
        payload={
            "number": decision.number,
            "member_id": decision.member_id,
            "level": decision.level,
            "measures": list(decision.measures),
            "took_effect_on": today.isoformat(),
            "published_until": published_until.isoformat() if published_until else None,
            "suspended_until": decision.suspended_until.isoformat()
            if decision.suspended_until
            else None,
            "appeal_outcome": appeal_outcome,
        },
    )
    if Level(decision.level) in PUBLISHED_LEVELS:
        publish(actor, decision)
    _tell_in_force(decision)
    return True


def publish(actor: Any, decision: Decision):
    """Hand the decision to the publication domain (idempotent there per source_ref)."""
    from portal.publication.services import publish_decision

    with force_locale("zh_CN"):
        measures = [str(MEASURE_LABELS[Measure(m)]) for m in decision.measures]
        title = _(
            "%(level)s sanction against %(agency)s",
            level=LEVEL_LABELS[Level(decision.level)],
            agency=decision.member.name,
        )
        summary = _(
            "Decision %(number)s: %(measures)s.",
            number=decision.number,
            measures="、".join(measures),
        )
    return publish_decision(
        actor,
        member_id=decision.member_id,
        decision_no=decision.number,
        level=decision.level,
        measures=list(decision.measures),
        title=title,
        summary=(summary + "\n" + decision.reasons)[:4000],
        took_effect_on=decision.took_effect_on,
        published_until=decision.published_until,
        blacklist=decision.level == Level.SERIOUS.value,
        appeal_outcome=decision.appeal_outcome,
        source_ref=decision.ref,
    )


def revoke(actor: Any, decision: Decision) -> bool:
    """The appeal committee revoked the decision: nothing is executed or published."""
    if not _claim(
        decision, Action.REVOKE, {"revoked_at": clock.now(), "appeal_outcome": "revoked"}
    ):
        return False
    audit.record(
        "discipline.decision_revoked",
        decision,
        actor=actor,
        payload={"number": decision.number, "member_id": decision.member_id},
    )
    from portal.publication.services import withdraw_entry  # nothing is there; a safeguard

    withdraw_entry(actor, source_ref=decision.ref, reason="revoked on appeal")
    notices.tell_agency(
        decision.member_id,
        "discipline.revoked",
        lambda: (
            _("Decision %(number)s revoked", number=decision.number),
            _(
                "The appeal committee revoked decision %(number)s. No sanction is executed "
                "and nothing is published.",
                number=decision.number,
            ),
        ),
        notices.agency_path(decision.id),
    )
    return True


def _tell_in_force(decision: Decision) -> None:
    notices.tell_agency(
        decision.member_id,
        "discipline.in_force",
        lambda: (
            _("Decision %(number)s in force", number=decision.number),
            _(
                "Decision %(number)s has taken effect today.",
                number=decision.number,
            ),
        ),
        notices.agency_path(decision.id),
    )


def lift_suspension(actor: Any, decision: Decision) -> bool:
    """End a suspension on its last day (claimed once with a conditional UPDATE)."""
    now = clock.now()
    result = db.session.execute(
        update(Decision)
        .where(Decision.id == decision.id, Decision.lifted_at.is_(None))
        .values(lifted_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(decision)
    member = db.session.get(Member, decision.member_id)
    if member.suspended_until is None or member.suspended_until <= clock.today():
        member.suspended = False
        member.suspended_until = None
    audit.record(
        "discipline.suspension_lifted",
        decision,
        actor=actor,
        payload={"number": decision.number, "member_id": decision.member_id},
    )
    notices.tell_agency(
        decision.member_id,
        "discipline.suspension_lifted",
        lambda: (
            _("Suspension ended: %(number)s", number=decision.number),
            _(
                "The suspension of your membership under decision %(number)s has ended.",
                number=decision.number,
            ),
        ),
        notices.agency_path(decision.id),
    )
    return True
