"""The secretariat's work on a discipline case: open it, record findings and evidence,
propose a sanction from the table, and either decide a minor one or put a general or
serious one to the self-regulation committee (a major motion). Every change goes through
`states.check`, is audited (references and states only) in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock, uploads
from portal.discipline.constants import (
    LEVEL_LABELS,
    MAX_FILES,
    MEASURE_LABELS,
    SECRETARIAT_LEVELS,
    SOURCE_REF_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    Level,
    Source,
)
from portal.discipline.models import BreachReport, CaseEvidence, DisciplineCase
from portal.discipline.services import access
from portal.discipline.services.sanctions import check_sanction
from portal.discipline.states import Action, BreachStatus, CaseStatus, check
from portal.errors import Conflict, InvalidTransition, ValidationFailed
from portal.extensions import db
from portal.members.models import Member

SUBSTANTIATED = ("substantiated", "partly_substantiated")


@dataclass(frozen=True)
class Upload:
    source: Any
    name: str | None


def _audit(name: str, case: DisciplineCase, actor: Any, before: str, **extra) -> None:
    payload = {"member_id": case.member_id, "from": before, "to": case.status}
    payload.update(extra)
    audit.record(f"discipline.case_{name}", case, actor=actor, payload=payload)


def _move(case: DisciplineCase, action: Action) -> str:
    before = case.status
    case.status = check(CaseStatus, before, action).value
    case.updated_at = clock.now()
    return before


def _text(value: str | None, field: str, *, required: bool, maximum: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(_("Required."), {field: _("Required.")})
    if len(text) > maximum:
        why = _("Use at most %(n)d characters.", n=maximum)
        raise ValidationFailed(why, {field: why})
    return text


def _member(member_id: int | None) -> Member:
    member = db.session.get(Member, member_id) if member_id else None
    if member is None or member.member_no is None:
        why = _("Choose a member agency.")
        raise ValidationFailed(why, {"member_id": why})
    return member


def _complaint_source(source_ref: str | None, member: Member):
    from portal.complaints.services.access import by_number

    complaint = by_number(source_ref or "")
    if complaint is None:
        why = _("No complaint has this tracking number.")
        raise ValidationFailed(why, {"source_ref": why})
    if complaint.finding not in SUBSTANTIATED:
        why = _("Only a substantiated complaint leads to a discipline case.")
        raise ValidationFailed(why, {"source_ref": why})
    if complaint.member_id != member.id:
        why = _("That complaint is about another agency.")
        raise ValidationFailed(why, {"source_ref": why})
    return complaint


def open_case(
    actor: Any,
    *,
    member_id: int | None,
    source: str,
    source_ref: str | None = None,
    summary: str,
    findings: str = "",
    breach: BreachReport | None = None,
) -> DisciplineCase:
    """A new case in `open`. A complaint source names a substantiated complaint about the
    same agency by its tracking number; an inspection names its reference."""
    access.require_staff(actor)
    member = _member(member_id)
    try:
        kind = Source(source)
    except ValueError:
        why = _("Choose where the case comes from.")
        raise ValidationFailed(why, {"source": why}) from None
    ref = _text(source_ref, "source_ref", required=False, maximum=SOURCE_REF_MAX) or None
    complaint = None
    if kind is Source.COMPLAINT:
        complaint = _complaint_source(ref, member)
        ref = complaint.tracking_number
    elif kind is Source.INSPECTION and not ref:
        why = _("Give the inspection's reference.")
        raise ValidationFailed(why, {"source_ref": why})
    elif kind is Source.BREACH and breach is None:
        why = _("A case about a breach report is opened from the report.")
        raise ValidationFailed(why, {"source": why})
    case = DisciplineCase(
        member_id=member.id,
        status=CaseStatus.OPEN.value,
        source=kind.value,
        source_ref=ref,
        complaint_id=complaint.id if complaint else None,
        breach_id=breach.id if breach else None,
        summary=_text(summary, "summary", required=True, maximum=SUMMARY_MAX),
        findings=_text(findings, "findings", required=False),
        measures=[],
        opened_by_id=getattr(actor, "id", None),
        opened_at=clock.now(),
        updated_at=clock.now(),
    )
    db.session.add(case)
    db.session.flush()
    audit.record(
        "discipline.case_opened",
        case,
        actor=actor,
        payload={"member_id": member.id, "source": kind.value, "source_ref": ref},
    )
    return case


def record_findings(actor: Any, case: DisciplineCase, findings: str) -> DisciplineCase:
    access.require_staff(actor)
    before = _move(case, Action.RECORD)
    case.findings = _text(findings, "findings", required=True)
    _audit("findings_recorded", case, actor, before)
    return case


def add_evidence(
    actor: Any, case: DisciplineCase, note: str, files: Sequence[Upload] = ()
) -> CaseEvidence:
    """A note and files (each stored with its SHA-256) added to the case file."""
    access.require_staff(actor)
    before = _move(case, Action.RECORD)
    text = _text(note, "note", required=False)
    given = [f for f in files if f is not None]
    if not text and not given:
        why = _("Write a note or attach a file.")
        raise ValidationFailed(why, {"note": why})
    if len(given) > MAX_FILES:
        why = _("Attach at most %(n)d files.", n=MAX_FILES)
        raise ValidationFailed(why, {"files": why})
    item = CaseEvidence(note=text, added_at=clock.now(), added_by_id=getattr(actor, "id", None))
    case.evidence.append(item)
    db.session.flush()
    stored = [
        uploads.store_upload(
            f.source,
            original_name=f.name,
            actor=actor,
            owner_type=access.EVIDENCE_FILES,
            owner_id=item.id,
            field="files",
        )
        for f in given
    ]
    _audit("evidence_added", case, actor, before, evidence_id=item.id, files=len(stored))
    return item


def propose(
    actor: Any,
    case: DisciplineCase,
    *,
    level: str | None,
    measures: Sequence[str],
    publication_months: int | None = None,
    rectify_due_on: date | None = None,
    reasons: str,
) -> DisciplineCase:
    """Propose (or change the proposal of) a sanction; the table is checked here."""
    access.require_staff(actor)
    check(CaseStatus, case.status, Action.PROPOSE)
    sanction = check_sanction(level, measures, publication_months, rectify_due_on, clock.today())
    text = _text(reasons, "reasons", required=True)
    if not (case.findings or "").strip():
        why = _("Record the findings before proposing a sanction.")
        raise InvalidTransition(why, {"findings": why})
    before = _move(case, Action.PROPOSE)
    case.level, case.measures = sanction.level, list(sanction.measures)
    case.publication_months, case.rectify_due_on = (
        sanction.publication_months,
        sanction.rectify_due_on,
    )
    case.reasons = text
    _audit(
        "proposed",
        case,
        actor,
        before,
        level=sanction.level,
        measures=list(sanction.measures),
        publication_months=sanction.publication_months,
    )
    return case


def decide_minor(actor: Any, case: DisciplineCase):
    """The secretariat decides a minor sanction itself; the agency is notified at once."""
    from portal.discipline.services import decisions

    access.require_staff(actor)
    check(CaseStatus, case.status, Action.DECIDE)
    if Level(case.level) not in SECRETARIAT_LEVELS:
        why = _(
            "A general or serious sanction is a major matter: put it to the self-regulation "
            "committee."
        )
        raise InvalidTransition(why, {"level": why})
    before = _move(case, Action.DECIDE)
    case.closed_at = clock.now()
    _audit("decided", case, actor, before, by="secretariat")
    return decisions.issue(actor, case, decided_by="secretariat")


def _motion_text(case: DisciplineCase) -> tuple[str, str]:
    with force_locale("zh_CN"):
        measures = "、".join(str(MEASURE_LABELS[m]) for m in _measures(case))
        title = _(
            "Sanction against %(agency)s: %(measures)s",
            agency=case.member.name,
            measures=measures,
        )
        body = "\n\n".join(
            [
                _("Case %(id)d: %(summary)s", id=case.id, summary=case.summary),
                _("Findings") + ":\n" + case.findings,
                _(
                    "Proposed: a %(level)s sanction (%(measures)s), published for %(months)s "
                    "months.",
                    level=LEVEL_LABELS[Level(case.level)],
                    measures=measures,
                    months=case.publication_months or 0,
                ),
                _("Reasons") + ":\n" + case.reasons,
            ]
        )
    return title[:200], body


def _measures(case: DisciplineCase):
    from portal.discipline.constants import Measure

    return [Measure(m) for m in case.measures]


def submit_to_committee(actor: Any, case: DisciplineCase, closes_at: datetime):
    """Open a major motion on the self-regulation committee about the proposal."""
    from portal.committees import motions, roster

    access.require_staff(actor)
    check(CaseStatus, case.status, Action.SUBMIT)
    if Level(case.level) in SECRETARIAT_LEVELS:
        why = _("The secretariat decides a minor sanction itself.")
        raise InvalidTransition(why, {"level": why})
    committee = roster.committee_of_kind("self_regulation")
    if committee is None:
        raise Conflict(_("There is no self-regulation committee yet."))
    title, body = _motion_text(case)
    motion = motions.open_motion(
        actor,
        committee,
        title=title,
        body=body,
        subject_type="sanction",
        subject_ref=case.ref,
        member_id=case.member_id,
        closes_at=closes_at,
    )
    before = _move(case, Action.SUBMIT)
    case.motion_id = motion.id
    _audit("submitted", case, actor, before, motion_id=motion.id)
    return motion


def vote_closed(motion, actor: Any) -> None:
    """The self-regulation committee's vote on a case closed (run by the motion hook)."""
    from portal.discipline.services import decisions

    case_id = int(motion.subject_ref.split(":", 1)[1])
    case = db.session.get(DisciplineCase, case_id)
    if case is None or case.status != CaseStatus.VOTING or case.motion_id != motion.id:
        return  # not ours, or acted on already
    if motion.result == "passed":
        before = _move(case, Action.VOTE_PASSED)
        case.closed_at = clock.now()
        _audit("decided", case, actor, before, by="committee", motion_id=motion.id)
        decisions.issue(actor, case, decided_by="committee", motion=motion)
    else:
        before = _move(case, Action.VOTE_FAILED)
        _audit("vote_failed", case, actor, before, motion_id=motion.id)
        from portal.discipline.services import notices

        notices.tell_staff(
            "discipline.vote_failed",
            lambda: (
                _("Sanction not adopted: case %(id)d", id=case.id),
                _(
                    "The self-regulation committee did not adopt the proposed sanction in "
                    "case %(id)d. Change the proposal or close the case.",
                    id=case.id,
                ),
            ),
            notices.staff_case_path(case.id),
        )


def dismiss(actor: Any, case: DisciplineCase, reason: str) -> DisciplineCase:
    access.require_staff(actor)
    text = _text(reason, "reason", required=True)
    before = _move(case, Action.DISMISS)
    case.closed_at, case.close_reason = clock.now(), text
    _audit("dismissed", case, actor, before)
    return case


def open_from_breach(actor: Any, breach: BreachReport, summary: str | None = None):
    """Open a case about a (late) breach report, and mark the report as handled."""
    access.require_staff(actor)
    before = breach.status
    breach.status = check(BreachStatus, before, Action.OPEN_CASE).value
    case = open_case(
        actor,
        member_id=breach.member_id,
        source=Source.BREACH.value,
        source_ref=f"breach:{breach.id}",
        summary=summary
        or _(
            "Personal-data breach reported %(minutes)d minutes after discovery",
            minutes=breach.delay_minutes,
        ),
        findings="",
        breach=breach,
    )
    breach.handled_at, breach.handled_by_id = clock.now(), getattr(actor, "id", None)
    audit.record(
        "discipline.breach_case_opened",
        breach,
        actor=actor,
        payload={"from": before, "to": breach.status, "case_id": case.id},
    )
    return case


def cases_of_member(member_id: int):
    return select(DisciplineCase).where(DisciplineCase.member_id == member_id)
