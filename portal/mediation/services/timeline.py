"""The timeline of a mediation case: what happened, when, and who (by role only). Public
events are shown to the parties; the others (deadline warnings, escalations) to staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from portal import clock
from portal.mediation.models import MediationCase, MediationEvent

EVENT_LABELS = {
    "proposed": _l("Mediation proposed by the secretariat"),
    "consented": _l("A party agreed to mediation"),
    "declined": _l("A party declined mediation"),
    "opened": _l("Both parties agreed: the case is open and a panel proposed"),
    "panel_changed": _l("Panel changed"),
    "session_scheduled": _l("Session scheduled"),
    "session_recorded": _l("Session held: attendance and minutes recorded"),
    "document_added": _l("Document added"),
    "document_corrected": _l("Document corrected (new version)"),
    "agreement_drafted": _l("Agreement text written"),
    "agreement_confirmed": _l("A party confirmed the agreement"),
    "agreement_concluded": _l("Both parties confirmed: the agreement is final"),
    "judicial_marked": _l("Marked for judicial confirmation by a court"),
    "failed": _l("Mediation failed: notice of the right to sue issued"),
    "deadline_warning": _l("First-session deadline warning"),
    "deadline_escalated": _l("First-session deadline missed: escalated"),
}
ROLE_WORDS = {
    "public": _l("Complainant"),
    "complainant": _l("Complainant"),
    "worker": _l("Complainant"),
    "staff": _l("Secretariat"),
    "committee": _l("Panel"),
    "member": _l("Agency"),
    "agency": _l("Agency"),
    "system": _l("Portal"),
}


def actor_role(actor: Any) -> str:
    if actor is None:
        return "public"
    if isinstance(actor, str):
        return "system"
    return str(getattr(actor, "role", "system"))


def add(
    case: MediationCase,
    kind: str,
    actor: Any,
    *,
    public: bool = True,
    note: str | None = None,
    role: str | None = None,
) -> MediationEvent:
    event = MediationEvent(
        kind=kind, at=clock.now(), public=public, actor_role=role or actor_role(actor), note=note
    )
    case.events.append(event)
    case.updated_at = event.at
    return event


@dataclass(frozen=True)
class Item:
    at: datetime
    kind: str
    label: str
    who: str
    note: str | None


def items(case: MediationCase, *, public_only: bool) -> list[Item]:
    return [
        Item(
            at=e.at,
            kind=e.kind,
            label=str(EVENT_LABELS.get(e.kind, e.kind)),
            who=str(ROLE_WORDS.get(e.actor_role, e.actor_role)),
            note=e.note,
        )
        for e in case.events
        if e.public or not public_only
    ]
