"""The timeline of a complaint: what happened, when, and who (by role only).

Public events are shown to the complainant and on the tracking page; the others (handler
assignment, identity revealed, escalations) to the secretariat only.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal import clock
from portal.complaints.models import Complaint, ComplaintEvent
from portal.extensions import db

EVENT_LABELS = {
    "filed": _l("Complaint filed"),
    "accepted": _l("Accepted"),
    "rejected": _l("Not accepted"),
    "investigation_started": _l("Investigation started"),
    "material_requested": _l("More material asked for; the deadline is paused"),
    "material_added": _l("Material added"),
    "material_arrived": _l("Material arrived; the deadline runs again"),
    "panel_assigned": _l("Expert panel assigned"),
    "handler_assigned": _l("Handler assigned"),
    "agency_responded": _l("The agency responded"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "identity_revealed": _l("Complainant's identity opened by the secretariat"),
    "deadline_warning": _l("Deadline warning"),
    "deadline_escalated": _l("Deadline missed: escalated"),
    "correction_requested": _l("Correction of personal data requested"),
    "correction_accepted": _l("Correction of personal data accepted"),
    "correction_refused": _l("Correction of personal data refused"),
}
ROLE_WORDS = {
    "public": _l("Complainant"),
    "complainant": _l("Complainant"),
    "worker": _l("Complainant"),
    "staff": _l("Secretariat"),
    "committee": _l("Expert panel"),
    "member": _l("Agency"),
    "system": _l("Portal"),
}


def actor_role(actor: Any) -> str:
    if actor is None:
        return "public"
    if isinstance(actor, str):
        return "system"
    return str(getattr(actor, "role", "system"))


def add(
    complaint: Complaint,
    kind: str,
    actor: Any,
    *,
    public: bool = True,
    note: str | None = None,
    role: str | None = None,
) -> ComplaintEvent:
    # Set through the many-to-one side: the backref appends to `complaint.events` only if
    # that list is already loaded, so a sweep adding one event never reads the whole timeline.
    event = ComplaintEvent(
        complaint=complaint,
        kind=kind,
        at=clock.now(),
        public=public,
        actor_role=role or actor_role(actor),
        note=note,
    )
    db.session.add(event)
    complaint.updated_at = event.at
    return event


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def role_word(role: str) -> str:
    return str(ROLE_WORDS.get(role, role))
