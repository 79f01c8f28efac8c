"""Pages of the complainant's own data: the worker's copy (page and JSON), the anonymous
complainant's copy with the receipt code (POST), correction requests and the secretariat's
queue of them."""

from __future__ import annotations

import json

from flask import flash, g, make_response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.complaints import privacy
from portal.complaints.constants import TEXT_MAX
from portal.complaints.forms import EmptyForm, TrackForm
from portal.complaints.services import access
from portal.complaints.views import bp
from portal.complaints.views.common import private_page
from portal.complaints.views.public import track_failed, track_limit
from portal.errors import DomainError, NotFound
from portal.extensions import db, limiter
from portal.forms_support import see_other, show_domain_error
from portal.navigation import Section, add_tile
from portal.security import Role, current_actor, public, roles_required

add_tile(
    "worker",
    Section(
        "complaints.my_data",
        _l("My personal data"),
        _l("Download what the portal holds about you; ask for a correction."),
        order=30,
    ),
)
add_tile(
    "staff",
    Section(
        "complaints.staff_corrections",
        _l("Correction requests"),
        _l("Complainants' requests to correct their personal data."),
        order=27,
    ),
)


class CorrectionForm(FlaskForm):
    field = SelectField(
        _l("Field to correct"),
        choices=[SelectChoice(key, label) for key, label in privacy.CORRECTABLE.items()],
        validate_choice=False,
    )
    value = StringField(_l("Correct value"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("accept", _l("Accept")), SelectChoice("refuse", _l("Refuse"))],
        validators=[DataRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=TEXT_MAX)])


def _json_download(data: dict, filename: str):
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- workers -----------------------------------------------------------------------------


def _prefix(key) -> str:
    """One form per item on a page: the prefix keeps their element ids apart."""
    return f"c{key}"


def _my_data_page(form=None, failed_number: str | None = None, status: int = 200):
    data = privacy.worker_data(current_actor())
    forms = {
        c["tracking_number"]: CorrectionForm(formdata=None, prefix=_prefix(c["tracking_number"]))
        for c in data["complaints"]
    }
    if form is not None:
        forms[failed_number] = form
    return private_page(
        "complaints/my_data.html",
        status=status,
        data=data,
        forms=forms,
        failed_number=failed_number,
        field_label=privacy.field_label,
        correction_status_label=privacy.status_label,
    )


@bp.route("/my/complaints/data")
@roles_required(Role.WORKER)
def my_data():
    return _my_data_page()


@bp.route("/my/complaints/data.json")
@roles_required(Role.WORKER)
def my_data_json():
    data = privacy.export_for_worker(current_actor())
    db.session.commit()
    return _json_download(data, "my-data.json")


@bp.route("/my/complaints/<tracking_number>/correction", methods=["POST"])
@roles_required(Role.WORKER)
def my_correction(tracking_number: str):
    actor = current_actor()
    complaint = access.own(actor, tracking_number)
    form = CorrectionForm(prefix=_prefix(complaint.tracking_number))
    if form.validate_on_submit():
        try:
            privacy.request_correction(
                actor, complaint, form.field.data, form.value.data, form.reason.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your correction request has been sent to the secretariat."), "success")
            return see_other("complaints.my_data")
    return _my_data_page(form, failed_number=complaint.tracking_number, status=422)


# --- anonymous complainants ---------------------------------------------------------------


@bp.route("/complaints/track/data", methods=["GET", "POST"])
@public
@limiter.limit(track_limit, methods=["POST"], deduct_when=track_failed)
def track_data():
    """The copy of one complaint's data, for whoever holds both secrets (sent by POST)."""
    form = TrackForm()
    if form.validate_on_submit():
        try:
            data = privacy.export_for_receipt(form.tracking_number.data, form.receipt_code.data)
        except NotFound as error:
            g.complaint_track_failed = True
            form.receipt_code.data = ""
            form.receipt_code.errors = [*form.receipt_code.errors, error.fields["receipt_code"]]
            return private_page("complaints/track_data.html", status=404, form=form)
        db.session.commit()
        return _json_download(data, "complaint-data.json")
    return private_page("complaints/track_data.html", status=422 if form.errors else 200, form=form)


# --- the secretariat ----------------------------------------------------------------------


def _queue_page(form=None, failed_id: int | None = None, status: int = 200, revealed=None):
    """The queue, each request masked except those in `revealed` ({id: opened proposal})."""
    access.require_staff(current_actor())
    items = privacy.pending_corrections()
    forms = {item.id: DecisionForm(formdata=None, prefix=_prefix(item.id)) for item in items}
    if form is not None:
        forms[failed_id] = form
    shown = {item.id: privacy.masked_proposal(item) for item in items} | (revealed or {})
    return private_page(
        "complaints/staff_corrections.html",
        status=status,
        items=items,
        forms=forms,
        shown=shown,
        reveal_form=EmptyForm(formdata=None),
        failed_id=failed_id,
        field_label=privacy.field_label,
    )


@bp.route("/staff/complaint-corrections")
@roles_required(Role.STAFF)
def staff_corrections():
    return _queue_page()


@bp.route("/staff/complaint-corrections/<int:correction_id>/reveal", methods=["POST"])
@roles_required(Role.STAFF)
def staff_correction_reveal(correction_id: int):
    actor = current_actor()
    correction = privacy.correction_for_staff(actor, correction_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return _queue_page(status=400)
    proposal = privacy.reveal_proposal(actor, correction)
    db.session.commit()
    return _queue_page(revealed={correction.id: proposal})


@bp.route("/staff/complaint-corrections/<int:correction_id>", methods=["POST"])
@roles_required(Role.STAFF)
def staff_correction_decide(correction_id: int):
    actor = current_actor()
    correction = privacy.correction_for_staff(actor, correction_id)
    form = DecisionForm(prefix=_prefix(correction.id))
    if form.validate_on_submit():
        try:
            privacy.decide_correction(
                actor, correction, form.decision.data == "accept", form.reason.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The correction request has been decided."), "success")
            return see_other("complaints.staff_corrections")
    return _queue_page(form, failed_id=correction.id, status=422)
