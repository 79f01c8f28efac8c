"""Public pages: file a complaint, the receipt, tracking with the receipt code, statistics."""

from __future__ import annotations

from flask import current_app, flash, g, make_response, render_template, request, session
from flask_babel import gettext as _

from portal.complaints import charts, receipts
from portal.complaints.forms import ComplaintForm, TrackForm, TrackMaterialForm, subtype_choices
from portal.complaints.services import access, intake, stats, tracking, workflow
from portal.complaints.services.intake import Submission
from portal.complaints.views import bp
from portal.complaints.views.common import (
    complaint_input,
    ensure_token,
    member_choices,
    private_page,
    uploads_of,
)
from portal.errors import DomainError, NotFound
from portal.extensions import db, limiter
from portal.forms_support import see_other, show_domain_error
from portal.open_data import cacheable
from portal.security import current_actor, public

RECEIPT_KEY = "complaint_receipt"
DEFAULT_TRACK_LIMIT = "10 per minute; 50 per day"


def track_limit() -> str:
    return current_app.config.get("COMPLAINT_TRACK_RATE_LIMIT", DEFAULT_TRACK_LIMIT)


def track_failed(_response) -> bool:
    """Only failed attempts count against the limit: a complainant reading their case
    often is not guessing."""
    return bool(g.get("complaint_track_failed"))


def _prepare(form, agency_q: str) -> None:
    form.member_no.choices = member_choices(agency_q, form.member_no.data)
    form.subtype.choices = subtype_choices()


def file_with_form(form, submission_kind: str, channel, template: str, **context):
    """The filing shared by the public and the secretariat's forms; the response."""
    agency_q = request.args.get("agency_q", "")
    if request.method == "GET" and request.args.get("member"):
        form.member_no.data = request.args["member"].strip().upper()
    _prepare(form, agency_q)
    token_ok = ensure_token(form)
    if request.method == "POST" and not token_ok:
        flash(_("The form expired. Please send it again."), "danger")
    elif form.validate_on_submit():
        try:
            filed = intake.file_complaint(
                current_actor(),
                complaint_input(form),
                channel=channel(form) if callable(channel) else channel,
                submission=Submission(submission_kind, form.submission_token.data),
                files=uploads_of(form.evidence),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            session[RECEIPT_KEY] = {
                "number": filed.complaint.tracking_number,
                "code": filed.receipt_code,
            }
            if filed.duplicate:
                flash(_("This form had already been sent: the complaint was filed once."), "info")
            return see_other(
                "complaints.staff_receipt"
                if submission_kind == "staff-form"
                else "complaints.receipt"
            )
    status = 422 if form.errors else 200
    return render_template(template, form=form, agency_q=agency_q, **context), status


@bp.route("/complaints/new", methods=["GET", "POST"])
@public
def new():
    return file_with_form(ComplaintForm(), "form", "online", "complaints/new.html")


def show_receipt(template: str):
    """The receipt, once: the code leaves the session as it is shown."""
    held = session.pop(RECEIPT_KEY, None)
    complaint = access.by_number(held["number"]) if held else None
    return private_page(
        template,
        complaint=complaint,
        receipt_code=held.get("code") if held else None,
        view=tracking.public_view(complaint) if complaint is not None else None,
    )


@bp.route("/complaints/receipt")
@public
def receipt():
    return show_receipt("complaints/receipt.html")


def _track_result(complaint, material_form=None, code: str = ""):
    material_form = material_form or TrackMaterialForm(
        formdata=None, tracking_number=complaint.tracking_number, receipt_code=code
    )
    ensure_token(material_form)
    return private_page(
        "complaints/track_result.html",
        view=tracking.public_view(complaint),
        material_form=material_form,
    )


def _track_failure(form, error: NotFound):
    g.complaint_track_failed = True
    form.receipt_code.errors = [*form.receipt_code.errors, error.fields["receipt_code"]]
    flash(error.message, "danger")
    return private_page("complaints/track.html", status=404, form=form)


@bp.route("/complaints/track", methods=["GET", "POST"])
@public
@limiter.limit(track_limit, methods=["POST"], deduct_when=track_failed)
def track():
    form = TrackForm()
    if form.validate_on_submit():
        try:
            complaint = tracking.track(form.tracking_number.data, form.receipt_code.data)
        except NotFound as error:
            form.receipt_code.data = ""
            return _track_failure(form, error)
        return _track_result(complaint, code=receipts.format_code(form.receipt_code.data))
    return private_page("complaints/track.html", status=422 if form.errors else 200, form=form)


@bp.route("/complaints/track/material", methods=["POST"])
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def track_material():
    form = TrackMaterialForm()
    try:
        complaint = tracking.track(form.tracking_number.data, form.receipt_code.data)
    except NotFound as error:
        return _track_failure(TrackForm(formdata=None), error)
    if not ensure_token(form):
        flash(_("The form expired. Please send it again."), "danger")
    elif form.validate_on_submit():
        try:
            workflow.add_material(
                current_actor(),
                complaint,
                form.text.data,
                files=uploads_of(form.files),
                submission=Submission("track", form.submission_token.data),
                holds_receipt=True,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your material has been added to the complaint."), "success")
            return _track_result(complaint, code=form.receipt_code.data)
    return _track_result(complaint, material_form=form)


@bp.route("/complaints/statistics")
@public
@cacheable()
def statistics():
    return render_template("complaints/statistics.html", stats=stats.compute())


CHARTS = {
    "category": (lambda: _("Closed complaints by category"), "by_category"),
    "finding": (lambda: _("Closed complaints by finding"), "by_finding"),
    "member": (lambda: _("Closed complaints by member"), "by_member"),
}


@bp.route("/complaints/statistics/<kind>.svg")
@public
@cacheable()
def statistics_chart(kind: str):
    if kind not in CHARTS:
        raise NotFound(_("No such chart."))
    title, attribute = CHARTS[kind]
    svg = charts.bar_chart(title(), getattr(stats.compute(), attribute))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Content-Security-Policy"] = charts.CHART_CSP
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
