"""The secretariat's side: answering disputes and deciding credit-repair applications."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.errors import InvalidTransition, ValidationFailed
from portal.publication import constants as c
from portal.publication import notices
from portal.publication.access import require_secretariat
from portal.publication.models import CreditRepair, FactDispute
from portal.publication.services import end_early
from portal.publication.states import DisputeStatus, RepairStatus, check_transition


def _required(value: str | None, field: str, limit: int) -> str:
    text = (value or "").strip()
    why = None
    if not text:
        why = _("This is required.")
    elif len(text) > limit:
        why = _("At most %(n)d characters.", n=limit)
    if why:
        raise ValidationFailed(why, {field: why})
    return text


def disputes_queue(status: str | None = DisputeStatus.OPEN.value):
    stmt = select(FactDispute)
    if status in set(DisputeStatus):
        stmt = stmt.where(FactDispute.status == status)
    return stmt.order_by(FactDispute.filed_at, FactDispute.id)


def repairs_queue(status: str | None = RepairStatus.SUBMITTED.value):
    stmt = select(CreditRepair)
    if status in set(RepairStatus):
        stmt = stmt.where(CreditRepair.status == status)
    return stmt.order_by(CreditRepair.due_at, CreditRepair.id)


def answer_dispute(
    actor,
    dispute: FactDispute,
    *,
    answer: str | None,
    corrected: bool,
    corrected_summary: str | None = None,
) -> FactDispute:
    """Answer a dispute. When the fact was wrong (`corrected`), the entry's summary may be
    replaced with the corrected text, and the correction is shown beside the entry. The
    agency is notified. Audited."""
    require_secretariat(actor)
    target = check_transition("dispute.answer", dispute.status)
    text = _required(answer, "answer", c.ANSWER_MAX)
    entry = dispute.entry
    new_summary = (corrected_summary or "").strip()
    if new_summary and not corrected:
        why = _("Only a dispute found right changes the entry.")
        raise ValidationFailed(why, {"corrected_summary": why})
    if len(new_summary) > c.SUMMARY_MAX:
        why = _("At most %(n)d characters.", n=c.SUMMARY_MAX)
        raise ValidationFailed(why, {"corrected_summary": why})
    now = clock.now()
    dispute.status = target
    dispute.answer = text
    dispute.corrected = bool(corrected)
    dispute.answered_by_id = actor.id
    dispute.answered_at = now
    if new_summary:
        entry.summary = new_summary
        entry.corrected_at = now
    audit.record(
        "publication.dispute_answered",
        dispute,
        actor=actor,
        payload={
            "decision_no": entry.decision_no,
            "corrected": bool(corrected),
            "summary_replaced": bool(new_summary),
        },
    )
    no = entry.decision_no
    notices.tell(
        notices.agency_users(dispute.member_id),
        "publication.dispute_answered",
        lambda: (
            _("Your dispute about %(no)s has been answered", no=no),
            text,
        ),
        notices.agency_path(entry.id),
    )
    return dispute


def decide_repair(actor, repair: CreditRepair, *, grant: bool, reason: str | None) -> CreditRepair:
    """Grant (the publication ends today; the repair is published on the decision page and
    in the feed) or refuse (a reason is required). The agency is notified. Audited."""
    require_secretariat(actor)
    action = "repair.grant" if grant else "repair.refuse"
    target = check_transition(action, repair.status)
    entry = repair.entry
    today = clock.today()
    if grant and not entry.in_force(today):
        raise InvalidTransition(_("This entry is no longer on the public lists."))
    text = (reason or "").strip()
    if not grant and not text:
        why = _("Give the reason for the refusal.")
        raise ValidationFailed(why, {"reason": why})
    if len(text) > c.REASON_MAX:
        why = _("At most %(n)d characters.", n=c.REASON_MAX)
        raise ValidationFailed(why, {"reason": why})
    repair.status = target
    repair.decided_at = clock.now()
    repair.decided_by_id = actor.id
    repair.decision_reason = text or None
    audit.record(
        "publication.repair_granted" if grant else "publication.repair_refused",
        repair,
        actor=actor,
        payload={"decision_no": entry.decision_no, "on_time": repair.decided_at <= repair.due_at},
    )
    if grant:
        end_early(
            actor,
            entry,
            reason=c.END_CREDIT_REPAIR,
            note=text,
            action="publication.ended_by_repair",
        )
    no = entry.decision_no
    notices.tell(
        notices.agency_users(repair.member_id),
        "publication.repair_decided",
        lambda: (
            _("Credit repair granted: %(no)s", no=no)
            if grant
            else _("Credit repair refused: %(no)s", no=no),
            _("The publication of %(no)s ends today.", no=no) if grant else text,
        ),
        notices.agency_path(entry.id),
    )
    return repair
