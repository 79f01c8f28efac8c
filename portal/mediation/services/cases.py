"""Opening a mediation case: the secretariat proposes it on an accepted complaint about a
member agency; it goes ahead only when both parties agree (the agency's user in the portal;
the complainant through their account or with the receipt code). The second consent opens
the case and proposes the panel; either party's refusal ends it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal import audit, clock
from portal.complaints.models import Complaint
from portal.complaints.services import workflow as complaint_workflow
from portal.errors import Conflict, InvalidTransition, NotFound
from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.services import access, deadline, notices, panel, timeline
from portal.mediation.states import Action, Status, check_transition

NOTE_MAX = 2000


def _move(case: MediationCase, action: Action) -> tuple[str, str]:
    before = case.status
    case.status = check_transition(before, action).value
    return before, case.status


def record(name: str, case: MediationCase, actor: Any, before: str, after: str, **extra):
    payload = {"number": case.number, "from": before, "to": after}
    payload.update(extra)
    audit.record(f"mediation.{name}", case, actor=actor, payload=payload)


def propose(actor: Any, complaint: Complaint, note: str = "") -> MediationCase:
    """Propose mediation of an accepted complaint; the parties are asked to agree."""
    access.require_staff(actor)
    if access.of_complaint(complaint.id) is not None:
        why = _("This complaint already has a mediation case.")
        raise Conflict(why, {"complaint": why})
    if not complaint_workflow.may_go_to_mediation(complaint):
        why = _(
            "Only an accepted complaint about a member agency, not yet resolved, can go to "
            "mediation."
        )
        raise InvalidTransition(why, {"complaint": why})
    now = clock.now()
    case = MediationCase(
        complaint_id=complaint.id,
        member_id=complaint.member_id,
        status=Status.AWAITING_CONSENT.value,
        proposed_at=now,
        proposed_by_id=actor.id,
        note=(note or "").strip()[:NOTE_MAX],
        updated_at=now,
    )
    case.complaint = complaint
    deadline.apply(case, complaint.decided_at or now)
    db.session.add(case)
    db.session.flush()
    case.number = f"TJ-{clock.shanghai(now).year}-{case.id:05d}"
    timeline.add(case, "proposed", actor)
    record(
        "proposed",
        case,
        actor,
        "-",
        case.status,
        tracking_number=complaint.tracking_number,
        first_session_due=case.first_due_date.isoformat(),
    )
    notices.tell_parties(case, "proposed")
    return case


def _party(actor: Any, case: MediationCase, holds_receipt: bool) -> str:
    party = access.party_of(actor, case, holds_receipt=holds_receipt)
    if party is None:
        raise NotFound(_("No such mediation case."))
    return party


def consent(actor: Any, case: MediationCase, *, holds_receipt: bool = False) -> MediationCase:
    """One party agrees; the second agreement opens the case and proposes the panel."""
    party = _party(actor, case, holds_receipt)
    check_transition(case.status, Action.CONSENT)
    now = clock.now()
    if party == access.COMPLAINANT:
        if case.complainant_consent_at is not None:
            return case
        case.complainant_consent_at = now
    else:
        if case.agency_consent_at is not None:
            return case
        case.agency_consent_at, case.agency_consent_by_id = now, actor.id
    timeline.add(case, "consented", actor, role=party)
    record("consented", case, actor, case.status, case.status, party=party)
    if case.complainant_consent_at and case.agency_consent_at:
        _open(actor, case)
    return case


def _open(actor: Any, case: MediationCase) -> None:
    before, after = _move(case, Action.OPEN)
    case.opened_at = clock.now()
    proposal = panel.propose(actor, case)
    timeline.add(case, "opened", actor, role="system")
    record("opened", case, actor, before, after, panel_complete=proposal.complete)
    notices.tell_parties(case, "opened")
    if not proposal.complete:
        notices.tell_staff(case, "opened")


def decline(
    actor: Any, case: MediationCase, *, holds_receipt: bool = False, reason: str = ""
) -> MediationCase:
    """One party refuses: the case ends; the complaint continues as before."""
    party = _party(actor, case, holds_receipt)
    before, after = _move(case, Action.DECLINE)
    case.declined_at, case.declined_by = clock.now(), party
    case.closed_at = case.declined_at
    note = (reason or "").strip()[:NOTE_MAX] or None
    timeline.add(case, "declined", actor, role=party, note=note)
    record("declined", case, actor, before, after, party=party)
    notices.tell_parties(case, "declined")
    notices.tell_staff(case, "declined")
    return case
