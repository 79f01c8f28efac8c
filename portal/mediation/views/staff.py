"""The secretariat's pages: the cases, the roster, one case with the actions its state
allows, and proposing mediation from a complaint."""

from __future__ import annotations

from datetime import UTC

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal import clock
from portal.committees import roster as committee_roster
from portal.complaints.services import access as complaint_access
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.mediation import tasks
from portal.mediation.forms import (
    AgreementForm,
    CorrectionForm,
    DocumentForm,
    EmptyForm,
    FailForm,
    MinutesForm,
    PanelForm,
    ProposeForm,
    SessionForm,
)
from portal.mediation.models import MediationCase
from portal.mediation.services import (
    access,
    cases,
    documents,
    outcome,
    panel,
    sessions,
)
from portal.mediation.states import Action, Status, allowed
from portal.mediation.views import bp
from portal.mediation.views.common import case_page, prepare_common, upload_of
from portal.security import Role, current_actor, roles_required

PER_PAGE = 25

STAFF_FORMS = {
    "panel": (Action.CHANGE_PANEL, PanelForm),
    "session": (Action.SCHEDULE_SESSION, SessionForm),
    "minutes": (Action.RECORD_SESSION, MinutesForm),
    "document": (Action.ADD_DOCUMENT, DocumentForm),
    "correct": (Action.ADD_DOCUMENT, CorrectionForm),
    "agreement": (Action.DRAFT_AGREEMENT, AgreementForm),
    "judicial": (Action.MARK_JUDICIAL, EmptyForm),
    "fail": (Action.FAIL, FailForm),
}


def _panel_choices() -> list[SelectChoice]:
    return [
        SelectChoice(c.user_id, f"{c.name} · {_category(c.category)}")
        for c in sorted(panel.candidates().values(), key=lambda c: (c.category, c.name))
    ]


def _category(value: str) -> str:
    from portal.mediation.views import _category_label

    return _category_label(value)


def _prepare(name: str, form, case: MediationCase, fresh: bool) -> bool:
    usable = prepare_common(name, form, case)
    if name == "panel":
        form.panel.choices = _panel_choices()
        if fresh:
            form.panel.data = [seat.user_id for seat in case.panel]
    if name == "minutes":
        form.panel_present.choices = [
            SelectChoice(seat.user_id, seat.user.display_name) for seat in case.panel
        ]
    return usable


def staff_forms(case: MediationCase, failed=None) -> dict:
    forms = {}
    for name, (action, form_class) in STAFF_FORMS.items():
        if not allowed(case.status, action):
            continue
        if name == "judicial" and case.judicial_confirmation:
            continue
        fresh = not (failed and failed[0] == name)
        form = form_class(formdata=None) if fresh else failed[1]
        if not _prepare(name, form, case, fresh):
            continue
        if name == "agreement" and fresh and case.agreement_text:
            form.text.data = case.agreement_text
        forms[name] = form
    return forms


@bp.route("/staff/mediation")
@roles_required(Role.STAFF)
def staff_list():
    status = request.args.get("status") or None
    stmt = access.visible_to(current_actor())
    if status == "overdue":
        stmt = tasks.overdue()
    elif status in {s.value for s in Status}:
        stmt = stmt.where(MediationCase.status == status)
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template(
        "mediation/list.html",
        page=page,
        statuses=list(Status),
        status=status,
        heading=_("Mediation cases"),
        endpoint="mediation.staff_detail",
        list_endpoint="mediation.staff_list",
        now=clock.now(),
    )


@bp.route("/staff/mediation/roster")
@roles_required(Role.STAFF)
def roster():
    committee = committee_roster.committee_of_kind("mediation")
    seats = committee_roster.seats_in_office(committee) if committee else []
    ties = {seat.user_id: committee_roster.active_ties_of(seat.user_id) for seat in seats}
    return render_template("mediation/roster.html", committee=committee, seats=seats, ties=ties)


@bp.route("/staff/mediation/<number>")
@roles_required(Role.STAFF)
def staff_detail(number: str):
    case = access.for_staff(current_actor(), number)
    return case_page(current_actor(), case, forms=staff_forms(case), back="staff")


def _act(name: str, actor, case: MediationCase, form) -> str:
    if name == "panel":
        panel.change(actor, case, form.panel.data or [], form.reason.data or "")
        return _("The panel has been changed.")
    if name == "session":
        starts = form.starts_at.data
        starts_at = starts.replace(tzinfo=clock.SHANGHAI).astimezone(UTC) if starts else None
        sessions.schedule(
            actor,
            case,
            starts_at=starts_at,
            place=form.place.data or "",
            online_link=form.online_link.data or "",
        )
        return _("The session has been scheduled; the parties and the panel are told.")
    if name == "minutes":
        session_id = int(form.session_id.data) if (form.session_id.data or "").isdigit() else 0
        sessions.record(
            actor,
            case,
            sessions.get(case, session_id),
            complainant_present=form.complainant_present.data,
            agency_present=form.agency_present.data,
            panel_present=form.panel_present.data or [],
            minutes=form.minutes.data,
        )
        return _("Attendance and minutes recorded.")
    if name == "document":
        documents.add(
            actor,
            case,
            kind=form.kind.data,
            title=form.title.data,
            text=form.text.data,
            upload=upload_of(form.file),
        )
        return _("Document added to the case file.")
    if name == "correct":
        documents.correct(
            actor,
            case,
            form.key.data or "",
            text=form.text.data,
            upload=upload_of(form.file),
            note=form.note.data,
        )
        return _("The correction has been added as a new version; the earlier one stays.")
    if name == "agreement":
        outcome.draft_agreement(actor, case, form.text.data)
        return _("The agreement text is ready; both parties are asked to confirm it.")
    if name == "judicial":
        outcome.mark_judicial(actor, case)
        return _("Marked for judicial confirmation.")
    if name == "fail":
        outcome.fail(
            actor, case, reason=form.reason.data, complaint_after=form.complaint_after.data
        )
        return _("Recorded as failed; the notice of the right to sue has been issued.")
    raise AssertionError(name)


@bp.route("/staff/mediation/<number>/<action>", methods=["POST"])
@roles_required(Role.STAFF)
def staff_action(number: str, action: str):
    if action not in STAFF_FORMS:
        abort(404)
    actor = current_actor()
    case = access.for_staff(actor, number)
    form = STAFF_FORMS[action][1]()
    _prepare(action, form, case, fresh=False)
    if form.validate_on_submit():
        try:
            message = _act(action, actor, case, form)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return case_page(
                actor,
                case,
                forms=staff_forms(case, failed=(action, form)),
                status=error.status,
                back="staff",
            )
        db.session.commit()
        flash(message, "success")
        return see_other("mediation.staff_detail", number=case.number)
    flash(_("Some fields need correcting."), "danger")
    return case_page(
        actor, case, forms=staff_forms(case, failed=(action, form)), status=422, back="staff"
    )


@bp.route("/staff/complaints/<tracking_number>/mediation", methods=["POST"])
@roles_required(Role.STAFF)
def propose(tracking_number: str):
    actor = current_actor()
    complaint = complaint_access.for_staff(actor, tracking_number)
    form = ProposeForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("complaints.staff_detail", tracking_number=complaint.tracking_number)
    try:
        case = cases.propose(actor, complaint, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return see_other("complaints.staff_detail", tracking_number=complaint.tracking_number)
    db.session.commit()
    flash(_("Mediation proposed: both parties are asked to agree."), "success")
    return see_other("mediation.staff_detail", number=case.number)
