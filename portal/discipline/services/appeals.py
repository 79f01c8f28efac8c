"""The appeal committee's decision: the secretariat puts an outcome (uphold, change within
the table, revoke) to the appeal committee as a major motion; nobody who voted on the first
decision votes on it (`also_recused`). Adopted, the outcome is applied at once; not
adopted, the appeal waits for another proposal (the sweep warns and escalates as its 15
working days run out)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.discipline.constants import (
    LEVEL_LABELS,
    MEASURE_LABELS,
    OUTCOME_LABELS,
    TEXT_MAX,
    AppealOutcome,
    Level,
    Measure,
)
from portal.discipline.models import Appeal, Decision
from portal.discipline.services import access, effects, notices
from portal.discipline.services.sanctions import check_sanction
from portal.discipline.states import Action, AppealStatus, DecisionStatus, check
from portal.errors import Conflict, InvalidTransition, ValidationFailed
from portal.extensions import db


def first_voters(decision: Decision) -> dict[int, str]:
    """Everyone who voted on a motion about the decision's case (the first decision)."""
    from portal.committees.models import Motion, Vote

    voter_ids = db.session.scalars(
        select(Vote.voter_id)
        .join(Motion, Motion.id == Vote.motion_id)
        .where(Motion.subject_ref == decision.case.ref)
        .distinct()
    )
    with force_locale("zh_CN"):
        why = _("Voted on the first decision %(number)s", number=decision.number)
    return {user_id: why for user_id in voter_ids}


def propose_outcome(
    actor: Any,
    decision: Decision,
    *,
    outcome: str,
    closes_at: datetime,
    reasons: str,
    level: str | None = None,
    measures: list[str] | None = None,
    publication_months: int | None = None,
    rectify_due_on: date | None = None,
):
    """Put an outcome of the appeal to the appeal committee's vote."""
    from portal.committees import motions, roster

    access.require_staff(actor)
    appeal = decision.appeal
    if appeal is None or decision.status != DecisionStatus.APPEALED:
        raise InvalidTransition(_("This decision is not under appeal."))
    check(AppealStatus, appeal.status, Action.SUBMIT_OUTCOME)
    try:
        chosen = AppealOutcome(outcome)
    except ValueError:
        why = _("Choose uphold, change or revoke.")
        raise ValidationFailed(why, {"outcome": why}) from None
    text = (reasons or "").strip()
    if not text or len(text) > TEXT_MAX:
        why = _("Give the reasons (at most %(n)d characters).", n=TEXT_MAX)
        raise ValidationFailed(why, {"reasons": why})
    sanction = None
    if chosen is AppealOutcome.CHANGE:
        sanction = check_sanction(
            level, measures, publication_months, rectify_due_on, clock.today()
        )
        if sanction.level == decision.level and set(sanction.measures) == set(decision.measures):
            why = _("A change must change the level or the sanctions.")
            raise ValidationFailed(why, {"measures": why})
    committee = roster.committee_of_kind("appeal")
    if committee is None:
        raise Conflict(_("There is no appeal committee yet."))
    title, body = _motion_text(decision, chosen, sanction, text)
    motion = motions.open_motion(
        actor,
        committee,
        title=title,
        body=body,
        subject_type="sanction",
        subject_ref=appeal.ref,
        member_id=decision.member_id,
        closes_at=closes_at,
        also_recused=first_voters(decision),
    )
    before = appeal.status
    appeal.status = check(AppealStatus, before, Action.SUBMIT_OUTCOME).value
    appeal.motion_id = motion.id
    appeal.proposed_outcome = chosen.value
    appeal.proposed_level = sanction.level if sanction else None
    appeal.proposed_measures = list(sanction.measures) if sanction else None
    appeal.proposed_publication_months = sanction.publication_months if sanction else None
    appeal.proposed_rectify_due_on = sanction.rectify_due_on if sanction else None
    appeal.proposal_reasons = text
    audit.record(
        "discipline.appeal_submitted",
        appeal,
        actor=actor,
        payload={
            "decision_id": decision.id,
            "from": before,
            "to": appeal.status,
            "outcome": chosen.value,
            "level": appeal.proposed_level,
            "measures": appeal.proposed_measures,
            "motion_id": motion.id,
        },
    )
    return motion


def _motion_text(decision: Decision, outcome: AppealOutcome, sanction, reasons: str):
    with force_locale("zh_CN"):
        title = _(
            "Appeal against decision %(number)s: %(outcome)s",
            number=decision.number,
            outcome=OUTCOME_LABELS[outcome],
        )
        parts = [
            _("Grounds of the appeal") + ":\n" + decision.appeal.grounds,
            _("Reasons") + ":\n" + reasons,
        ]
        if sanction is not None:
            parts.append(
                _(
                    "New sanction: %(level)s (%(measures)s).",
                    level=LEVEL_LABELS[Level(sanction.level)],
                    measures="、".join(str(MEASURE_LABELS[Measure(m)]) for m in sanction.measures),
                )
            )
    return title[:200], "\n\n".join(parts)


def vote_closed(motion, actor: Any) -> None:
    """The appeal committee's vote closed (run by the motion hook)."""
    appeal = db.session.get(Appeal, int(motion.subject_ref.split(":", 1)[1]))
    if appeal is None or appeal.status != AppealStatus.VOTING or appeal.motion_id != motion.id:
        return
    decision = appeal.decision
    if motion.result != "passed":
        before = appeal.status
        appeal.status = check(AppealStatus, before, Action.OUTCOME_FAILED).value
        audit.record(
            "discipline.appeal_vote_failed",
            appeal,
            actor=actor,
            payload={"from": before, "to": appeal.status, "motion_id": motion.id},
        )
        notices.tell_staff(
            "discipline.appeal_vote_failed",
            lambda: (
                _("Appeal outcome not adopted: %(number)s", number=decision.number),
                _(
                    "The appeal committee did not adopt the proposed outcome of the appeal "
                    "against decision %(number)s. Put another outcome to it.",
                    number=decision.number,
                ),
            ),
            notices.staff_decision_path(decision.id),
        )
        return
    before = appeal.status
    appeal.status = check(AppealStatus, before, Action.OUTCOME_PASSED).value
    appeal.outcome, appeal.decided_at = appeal.proposed_outcome, clock.now()
    audit.record(
        "discipline.appeal_decided",
        appeal,
        actor=actor,
        payload={"from": before, "to": appeal.status, "outcome": appeal.outcome},
    )
    outcome = AppealOutcome(appeal.proposed_outcome)
    if outcome is AppealOutcome.REVOKE:
        effects.revoke(actor, decision)
    elif outcome is AppealOutcome.UPHOLD:
        effects.take_effect(actor, decision, Action.UPHOLD, "upheld")
    else:
        decision.original_level = decision.level
        decision.original_measures = list(decision.measures)
        decision.level = appeal.proposed_level
        decision.measures = list(appeal.proposed_measures or [])
        decision.publication_months = appeal.proposed_publication_months
        decision.rectify_due_on = appeal.proposed_rectify_due_on
        db.session.flush()
        effects.take_effect(actor, decision, Action.CHANGE, "changed")
