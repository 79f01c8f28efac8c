"""Decisions: issuing one (its number, its notice and the appeal window), the agency's
appeal and its report of rectification.

The notice starts the clock: the agency may appeal until the end of the 10th working day
after the day it was notified (`calendar.deadline_from_instant`). While the window is open
or an appeal is pending nothing is executed or published (see `effects`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from portal import audit, calendar, clock, uploads
from portal.discipline.constants import (
    APPEAL_DECISION_DAYS,
    APPEAL_DECISION_WARN_LEFT,
    APPEAL_WINDOW_DAYS,
    APPEAL_WINDOW_WARN_LEFT,
    LEVEL_LABELS,
    MAX_FILES,
    TEXT_MAX,
    Level,
    Measure,
)
from portal.discipline.models import Appeal, Decision, DisciplineCase
from portal.discipline.services import access, notices
from portal.discipline.services.cases import Upload
from portal.discipline.services.numbers import allocate_decision_no
from portal.discipline.states import Action, AppealStatus, DecisionStatus, check
from portal.errors import DeadlinePassed, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db

GROUNDS_MIN = 10


def _window(start, days: int, warn_left: int):
    """(due instant, warning instant) `days` working days after `start`'s date."""
    deadline = calendar.deadline_from_instant(start, days)
    warn_day = calendar.add_working_days(clock.shanghai(start).date(), max(days - warn_left, 0))
    return deadline.due_at, calendar.end_of_day(warn_day)


def issue(actor: Any, case: DisciplineCase, *, decided_by: str, motion=None) -> Decision:
    """The decision of a decided case, numbered and notified to the agency."""
    now = clock.now()
    due_at, warn_at = _window(now, APPEAL_WINDOW_DAYS, APPEAL_WINDOW_WARN_LEFT)
    decision = Decision(
        case=case,
        member_id=case.member_id,
        number=allocate_decision_no(clock.today().year),
        status=DecisionStatus.NOTIFIED.value,
        level=case.level,
        measures=list(case.measures),
        publication_months=case.publication_months,
        rectify_due_on=case.rectify_due_on,
        reasons=case.reasons,
        decided_by=decided_by,
        decided_by_id=getattr(actor, "id", None),
        motion_id=motion.id if motion is not None else None,
        decided_at=now,
        notified_at=now,
        appeal_due_at=due_at,
        appeal_warn_at=warn_at,
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        "discipline.decision_issued",
        decision,
        actor=actor,
        payload={
            "number": decision.number,
            "case_id": case.id,
            "member_id": case.member_id,
            "level": decision.level,
            "measures": list(decision.measures),
            "publication_months": decision.publication_months,
            "decided_by": decided_by,
            "motion_id": decision.motion_id,
            "appeal_due_at": decision.appeal_due_at.isoformat(),
        },
    )
    _tell_decided(decision)
    return decision


def _tell_decided(decision: Decision) -> None:
    when = clock.shanghai(decision.appeal_due_at).strftime("%Y-%m-%d %H:%M")

    def text():
        return (
            _("Disciplinary decision %(number)s", number=decision.number),
            _(
                "The association has decided a %(level)s sanction against your agency "
                "(decision %(number)s). You may appeal until %(when)s (Beijing time); the "
                "sanction takes effect only if you do not appeal or the appeal fails.",
                level=LEVEL_LABELS[Level(decision.level)],
                number=decision.number,
                when=when,
            ),
        )

    notices.tell_agency(
        decision.member_id, "discipline.decided", text, notices.agency_path(decision.id)
    )


def _grounds(text: str | None) -> str:
    body = (text or "").strip()
    if len(body) < GROUNDS_MIN:
        why = _("Give your grounds in at least %(n)d characters.", n=GROUNDS_MIN)
        raise ValidationFailed(why, {"grounds": why})
    if len(body) > TEXT_MAX:
        why = _("Use at most %(n)d characters.", n=TEXT_MAX)
        raise ValidationFailed(why, {"grounds": why})
    return body


def file_appeal(
    actor: Any, decision: Decision, grounds: str, files: Sequence[Upload] = ()
) -> Appeal:
    """The agency appeals within its window; the sanction then waits for the appeal
    committee, which decides within 15 working days."""
    if not access.is_agency_of(actor, decision.member_id):
        raise NotFound(_("No such decision."))
    check(DecisionStatus, decision.status, Action.APPEAL)
    now = clock.now()
    if now > decision.appeal_due_at:
        raise DeadlinePassed(_("The appeal window has closed."))
    text = _grounds(grounds)
    given = [f for f in files if f is not None]
    if len(given) > MAX_FILES:
        why = _("Attach at most %(n)d files.", n=MAX_FILES)
        raise ValidationFailed(why, {"files": why})
    before = decision.status
    decision.status = check(DecisionStatus, before, Action.APPEAL).value
    due_at, warn_at = _window(now, APPEAL_DECISION_DAYS, APPEAL_DECISION_WARN_LEFT)
    appeal = Appeal(
        decision=decision,
        status=AppealStatus.PENDING.value,
        grounds=text,
        filed_by_id=actor.id,
        filed_at=now,
        due_at=due_at,
        warn_at=warn_at,
    )
    db.session.add(appeal)
    db.session.flush()
    for f in given:
        uploads.store_upload(
            f.source,
            original_name=f.name,
            actor=actor,
            owner_type=access.APPEAL_FILES,
            owner_id=appeal.id,
            field="files",
        )
    audit.record(
        "discipline.appeal_filed",
        decision,
        actor=actor,
        payload={
            "number": decision.number,
            "appeal_id": appeal.id,
            "from": before,
            "to": decision.status,
            "due_at": due_at.isoformat(),
            "files": len(given),
        },
    )
    notices.tell_staff(
        "discipline.appealed",
        lambda: (
            _("Appeal against decision %(number)s", number=decision.number),
            _(
                "The agency has appealed decision %(number)s. Put the outcome to the appeal "
                "committee; it decides within 15 working days.",
                number=decision.number,
            ),
        ),
        notices.staff_decision_path(decision.id),
    )
    return appeal


def report_rectification(
    actor: Any, decision: Decision, report: str, files: Sequence[Upload] = ()
) -> Decision:
    """The agency reports what it did to comply with an order to rectify."""
    if not access.is_agency_of(actor, decision.member_id):
        raise NotFound(_("No such decision."))
    if Measure.ORDER_TO_RECTIFY.value not in decision.measures:
        raise InvalidTransition(_("This decision orders no rectification."))
    if decision.status != DecisionStatus.IN_FORCE or decision.rectification_accepted_at:
        raise InvalidTransition(_("Rectification is reported once the order is in force."))
    text = (report or "").strip()
    if len(text) < GROUNDS_MIN:
        why = _("Say what was done in at least %(n)d characters.", n=GROUNDS_MIN)
        raise ValidationFailed(why, {"report": why})
    if len(text) > TEXT_MAX:
        why = _("Use at most %(n)d characters.", n=TEXT_MAX)
        raise ValidationFailed(why, {"report": why})
    decision.rectification_report, decision.rectified_at = text, clock.now()
    for f in files:
        uploads.store_upload(
            f.source,
            original_name=f.name,
            actor=actor,
            owner_type=access.RECTIFICATION_FILES,
            owner_id=decision.id,
            field="files",
        )
    audit.record(
        "discipline.rectification_reported",
        decision,
        actor=actor,
        payload={"number": decision.number, "files": len(files)},
    )
    notices.tell_staff(
        "discipline.rectified",
        lambda: (
            _("Rectification reported: %(number)s", number=decision.number),
            _(
                "The agency reported its rectification under decision %(number)s.",
                number=decision.number,
            ),
        ),
        notices.staff_decision_path(decision.id),
    )
    return decision


def accept_rectification(actor: Any, decision: Decision) -> Decision:
    access.require_staff(actor)
    if decision.rectified_at is None:
        raise InvalidTransition(_("The agency has not reported its rectification yet."))
    if decision.rectification_accepted_at is not None:
        raise InvalidTransition(_("The rectification was accepted already."))
    decision.rectification_accepted_at = clock.now()
    audit.record(
        "discipline.rectification_accepted",
        decision,
        actor=actor,
        payload={"number": decision.number},
    )
    notices.tell_agency(
        decision.member_id,
        "discipline.rectification_accepted",
        lambda: (
            _("Rectification accepted: %(number)s", number=decision.number),
            _(
                "The secretariat accepted your rectification under decision %(number)s.",
                number=decision.number,
            ),
        ),
        notices.agency_path(decision.id),
    )
    return decision


@calendar.on_calendar_change
def recompute_open(changed_dates) -> int:
    """A change to the calendar moves the open clocks of discipline (the appeal windows still
    open, the appeal committee's 15 days), recomputed from the notice or the appeal; how many
    moved. Called in the calendar change's transaction."""
    moved = 0
    open_windows = db.session.scalars(
        db.select(Decision).where(Decision.status == DecisionStatus.NOTIFIED.value)
    )
    for decision in open_windows:
        due_at, warn_at = _window(decision.notified_at, APPEAL_WINDOW_DAYS, APPEAL_WINDOW_WARN_LEFT)
        if due_at != decision.appeal_due_at:
            audit.record(
                "discipline.window_recomputed",
                decision,
                actor="calendar",
                payload={"from": decision.appeal_due_at.isoformat(), "to": due_at.isoformat()},
            )
            decision.appeal_due_at, decision.appeal_warn_at = due_at, warn_at
            moved += 1
    pending = db.session.scalars(
        db.select(Appeal).where(
            Appeal.status.in_([AppealStatus.PENDING.value, AppealStatus.VOTING.value])
        )
    )
    for appeal in pending:
        due_at, warn_at = _window(appeal.filed_at, APPEAL_DECISION_DAYS, APPEAL_DECISION_WARN_LEFT)
        if due_at != appeal.due_at:
            audit.record(
                "discipline.appeal_due_recomputed",
                appeal,
                actor="calendar",
                payload={"from": appeal.due_at.isoformat(), "to": due_at.isoformat()},
            )
            appeal.due_at, appeal.warn_at = due_at, warn_at
            moved += 1
    return moved
