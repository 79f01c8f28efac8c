"""Sessions: scheduled by the secretariat (date and time, a place or an online link), then
recorded once held: who attended and the minutes (kept as a document, so a correction is a
new version). Scheduling the first session meets the first-session deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _

from portal import audit, clock
from portal.errors import InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.mediation.models import MediationCase, MediationSession
from portal.mediation.services import access, documents, notices, panel, timeline
from portal.mediation.services.documents import official
from portal.mediation.states import Action, check_transition

PLACE_MAX = 200
LINK_MAX = 300


def _check_link(link: str) -> str:
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.netloc or any(ch.isspace() for ch in link):
        why = _("Give an https:// link.")
        raise ValidationFailed(why, {"online_link": why})
    return link


def schedule(
    actor: Any,
    case: MediationCase,
    *,
    starts_at: datetime | None,
    place: str = "",
    online_link: str = "",
) -> MediationSession:
    access.require_staff(actor)
    check_transition(case.status, Action.SCHEDULE_SESSION)
    panel.require_complete(case)
    place = " ".join((place or "").split())
    link = (online_link or "").strip()
    fields: dict[str, str] = {}
    if starts_at is None or starts_at.tzinfo is None:
        fields["starts_at"] = _("Give the date and time.")
    if not place and not link:
        fields["place"] = _("Give the place or an online link.")
    if len(place) > PLACE_MAX:
        fields["place"] = _("Use at most %(n)d characters.", n=PLACE_MAX)
    if len(link) > LINK_MAX:
        fields["online_link"] = _("Use at most %(n)d characters.", n=LINK_MAX)
    if fields:
        raise ValidationFailed(_("The session cannot be scheduled."), fields)
    if link:
        _check_link(link)
    now = clock.now()
    session = MediationSession(
        number=len(case.sessions) + 1,
        starts_at=starts_at,
        place=place,
        online_link=link,
        scheduled_at=now,
    )
    case.sessions.append(session)
    db.session.flush()
    first = case.first_session_met_at is None
    if first:
        case.first_session_met_at = now
    when = clock.shanghai(starts_at).strftime("%Y-%m-%d %H:%M")
    timeline.add(case, "session_scheduled", actor, note=when)
    audit.record(
        "mediation.session_scheduled",
        case,
        actor=actor,
        payload={
            "number": case.number,
            "session": session.number,
            "starts_at": starts_at.isoformat(),
            "first": first,
            "deadline_met_on_time": (now <= case.first_due_at) if first else None,
        },
    )
    notices.tell_parties(case, "session")
    notices.tell_panel(case, "session")
    return session


def get(case: MediationCase, session_id: int) -> MediationSession:
    session = next((s for s in case.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound(_("No such session."))
    return session


def record(
    actor: Any,
    case: MediationCase,
    session: MediationSession,
    *,
    complainant_present: bool,
    agency_present: bool,
    panel_present: list[int],
    minutes: str,
) -> MediationSession:
    """Attendance and minutes of a held session, once (correct the minutes document)."""
    access.require_staff(actor)
    check_transition(case.status, Action.RECORD_SESSION)
    if session.held_at is not None:
        why = _("This session's minutes are recorded; correct them as a new version.")
        raise InvalidTransition(why, {"minutes": why})
    if clock.now() < session.starts_at:
        why = _("The session has not started yet.")
        raise InvalidTransition(why, {"minutes": why})
    seated = {seat.user_id for seat in case.panel}
    present = sorted({int(u) for u in panel_present if int(u) in seated})
    minutes_doc = documents.write(
        actor,
        case,
        kind="minutes",
        title=official(lambda: _("Minutes of session %(n)d", n=session.number)),
        text=minutes,
    )
    session.held_at = clock.now()
    session.attendance = {
        "complainant": bool(complainant_present),
        "agency": bool(agency_present),
        "panel": present,
    }
    session.minutes_document_id = minutes_doc.id
    timeline.add(
        case,
        "session_recorded",
        actor,
        note=official(lambda: _("Session %(n)d", n=session.number)),
    )
    audit.record(
        "mediation.session_recorded",
        case,
        actor=actor,
        payload={
            "number": case.number,
            "session": session.number,
            "attendance": session.attendance,
            "minutes_sha256": minutes_doc.sha256,
        },
    )
    return session
