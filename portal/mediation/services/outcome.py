"""The outcome: an agreement both parties confirm in the portal (each confirmation recorded
with its time; after both, the text is frozen with its SHA-256 and the complaint closed),
which may be marked for judicial confirmation; or a failed mediation, which issues the
notice of the complainant's right to sue and sends the complaint back to the investigation
or closes it."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from portal import clock
from portal.complaints.services import workflow as complaint_workflow
from portal.errors import InvalidTransition, ValidationFailed
from portal.mediation.models import MediationCase
from portal.mediation.services import access, documents, notices, panel, timeline
from portal.mediation.services.cases import _move, _party, record
from portal.mediation.states import Action, Status, check_transition

TEXT_MIN = 20
REASON_MIN = 10


def draft_agreement(actor: Any, case: MediationCase, text: str) -> MediationCase:
    """The secretariat writes (or rewrites) the agreement; earlier confirmations lapse."""
    access.require_staff(actor)
    before = case.status
    check_transition(before, Action.DRAFT_AGREEMENT)
    panel.require_complete(case)
    body = (text or "").strip()
    if len(body) < TEXT_MIN:
        why = _("Write the agreement in at least %(n)d characters.", n=TEXT_MIN)
        raise ValidationFailed(why, {"text": why})
    if len(body) > documents.TEXT_MAX:
        why = _("Use at most %(n)d characters.", n=documents.TEXT_MAX)
        raise ValidationFailed(why, {"text": why})
    _move(case, Action.DRAFT_AGREEMENT)
    case.agreement_version += 1
    case.agreement_text = body
    case.complainant_confirmed_at = case.agency_confirmed_at = None
    case.agency_confirmed_by_id = None
    document = documents.write(
        actor,
        case,
        kind="agreement",
        title=documents.official(lambda: _("Agreement")),
        text=body,
        key="agreement",
        note=documents.official(lambda: _("Version %(n)d", n=case.agreement_version)),
    )
    timeline.add(
        case,
        "agreement_drafted",
        actor,
        note=documents.official(lambda: _("Version %(n)d", n=case.agreement_version)),
    )
    record(
        "agreement_drafted",
        case,
        actor,
        before,
        case.status,
        version=case.agreement_version,
        sha256=document.sha256,
    )
    notices.tell_parties(case, "agreement")
    return case


def confirm(
    actor: Any, case: MediationCase, *, version: int, holds_receipt: bool = False
) -> MediationCase:
    """A party confirms the text they read (`version`, so a text rewritten meanwhile is
    never confirmed unread). After both, the text is frozen and the complaint closed."""
    party = _party(actor, case, holds_receipt)
    check_transition(case.status, Action.CONFIRM)
    if version != case.agreement_version:
        why = _("The text changed since you read it. Read the current text and confirm again.")
        raise InvalidTransition(why, {"version": why})
    now = clock.now()
    if party == access.COMPLAINANT:
        if case.complainant_confirmed_at is not None:
            return case
        case.complainant_confirmed_at = now
    else:
        if case.agency_confirmed_at is not None:
            return case
        case.agency_confirmed_at, case.agency_confirmed_by_id = now, actor.id
    timeline.add(case, "agreement_confirmed", actor, role=party)
    record(
        "agreement_confirmed",
        case,
        actor,
        case.status,
        case.status,
        party=party,
        version=case.agreement_version,
    )
    if case.complainant_confirmed_at and case.agency_confirmed_at:
        _conclude(actor, case)
    return case


def _continue_complaint(actor: Any, case: MediationCase, action: str, note: str) -> None:
    """Move the complaint on; a complaint the secretariat has meanwhile resolved or closed
    itself stays as it is (the mediation's outcome is still recorded on the case)."""
    from portal.complaints.states import MEDIATION_TABLE, MediationAction, Status

    if Status(case.complaint.status) in MEDIATION_TABLE[MediationAction(action)]:
        complaint_workflow.after_mediation(actor, case.complaint, action, note)


def _conclude(actor: Any, case: MediationCase) -> None:
    before, after = _move(case, Action.CONCLUDE)
    now = clock.now()
    case.agreement_frozen_at = case.closed_at = now
    case.agreement_sha256 = documents.text_hash(case.agreement_text or "")
    with force_locale("zh_CN"):
        note = _("Settled by the mediation agreement of case %(number)s.", number=case.number)
    _continue_complaint(actor, case, "mediation_agreed", note)
    timeline.add(case, "agreement_concluded", actor, role="system")
    record(
        "agreement_concluded",
        case,
        actor,
        before,
        after,
        version=case.agreement_version,
        sha256=case.agreement_sha256,
        complaint_status=case.complaint.status,
    )
    notices.tell_parties(case, "agreed")
    notices.tell_staff(case, "agreed")


def mark_judicial(actor: Any, case: MediationCase) -> MediationCase:
    access.require_staff(actor)
    check_transition(case.status, Action.MARK_JUDICIAL)
    if case.judicial_confirmation:
        return case
    case.judicial_confirmation, case.judicial_marked_at = True, clock.now()
    timeline.add(case, "judicial_marked", actor)
    record("judicial_marked", case, actor, case.status, case.status)
    return case


def notice_text(case: MediationCase) -> str:
    with force_locale("zh_CN"):
        return _(
            "Mediation of complaint %(complaint)s about %(agency)s ended without an "
            "agreement on %(day)s. You keep the right to take the dispute to court (or to "
            "labour dispute arbitration, where it applies): this mediation does not prevent "
            "it. Keep this notice and the case file as evidence of the mediation.",
            complaint=case.complaint.tracking_number,
            agency=case.complaint.agency_name,
            day=clock.today().isoformat(),
        )


def fail(actor: Any, case: MediationCase, *, reason: str, complaint_after: str) -> MediationCase:
    """Mediation failed: the notice of the right to sue is issued to the complainant, and
    the complaint goes back to the investigation (`resume`) or is closed (`close`)."""
    access.require_staff(actor)
    before = case.status
    check_transition(before, Action.FAIL)
    text = (reason or "").strip()
    fields = {}
    if len(text) < REASON_MIN:
        fields["reason"] = _("Give the reason in at least %(n)d characters.", n=REASON_MIN)
    if complaint_after not in ("resume", "close"):
        fields["complaint_after"] = _("Choose what becomes of the complaint.")
    if fields:
        raise ValidationFailed(_("Some fields need correcting."), fields)
    _move(case, Action.FAIL)
    now = clock.now()
    case.failed_at = case.closed_at = now
    case.failure_reason, case.complaint_after = text, complaint_after
    case.notice_text = notice_text(case)
    documents.write(
        actor,
        case,
        kind="notice",
        title=documents.official(lambda: _("Notice of the right to sue")),
        text=case.notice_text,
        key="notice",
    )
    action = "mediation_failed_resume" if complaint_after == "resume" else "mediation_failed_close"
    with force_locale("zh_CN"):
        note = _(
            "Mediation case %(number)s failed; the notice of the right to sue was issued.",
            number=case.number,
        )
    _continue_complaint(actor, case, action, note)
    timeline.add(case, "failed", actor, note=text)
    record(
        "failed",
        case,
        actor,
        before,
        case.status,
        complaint_after=complaint_after,
        complaint_status=case.complaint.status,
    )
    notices.tell_parties(case, "failed")
    notices.tell_panel(case, "failed")
    return case


def agreement_state(case: MediationCase) -> str:
    if case.status == Status.AGREED.value:
        return "frozen"
    if case.status == Status.AGREEMENT_DRAFTED.value:
        return "awaiting"
    return "none"
