"""The applicant's side of an application: start, save steps, attach scans, submit.

Every function takes the acting user, checks that the application is theirs (their
agency's) and in a state that allows the change, audits it, and leaves the commit to the
caller. Saving a step stores what was typed even when it is wrong, and returns what is
wrong, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock, uploads
from portal.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.members import draft as drafts
from portal.members.models import Application, ApplicationDocument, Member, MemberUser
from portal.members.rules import Checklist, QualificationInput, evaluate
from portal.members.services import notices
from portal.members.services.access import (
    APPLICATION_FILES,
    belongs_to,
    member_of,
    require_member_user,
)
from portal.members.services.credentials import last_approved
from portal.members.services.staff import staff_inputs
from portal.members.states import (
    EDITABLE,
    OPEN,
    Action,
    ApplicationKind,
    ApplicationStatus,
    next_status,
)


def open_application(member: Member | None) -> Application | None:
    """The agency's application in progress (draft, submitted or returned), if any."""
    if member is None:
        return None
    return db.session.scalar(
        select(Application)
        .where(
            Application.member_id == member.id,
            Application.status.in_([status.value for status in OPEN]),
        )
        .order_by(Application.id.desc())
        .limit(1)
    )


def applications_of(member: Member | None) -> list[Application]:
    if member is None:
        return []
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.member_id == member.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def _copy_from(source: Application, target: Application) -> None:
    target.draft = {key: value for key, value in source.draft.items() if key != "_saved"}
    for doc in source.documents:
        target.documents.append(
            ApplicationDocument(
                slot=doc.slot, stored_file_id=doc.stored_file_id, attached_at=clock.now()
            )
        )


def start(actor: Any, kind: str | None = None) -> Application:
    """Start an application for the actor's agency (creating the agency on the first one).

    An agency that is not a member yet starts a "new" application (prefilled from its last
    rejected one, if any); a member starts a "renewal" or "change", prefilled from its
    current, approved credentials. One application at a time."""
    require_member_user(actor)
    member = member_of(actor)
    if member is None:
        member = Member(name=actor.display_name[:100], created_at=clock.now())
        db.session.add(member)
        db.session.flush()
        db.session.add(MemberUser(member_id=member.id, user_id=actor.id, created_at=clock.now()))
        audit.record("member.created", member, actor=actor, payload={"user_id": actor.id})
    current = open_application(member)
    if current is not None:
        raise Conflict(
            _("Your agency already has an application in progress."),
            {"application_id": str(current.id)},
        )
    if member.is_member:
        kind = kind or ApplicationKind.RENEWAL.value
        if kind not in (ApplicationKind.RENEWAL, ApplicationKind.CHANGE):
            raise ValidationFailed(
                _("A member applies for a renewal or a change."),
                {"kind": _("Choose renewal or change.")},
            )
    else:
        kind = kind or ApplicationKind.NEW.value
        if kind != ApplicationKind.NEW:
            raise ValidationFailed(
                _("An agency that is not a member yet applies for membership."),
                {"kind": _("Only a membership application is possible.")},
            )
    source = last_approved(member) if member.is_member else _last_of(member)
    now = clock.now()
    application = Application(
        member_id=member.id,
        kind=kind,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
        draft={},
        status=ApplicationStatus.DRAFT.value,
    )
    db.session.add(application)
    if source is not None:
        _copy_from(source, application)
    else:
        application.draft = {"name": member.name}
    audit.record(
        "member_application.started",
        application,
        actor=actor,
        payload={
            "member_id": member.id,
            "kind": kind,
            "prefilled_from": source.id if source else None,
        },
    )
    return application


def _last_of(member: Member) -> Application | None:
    return db.session.scalar(
        select(Application)
        .where(Application.member_id == member.id)
        .order_by(Application.id.desc())
        .limit(1)
    )


def _editable(actor: Any, application: Application) -> None:
    require_member_user(actor)
    if not belongs_to(actor, application.member_id):
        raise NotFound(_("No such application."))
    if application.status_enum not in EDITABLE:
        raise InvalidTransition(
            _(
                "This application is “%(status)s” and can no longer be changed.",
                status=application.status_enum.label,
            )
        )


def slots_of(application: Application) -> set[str]:
    return {doc.slot for doc in application.documents}


def save_step(
    actor: Any, application: Application, step: str, values: Mapping[str, Any]
) -> dict[str, str]:
    """Store what was typed in `step` (valid or not); return the step's errors ({} if none)."""
    if step not in drafts.STEP_KEYS:
        raise NotFound(_("No such step."))
    _editable(actor, application)
    application.draft = drafts.merge(application.draft or {}, step, values)
    application.last_step = step
    application.updated_at = clock.now()
    errors = drafts.step_errors(application.draft, step, slots_of(application))
    audit.record(
        "member_application.draft_saved",
        application,
        actor=actor,
        payload={"step": step, "complete": not errors},
    )
    return errors


def save_draft(
    actor: Any, application: Application, values: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """Store the fields given in `values`, whatever their steps (the API); errors by step."""
    _editable(actor, application)
    draft = dict(application.draft or {})
    touched = []
    for step in drafts.FORM_STEPS:
        if any(name in values for name in drafts.BY_KEY[step].fields):
            draft = drafts.merge(draft, step, values)
            touched.append(step)
    application.draft = draft
    application.updated_at = clock.now()
    errors = drafts.all_errors(draft, slots_of(application))
    audit.record(
        "member_application.draft_saved",
        application,
        actor=actor,
        payload={"steps": touched, "complete": not any(errors.values())},
    )
    return errors


def valid_slot(application: Application, slot: str) -> bool:
    if slot in drafts.SLOT_LABELS:
        return True
    if slot.startswith("calibration:"):
        key = slot.removeprefix("calibration:")
        return any(row.get("key") == key for row in application.draft.get("instruments") or [])
    return False


def attach(
    actor: Any,
    application: Application,
    slot: str,
    source: Any,
    *,
    original_name: str | None = None,
    field: str | None = None,
) -> ApplicationDocument:
    """Store an uploaded scan (checked by content, size-limited) as `slot` of the application,
    replacing the one before. Raises ValidationFailed naming `field`."""
    _editable(actor, application)
    field = field or drafts.file_field(slot)
    if not valid_slot(application, slot):
        raise ValidationFailed(
            _("There is no such document in this application."), {field: _("Unknown document.")}
        )
    stored = uploads.store_upload(
        source,
        original_name=original_name,
        actor=actor,
        owner_type=APPLICATION_FILES,
        owner_id=application.id,
        field=field,
    )
    document = application.document(slot)
    if document is None:
        document = ApplicationDocument(slot=slot, stored_file_id=stored.id)
        application.documents.append(document)
    document.stored_file_id = stored.id
    document.stored_file = stored
    document.attached_at = clock.now()
    application.updated_at = clock.now()
    audit.record(
        "member_application.document_attached",
        application,
        actor=actor,
        payload={"slot": slot, "stored_file_id": stored.id, "sha256": stored.sha256},
    )
    return document


def rule_input(application: Application) -> QualificationInput:
    return drafts.to_rule_input(
        application.draft or {}, slots_of(application), staff_inputs(application.member)
    )


def checklist(application: Application, on: date | None = None) -> Checklist:
    """The qualification checklist of the application as saved, on `on` (default today)."""
    return evaluate(rule_input(application), on or clock.today())


def progress(application: Application) -> dict[str, str]:
    """Each step's state: "complete", "attention" (saved with something missing or wrong)
    or "todo" (never saved and not complete)."""
    saved = set(drafts.saved_steps(application.draft or {}))
    errors = drafts.all_errors(application.draft or {}, slots_of(application))
    states = {}
    for step in drafts.STEP_KEYS:
        if step in errors:
            states[step] = (
                "complete" if not errors[step] else ("attention" if step in saved else "todo")
            )
        else:
            states[step] = "complete" if step in saved else "todo"
    return states


def submit(actor: Any, application: Application) -> Application:
    """Send the application to the secretariat: every step must be complete. The checklist
    may still fail; the secretariat cannot approve until it passes."""
    _editable(actor, application)
    target = next_status(application.status, Action.SUBMIT)
    errors = drafts.all_errors(application.draft or {}, slots_of(application))
    incomplete = [step for step, problems in errors.items() if problems]
    if incomplete:
        fields = {name: why for step in incomplete for name, why in errors[step].items()}
        raise ValidationFailed(
            _(
                "Some steps are not complete: %(steps)s.",
                steps=", ".join(str(drafts.BY_KEY[step].title) for step in incomplete),
            ),
            fields,
        )
    code = application.draft.get("credit_code")
    holder = db.session.scalar(
        select(Member).where(Member.credit_code == code, Member.id != application.member_id)
    )
    if holder is not None:
        why = _("This credit code is registered to another member.")
        raise ValidationFailed(why, {"credit_code": why})
    returned = application.status == ApplicationStatus.RETURNED
    application.status = target.value
    application.submitted_at = clock.now()
    application.updated_at = clock.now()
    audit.record(
        "member_application.submitted",
        application,
        actor=actor,
        payload={
            "from": ApplicationStatus.RETURNED.value if returned else ApplicationStatus.DRAFT.value,
            "to": target.value,
            "kind": application.kind,
        },
    )
    notices.tell_secretariat(
        "member_application.submitted",
        lambda: (
            _("An application awaits review"),
            _(
                "Application %(id)s (%(kind)s) was submitted.",
                id=application.id,
                kind=application.kind_enum.label,
            ),
        ),
        link=notices.review_path(application.id),
    )
    return application
