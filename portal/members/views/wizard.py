"""The application wizard: one page per step, the live checklist beside each.

GET shows the step with what was saved (and, for a step saved before, what is wrong with
it). POST saves whatever was typed, valid or not, stores any scans that came with it, and
moves on only when the step is complete; "save and continue later" saves and leaves. A
step sent after the session ended is kept (`rescue`) and offered again after signing in.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other
from portal.members import draft as drafts
from portal.members import rescue
from portal.members.constants import (
    AgencyType,
    HazardCategory,
    InstrumentKind,
    QualityDocument,
    required_instruments,
)
from portal.members.forms import EmptyForm
from portal.members.regions import province_choices
from portal.members.services import access, applications, staff
from portal.members.states import EDITABLE
from portal.members.views import bp
from portal.security import Role, current_actor, roles_required

MAX_ROWS_PARSED = drafts.MAX_INSTRUMENTS + 5


def parse_step_form(step: str, form) -> dict[str, Any]:
    """The step's values from a submitted page form, as typed."""
    values: dict[str, Any] = {}
    for name in drafts.BY_KEY[step].fields:
        if name == "scope":
            values[name] = form.getlist("scope")
        elif name == "instruments":
            values[name] = _instrument_rows(form)
        else:
            values[name] = form.get(name, "")
    return values


def _instrument_rows(form) -> list[dict[str, str]]:
    count = min(form.get("instruments-count", type=int) or 0, MAX_ROWS_PARSED)
    rows = []
    for index in range(count):
        prefix = f"instruments-{index}-"
        if form.get(prefix + "remove"):
            continue
        rows.append({name: form.get(prefix + name, "") for name in drafts.INSTRUMENT_FIELDS})
    return rows


def _uploads(application, step: str, form_files, form) -> dict[str, str]:
    """Store the scans sent with the step; the errors of those refused, by field."""
    errors: dict[str, str] = {}
    wanted: list[tuple[str, str]] = [
        (drafts.file_field(slot), slot) for slot in drafts.BY_KEY[step].slots
    ]
    if step == "equipment":
        count = min(form.get("instruments-count", type=int) or 0, MAX_ROWS_PARSED)
        for index in range(count):
            key = form.get(f"instruments-{index}-key", "")
            if key and not form.get(f"instruments-{index}-remove"):
                wanted.append((f"instruments-{index}-file", f"calibration:{key}"))
    for field, slot in wanted:
        upload = form_files.get(field)
        if upload is None or not upload.filename:
            continue
        if not applications.valid_slot(application, slot):
            continue  # a row whose other fields were all empty: no instrument to attach to
        try:
            applications.attach(current_actor(), application, slot, upload, field=field)
        except DomainError as error:
            errors.update(error.fields or {field: error.message})
    return errors


def _context(application, step: str, values: dict[str, Any], errors: dict[str, str]):
    slots = applications.slots_of(application)
    documents = {doc.slot: doc.stored_file for doc in application.documents}
    agency_type = values.get("agency_type")
    scope = [c for c in HazardCategory if c in set(values.get("scope") or [])]
    needed = (
        required_instruments(AgencyType(agency_type), scope)
        if agency_type in set(AgencyType)
        else {}
    )
    rows = list(values.get("instruments") or [])
    rows.append({"key": drafts.new_key()})  # one empty row to add an instrument
    return {
        "application": application,
        "step": drafts.BY_KEY[step],
        "steps": drafts.STEPS,
        "step_index": drafts.STEP_KEYS.index(step),
        "progress": applications.progress(application),
        "values": values,
        "errors": errors,
        "error_labels": {name: drafts.field_label(name) for name in errors},
        "slots": slots,
        "documents": documents,
        "checklist": applications.checklist(application),
        "provinces": province_choices(),
        "agency_types": list(AgencyType),
        "categories": list(HazardCategory),
        "instrument_choices": [(kind.value, kind.label) for kind in InstrumentKind],
        "quality_documents": list(QualityDocument),
        "needed_instruments": needed,
        "instrument_rows": rows,
        "people": staff.compliance(application.member),
        "form": EmptyForm(),
        "today": clock.today(),
        "file_field": drafts.file_field,
        "slot_label": drafts.slot_label,
        "parse_date": drafts.parse_date,
        "all_errors": drafts.all_errors(application.draft or {}, slots),
        "max_upload_mb": 10,
    }


def _load(application_id: int):
    application = access.own_application(current_actor(), application_id)
    return application


@bp.route("/agency/applications/<int:application_id>/steps/<step>", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def application_step(application_id: int, step: str):
    if step not in drafts.STEP_KEYS:
        abort(404)
    application = _load(application_id)
    if application.status_enum not in EDITABLE:
        flash(_("This application can no longer be changed."), "info")
        return see_other("members.application_view", application_id=application.id, read=1)
    if request.method == "POST":
        return _save(application, step)
    values = dict(application.draft or {})
    rescued = rescue.take(current_actor(), application, step)
    if rescued is not None:
        values.update(rescued)
        flash(
            _(
                "Your session had ended when you sent this step. What you typed is shown "
                "again below: check it and save."
            ),
            "warning",
        )
    saved = step in drafts.saved_steps(application.draft or {})
    errors = drafts.step_errors(values, step, applications.slots_of(application)) if saved else {}
    template = f"members/wizard/{step}.html"
    return render_template(template, **_context(application, step, values, errors))


def _save(application, step: str):
    values = parse_step_form(step, request.form)
    actor = current_actor()
    applications.save_step(actor, application, step, values)
    upload_errors = _uploads(application, step, request.files, request.form)
    errors = {
        **drafts.step_errors(application.draft, step, applications.slots_of(application)),
        **upload_errors,
    }
    db.session.commit()
    action = request.form.get("action", "next")
    index = drafts.STEP_KEYS.index(step)
    if action == "later":
        flash(_("Saved. You can continue later from your agency's page."), "success")
        return see_other("members.agency_home")
    if action == "back" and index > 0:
        return see_other(
            "members.application_step",
            application_id=application.id,
            step=drafts.STEP_KEYS[index - 1],
        )
    if errors:
        flash(_("Saved as a draft, but some fields need correcting before you go on."), "warning")
        context = _context(application, step, dict(application.draft), errors)
        return render_template(f"members/wizard/{step}.html", **context), 422
    if action == "stay":
        flash(_("Saved."), "success")
        return see_other("members.application_step", application_id=application.id, step=step)
    return see_other(
        "members.application_step",
        application_id=application.id,
        step=drafts.STEP_KEYS[min(index + 1, len(drafts.STEP_KEYS) - 1)],
    )


@bp.route("/agency/applications/<int:application_id>/submit", methods=["POST"])
@roles_required(Role.MEMBER)
def application_submit(application_id: int):
    application = _load(application_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("members.application_step", application_id=application.id, step="summary")
    try:
        applications.submit(current_actor(), application)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return see_other("members.application_step", application_id=application.id, step="summary")
    db.session.commit()
    flash(
        _(
            "Your application is submitted. The secretariat will review it; you will be told "
            "of its decision here and by e-mail."
        ),
        "success",
    )
    return see_other("members.application_view", application_id=application.id)
