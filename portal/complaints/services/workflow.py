"""The secretariat's work on a complaint, the complainant's later material and the agency's
response. Every change goes through `states.check_transition`, writes the timeline and an
audit entry (references and states only) in the caller's transaction, and tells whoever
needs to know."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock, uploads
from portal.accounts.models import User
from portal.complaints import receipts
from portal.complaints.constants import (
    MAX_FILES,
    PANEL_FIELD_LABELS,
    REASON_MIN,
    RESOLUTION_DAYS,
    TEXT_MAX,
    Complexity,
    DeadlineKind,
    Finding,
    PanelField,
)
from portal.complaints.models import (
    Complaint,
    ComplaintMaterial,
    ComplaintPanelMember,
    ComplaintResponse,
)
from portal.complaints.services import access, deadlines, notices, timeline
from portal.complaints.services.intake import Submission, Upload
from portal.complaints.states import (
    Action,
    MediationAction,
    Status,
    check_mediation_transition,
    check_transition,
)
from portal.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.security import Role


def _move(complaint: Complaint, action: Action) -> tuple[str, str]:
    before = complaint.status
    complaint.status = check_transition(before, action).value
    return before, complaint.status


def _record(name: str, complaint: Complaint, actor: Any, before: str, after: str, **extra):
    payload = {"tracking_number": complaint.tracking_number, "from": before, "to": after}
    payload.update(extra)
    audit.record(f"complaint.{name}", complaint, actor=actor, payload=payload)


def _text(value: str | None, field: str, minimum: int, message: str) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationFailed(message, {field: message})
    if len(text) > TEXT_MAX:
        why = _("Use at most %(n)d characters.", n=TEXT_MAX)
        raise ValidationFailed(why, {field: why})
    return text


def _handler_or_staff(complaint: Complaint) -> list[User]:
    handler = db.session.get(User, complaint.handler_id) if complaint.handler_id else None
    if handler is not None and handler.active:
        return [handler]
    return notices.staff_users()


# --- the secretariat's decisions ----------------------------------------------------------


def accept(actor: Any, complaint: Complaint, complexity: str) -> Complaint:
    access.require_staff(actor)
    try:
        level = Complexity(complexity)
    except ValueError:
        why = _("Choose simple or complex.")
        raise ValidationFailed(why, {"complexity": why}) from None
    before, after = _move(complaint, Action.ACCEPT)
    now = clock.now()
    complaint.complexity, complaint.decided_at = level.value, now
    deadlines.meet(complaint, DeadlineKind.DECISION, now)
    resolution = deadlines.open_deadline(
        complaint, DeadlineKind.RESOLUTION, now, RESOLUTION_DAYS[level]
    )
    timeline.add(complaint, "accepted", actor)
    _record(
        "accepted",
        complaint,
        actor,
        before,
        after,
        complexity=level.value,
        **deadlines.describe(resolution),
    )
    notices.tell_complainant(complaint, "complaint.accepted", notices.accepted(complaint))
    notices.tell_agency(complaint, "complaint.about_agency", notices.for_agency(complaint))
    return complaint


def reject(actor: Any, complaint: Complaint, reason: str) -> Complaint:
    access.require_staff(actor)
    text = _text(
        reason,
        "reason",
        REASON_MIN,
        _("Give the reason in at least %(n)d characters.", n=REASON_MIN),
    )
    before, after = _move(complaint, Action.REJECT)
    complaint.rejection_reason, complaint.decided_at = text, clock.now()
    deadlines.meet(complaint, DeadlineKind.DECISION, complaint.decided_at)
    timeline.add(complaint, "rejected", actor, note=text)
    _record("rejected", complaint, actor, before, after)
    notices.tell_complainant(complaint, "complaint.rejected", notices.rejected(complaint))
    return complaint


def start_investigation(actor: Any, complaint: Complaint) -> Complaint:
    access.require_staff(actor)
    before, after = _move(complaint, Action.START_INVESTIGATION)
    timeline.add(complaint, "investigation_started", actor)
    _record("investigation_started", complaint, actor, before, after)
    return complaint


def request_material(actor: Any, complaint: Complaint, message: str) -> Complaint:
    access.require_staff(actor)
    text = _text(
        message,
        "message",
        REASON_MIN,
        _("Say what is missing in at least %(n)d characters.", n=REASON_MIN),
    )
    before, after = _move(complaint, Action.REQUEST_MATERIAL)
    complaint.material_request = text
    deadlines.pause(complaint, clock.now())
    timeline.add(complaint, "material_requested", actor, note=text)
    _record("material_requested", complaint, actor, before, after)
    notices.tell_complainant(
        complaint, "complaint.material_requested", notices.material_requested(complaint)
    )
    return complaint


def assign_panel(actor: Any, complaint: Complaint, seats: Mapping[str, int | None]) -> Complaint:
    """Seat one person per field (clinical, legal, industry) on a complex complaint's
    panel, replacing any earlier panel. Each is a staff or committee user."""
    access.require_staff(actor)
    check_transition(complaint.status, Action.ASSIGN_PANEL)
    if complaint.complexity != Complexity.COMPLEX.value:
        why = _("Only a complex complaint has an expert panel.")
        raise InvalidTransition(why, {"panel": why})
    problems: dict[str, str] = {}
    chosen: dict[PanelField, User] = {}
    for panel_field in PanelField:
        user_id = seats.get(panel_field.value)
        user = db.session.get(User, user_id) if user_id else None
        if user is None or not user.active or user.role not in (Role.STAFF, Role.COMMITTEE):
            problems[panel_field.value] = _("Choose a staff or committee member.")
        else:
            chosen[panel_field] = user
    ids = [user.id for user in chosen.values()]
    if not problems and len(set(ids)) != len(ids):
        problems["panel"] = _("Choose a different person for each field.")
    if problems:
        raise ValidationFailed(_("The panel needs a person for each field."), problems)
    old = {seat.field: seat.user_id for seat in complaint.panel}
    complaint.panel.clear()
    db.session.flush()
    now = clock.now()
    for panel_field, user in chosen.items():
        complaint.panel.append(
            ComplaintPanelMember(
                user_id=user.id,
                field=panel_field.value,
                assigned_at=now,
                assigned_by_id=actor.id,
            )
        )
        if old.get(panel_field.value) != user.id:
            notices.tell_users(
                [user],
                "complaint.panel",
                notices.for_panel(complaint, str(PANEL_FIELD_LABELS[panel_field])),
                notices.staff_path(complaint),
            )
    timeline.add(complaint, "panel_assigned", actor)
    _record(
        "panel_assigned",
        complaint,
        actor,
        complaint.status,
        complaint.status,
        panel={f.value: u.id for f, u in chosen.items()},
    )
    return complaint


def panel_complete(complaint: Complaint) -> bool:
    return {seat.field for seat in complaint.panel} >= {f.value for f in PanelField}


def resolve(actor: Any, complaint: Complaint, finding: str, outcome: str) -> Complaint:
    access.require_staff(actor)
    check_transition(complaint.status, Action.RESOLVE)
    if mediation_under_way(complaint):
        why = _(
            "The complaint is in mediation. It is resolved by the mediation's outcome, or "
            "after the mediation has ended."
        )
        raise InvalidTransition(why, {"status": why})
    if complaint.complexity == Complexity.COMPLEX.value and not panel_complete(complaint):
        why = _(
            "A complex complaint needs its expert panel (clinical, legal, industry) "
            "before it is resolved."
        )
        raise InvalidTransition(why, {"panel": why})
    try:
        result = Finding(finding)
    except ValueError:
        why = _("Choose the finding.")
        raise ValidationFailed(why, {"finding": why}) from None
    text = _text(
        outcome,
        "outcome",
        REASON_MIN,
        _("Write the outcome in at least %(n)d characters.", n=REASON_MIN),
    )
    before, after = _move(complaint, Action.RESOLVE)
    complaint.finding, complaint.outcome, complaint.resolved_at = result.value, text, clock.now()
    timeline.add(complaint, "resolved", actor)
    _record("resolved", complaint, actor, before, after, finding=result.value)
    notices.tell_complainant(complaint, "complaint.outcome", notices.outcome(complaint))
    return complaint


def close(actor: Any, complaint: Complaint) -> Complaint:
    access.require_staff(actor)
    before, after = _move(complaint, Action.CLOSE)
    complaint.closed_at = clock.now()
    deadlines.meet(complaint, DeadlineKind.RESOLUTION, complaint.closed_at)
    resolution = complaint.deadline(DeadlineKind.RESOLUTION.value)
    timeline.add(complaint, "closed", actor)
    _record(
        "closed",
        complaint,
        actor,
        before,
        after,
        on_time=bool(resolution and resolution.met_on_time),
    )
    return complaint


def staff_choices() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF.value, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def panel_choices() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.STAFF.value, Role.COMMITTEE.value]), User.active.is_(True))
            .order_by(User.role, User.display_name)
        )
    )


def assign_handler(
    actor: Any, complaints: Sequence[Complaint], handler_id: int | None
) -> tuple[list[Complaint], list[Complaint]]:
    """Give complaints to one staff handler; (assigned, skipped: closed or rejected ones)."""
    access.require_staff(actor)
    handler = db.session.get(User, handler_id) if handler_id else None
    if handler is None or handler.role != Role.STAFF or not handler.active:
        why = _("Choose a member of the secretariat.")
        raise ValidationFailed(why, {"handler_id": why})
    if not complaints:
        why = _("Select at least one complaint.")
        raise ValidationFailed(why, {"complaints": why})
    assigned, skipped = [], []
    for complaint in complaints:
        try:
            check_transition(complaint.status, Action.ASSIGN_HANDLER)
        except InvalidTransition:
            skipped.append(complaint)
            continue
        if complaint.handler_id == handler.id:
            assigned.append(complaint)
            continue
        previous = complaint.handler_id
        complaint.handler_id = handler.id
        timeline.add(complaint, "handler_assigned", actor, public=False)
        _record(
            "handler_assigned",
            complaint,
            actor,
            complaint.status,
            complaint.status,
            handler_id=handler.id,
            previous_handler_id=previous,
        )
        if handler.id != getattr(actor, "id", None):
            notices.tell_users(
                [handler],
                "complaint.handler",
                notices.for_handler(complaint),
                notices.staff_path(complaint),
            )
        assigned.append(complaint)
    return assigned, skipped


# --- material and the agency's response ---------------------------------------------------


def add_material(
    actor: Any,
    complaint: Complaint,
    text: str | None,
    *,
    files: Sequence[Upload] = (),
    submission: Submission | None = None,
    holds_receipt: bool = False,
) -> ComplaintMaterial:
    """Append material to a complaint: by the complainant (their account, or anyone who
    proved the receipt code: `holds_receipt`) or by the secretariat on their behalf. Material
    asked for ends the pause and the clock runs again, with the paused days added back."""
    by_staff = access.is_staff(actor)
    if not (by_staff or holds_receipt or access.is_complainant(actor, complaint)):
        raise NotFound(_("No such complaint."))
    key = (
        receipts.submission_key(f"material:{submission.kind}", submission.key)
        if submission
        else None
    )
    if key is not None:
        existing = db.session.scalar(
            select(ComplaintMaterial).where(ComplaintMaterial.submission_key == key)
        )
        if existing is not None:
            return existing  # the same form sent twice
    before = complaint.status
    after = check_transition(before, Action.ADD_MATERIAL).value
    body = (text or "").strip()
    given = [f for f in files if f is not None]
    if not body and not given:
        why = _("Write something or attach a file.")
        raise ValidationFailed(why, {"text": why})
    if len(body) > TEXT_MAX:
        why = _("Use at most %(n)d characters.", n=TEXT_MAX)
        raise ValidationFailed(why, {"text": why})
    if len(given) > MAX_FILES:
        why = _("Attach at most %(n)d files.", n=MAX_FILES)
        raise ValidationFailed(why, {"files": why})
    now = clock.now()
    material = ComplaintMaterial(
        text=body,
        added_at=now,
        added_by_id=getattr(actor, "id", None),
        added_by_role="staff" if by_staff else "complainant",
        submission_key=key,
    )
    complaint.materials.append(material)
    db.session.flush()
    stored = [
        uploads.store_upload(
            f.source,
            original_name=f.name,
            actor=actor,
            owner_type=access.MATERIAL_FILES,
            owner_id=material.id,
            field="files",
        )
        for f in given
    ]
    complaint.status = after
    arrived = before == Status.AWAITING_MATERIAL.value
    if arrived:
        complaint.material_request = None
        deadlines.resume(complaint, now)
    timeline.add(
        complaint,
        "material_arrived" if arrived else "material_added",
        actor,
        role="staff" if by_staff else "complainant",
    )
    _record(
        "material_added",
        complaint,
        actor,
        before,
        after,
        material_id=material.id,
        files=len(stored),
        by=material.added_by_role,
    )
    if not by_staff:
        notices.tell_users(
            _handler_or_staff(complaint),
            "complaint.material",
            _material_text(complaint),
            notices.staff_path(complaint),
        )
    return material


def _material_text(complaint: Complaint):
    def text():
        return (
            _("New material for complaint %(number)s", number=complaint.tracking_number),
            _(
                "The complainant added material to complaint %(number)s.",
                number=complaint.tracking_number,
            ),
        )

    return text


def respond(actor: Any, complaint: Complaint, text: str) -> ComplaintResponse:
    """The agency's written response to a complaint about it."""
    if not access.is_agency_of(actor, complaint):
        raise NotPermitted(_("Only the agency complained about may respond."))
    check_transition(complaint.status, Action.RESPOND)
    body = _text(
        text,
        "text",
        REASON_MIN,
        _("Write the response in at least %(n)d characters.", n=REASON_MIN),
    )
    response = ComplaintResponse(
        member_id=complaint.member_id, user_id=actor.id, text=body, created_at=clock.now()
    )
    complaint.responses.append(response)
    db.session.flush()
    timeline.add(complaint, "agency_responded", actor)
    _record(
        "agency_responded",
        complaint,
        actor,
        complaint.status,
        complaint.status,
        response_id=response.id,
    )
    notices.tell_users(
        _handler_or_staff(complaint),
        "complaint.response",
        _response_text(complaint),
        notices.staff_path(complaint),
    )
    return response


def _response_text(complaint: Complaint):
    def text():
        return (
            _("The agency responded to complaint %(number)s", number=complaint.tracking_number),
            _(
                "%(agency)s sent its written response to complaint %(number)s.",
                agency=complaint.agency_name,
                number=complaint.tracking_number,
            ),
        )

    return text


# --- mediation (called by portal.mediation in its own transaction) -------------------------


def mediation_under_way(complaint: Complaint) -> bool:
    """While it is, the mediation's outcome decides the complaint: no resolution beside it."""
    from portal.mediation.facts import under_way

    return under_way(complaint.id)


def may_go_to_mediation(complaint: Complaint) -> bool:
    """Accepted, not yet resolved, and about a member agency (a party to mediate with)."""
    from portal.complaints.states import MEDIATION_TABLE

    return (
        complaint.member_id is not None
        and Status(complaint.status) in MEDIATION_TABLE[MediationAction.PROPOSE]
    )


def after_mediation(actor: Any, complaint: Complaint, action: str, note: str) -> Complaint:
    """Continue the complaint after its mediation: `mediation_agreed` and
    `mediation_failed_close` close it (the closing deadline is met), `mediation_failed_resume`
    sends it back to the investigation. The actor is whoever took the mediation's last step
    (a party's confirmation concludes an agreement), so no role is required here."""
    wanted = MediationAction(action)
    before = complaint.status
    after = check_mediation_transition(before, wanted).value
    complaint.status = after
    now = clock.now()
    if after == Status.CLOSED.value:
        complaint.outcome, complaint.material_request = note, None
        complaint.resolved_at = complaint.resolved_at or now
        complaint.closed_at = now
        deadlines.meet(complaint, DeadlineKind.RESOLUTION, now)
        timeline.add(complaint, "closed", actor, note=note)
    elif before != after:
        timeline.add(complaint, "investigation_started", actor, note=note)
    _record(wanted.value, complaint, actor, before, after)
    return complaint
