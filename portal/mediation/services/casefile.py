"""The case file as one reader may see it: parties (the complainant's identity only as far
as the reader is entitled), panel, sessions, documents with their SHA-256 and versions,
the timeline, the deadline and the outcome. The page, the printable export, the PDF and
the API all read this one view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal import clock
from portal.complaints.services import identity as complaint_identity
from portal.mediation.models import MediationCase, MediationDocument
from portal.mediation.services import access, deadline, documents, panel, timeline
from portal.mediation.states import status_label


@dataclass(frozen=True)
class Party:
    label: str
    name: str | None
    id_number: str | None
    shown: str  # full | masked | shared | none


@dataclass(frozen=True)
class CaseFile:
    case: MediationCase
    number: str
    status: str
    status_label: str
    tracking_number: str
    agency_name: str
    complainant: Party
    panel: list
    reasons: dict[int, str]
    explanation: list[str]
    sessions: list
    documents: list[list[MediationDocument]]
    timeline: list[timeline.Item]
    due_date: str
    due_state: str
    due_percent: int
    viewer: str  # staff | committee | complainant | agency
    generated_at: datetime


def _complainant(case: MediationCase, shown: str) -> Party:
    complaint = case.complaint
    if shown == "full" or shown == "shared":
        return Party("complainant", complaint.name, complaint.id_number, shown)
    if shown == "masked":
        masked = complaint_identity.masked(complaint)
        return Party("complainant", masked.name, masked.id_number, shown)
    return Party("complainant", None, None, shown)


def viewer_of(actor: Any, case: MediationCase, holds_receipt: bool) -> str:
    if access.is_staff(actor):
        return "staff"
    party = access.party_of(actor, case, holds_receipt=holds_receipt)
    if party is not None:
        return party
    return "committee"


def build(actor: Any, case: MediationCase, *, holds_receipt: bool = False) -> CaseFile:
    viewer = viewer_of(actor, case, holds_receipt)
    now = clock.now()
    return CaseFile(
        case=case,
        number=case.number,
        status=case.status,
        status_label=status_label(case.status),
        tracking_number=case.complaint.tracking_number,
        agency_name=case.complaint.agency_name,
        complainant=_complainant(
            case, access.sees_identity(actor, case, holds_receipt=holds_receipt)
        ),
        panel=list(case.panel),
        reasons={seat.user_id: panel.seat_reason(case, seat) for seat in case.panel},
        explanation=[panel.explain(e) for e in (case.panel_explanation or [])]
        if viewer in ("staff", "committee")
        else [],
        sessions=list(case.sessions),
        documents=documents.grouped(case),
        timeline=timeline.items(case, public_only=viewer not in ("staff", "committee")),
        due_date=case.first_due_date.isoformat(),
        due_state=deadline.state(case, now),
        due_percent=max(0, min(100, int(deadline.fraction(case, now) * 100))),
        viewer=viewer,
        generated_at=now,
    )
