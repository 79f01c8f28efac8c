"""A worker's own complaints, a member agency's complaints about itself, and a committee
member's expert panels."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _

from portal import uploads
from portal.complaints.forms import MaterialForm, ResponseForm
from portal.complaints.services import access, identity, tracking, workflow
from portal.complaints.services.intake import Submission
from portal.complaints.states import allowed
from portal.complaints.views import bp
from portal.complaints.views.common import ensure_token, private_page, uploads_of
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.security import Role, current_actor, roles_required

PER_PAGE = 20


# --- workers ------------------------------------------------------------------------------


@bp.route("/my/complaints")
@roles_required(Role.WORKER)
def my_list():
    page = db.paginate(tracking.mine(current_actor()), per_page=PER_PAGE, error_out=False)
    return render_template("complaints/my_list.html", page=page)


def _files_of(complaint) -> dict:
    return {
        "evidence": uploads.files_of(access.EVIDENCE_FILES, complaint.id),
        "materials": {
            m.id: uploads.files_of(access.MATERIAL_FILES, m.id) for m in complaint.materials
        },
    }


def _my_page(complaint, form=None, status: int = 200):
    form = form or MaterialForm(formdata=None)
    ensure_token(form)
    return private_page(
        "complaints/my_detail.html",
        status=status,
        view=tracking.public_view(complaint),
        complaint=complaint,
        material_form=form,
        files=_files_of(complaint),
    )


@bp.route("/my/complaints/<tracking_number>")
@roles_required(Role.WORKER)
def my_detail(tracking_number: str):
    return _my_page(access.own(current_actor(), tracking_number))


@bp.route("/my/complaints/<tracking_number>/material", methods=["POST"])
@roles_required(Role.WORKER)
def my_material(tracking_number: str):
    actor = current_actor()
    complaint = access.own(actor, tracking_number)
    form = MaterialForm()
    if not ensure_token(form):
        flash(_("The form expired. Please send it again."), "danger")
    elif form.validate_on_submit():
        try:
            workflow.add_material(
                actor,
                complaint,
                form.text.data,
                files=uploads_of(form.files),
                submission=Submission("my", form.submission_token.data),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your material has been added to the complaint."), "success")
            return see_other("complaints.my_detail", tracking_number=complaint.tracking_number)
    return _my_page(complaint, form, status=422)


# --- member agencies ----------------------------------------------------------------------


@bp.route("/agency/complaints")
@roles_required(Role.MEMBER)
def agency_list():
    actor = current_actor()
    page = db.paginate(tracking.about_my_agency(actor), per_page=PER_PAGE, error_out=False)
    return render_template(
        "complaints/agency_list.html",
        page=page,
        has_agency=access.agency_member_id(actor) is not None,
    )


def _agency_page(complaint, form=None, status: int = 200):
    return private_page(
        "complaints/agency_detail.html",
        status=status,
        complaint=complaint,
        view=tracking.public_view(complaint),
        identity=identity.for_agency(complaint),
        response_form=form or ResponseForm(formdata=None),
        may_respond=allowed(complaint.status, "respond"),
    )


@bp.route("/agency/complaints/<tracking_number>")
@roles_required(Role.MEMBER)
def agency_detail(tracking_number: str):
    return _agency_page(access.for_agency(current_actor(), tracking_number))


@bp.route("/agency/complaints/<tracking_number>/response", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_respond(tracking_number: str):
    actor = current_actor()
    complaint = access.for_agency(actor, tracking_number)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            workflow.respond(actor, complaint, form.text.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your response has been sent to the secretariat."), "success")
            return see_other("complaints.agency_detail", tracking_number=complaint.tracking_number)
    return _agency_page(complaint, form, status=422)


# --- committee members on a panel ---------------------------------------------------------


@bp.route("/panel/complaints")
@roles_required(Role.COMMITTEE)
def panel_list():
    page = db.paginate(tracking.on_my_panels(current_actor()), per_page=PER_PAGE, error_out=False)
    return render_template("complaints/panel_list.html", page=page)
