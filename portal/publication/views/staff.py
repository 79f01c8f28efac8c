"""The secretariat's queues: disputed entries and credit-repair applications."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _

from portal import uploads
from portal.complaints.views.common import private_page
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.publication import access, secretariat
from portal.publication.forms import DisputeAnswerForm, RepairDecisionForm
from portal.publication.states import DisputeStatus, RepairStatus
from portal.publication.views import bp
from portal.security import Role, current_actor, roles_required

PER_PAGE = 30


@bp.route("/staff/publication/disputes")
@roles_required(Role.STAFF)
def staff_disputes():
    status = request.args.get("status", DisputeStatus.OPEN.value)
    page = db.paginate(secretariat.disputes_queue(status), per_page=PER_PAGE, error_out=False)
    return render_template(
        "publication/staff_disputes.html", page=page, status=status, statuses=list(DisputeStatus)
    )


def _dispute_page(dispute, form=None, status: int = 200):
    return private_page(
        "publication/staff_dispute.html",
        status=status,
        dispute=dispute,
        entry=dispute.entry,
        form=form or DisputeAnswerForm(formdata=None),
    )


@bp.route("/staff/publication/disputes/<int:dispute_id>")
@roles_required(Role.STAFF)
def staff_dispute(dispute_id: int):
    return _dispute_page(access.dispute_for_staff(current_actor(), dispute_id))


@bp.route("/staff/publication/disputes/<int:dispute_id>/answer", methods=["POST"])
@roles_required(Role.STAFF)
def staff_dispute_answer(dispute_id: int):
    actor = current_actor()
    dispute = access.dispute_for_staff(actor, dispute_id)
    form = DisputeAnswerForm()
    if form.validate_on_submit():
        try:
            secretariat.answer_dispute(
                actor,
                dispute,
                answer=form.answer.data,
                corrected=bool(form.corrected.data),
                corrected_summary=form.corrected_summary.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The answer has been sent to the agency."), "success")
            return see_other("publication.staff_dispute", dispute_id=dispute.id)
    return _dispute_page(dispute, form, status=422)


@bp.route("/staff/publication/repairs")
@roles_required(Role.STAFF)
def staff_repairs():
    status = request.args.get("status", RepairStatus.SUBMITTED.value)
    page = db.paginate(secretariat.repairs_queue(status), per_page=PER_PAGE, error_out=False)
    return render_template(
        "publication/staff_repairs.html", page=page, status=status, statuses=list(RepairStatus)
    )


def _repair_page(repair, form=None, status: int = 200):
    return private_page(
        "publication/staff_repair.html",
        status=status,
        repair=repair,
        entry=repair.entry,
        proofs=uploads.files_of(access.REPAIR_FILES, repair.id),
        form=form or RepairDecisionForm(formdata=None),
    )


@bp.route("/staff/publication/repairs/<int:repair_id>")
@roles_required(Role.STAFF)
def staff_repair(repair_id: int):
    return _repair_page(access.repair_for_staff(current_actor(), repair_id))


@bp.route("/staff/publication/repairs/<int:repair_id>/decision", methods=["POST"])
@roles_required(Role.STAFF)
def staff_repair_decide(repair_id: int):
    actor = current_actor()
    repair = access.repair_for_staff(actor, repair_id)
    form = RepairDecisionForm()
    if form.validate_on_submit():
        try:
            secretariat.decide_repair(
                actor, repair, grant=form.decision.data == "grant", reason=form.reason.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The decision has been recorded and the agency told."), "success")
            return see_other("publication.staff_repair", repair_id=repair.id)
    return _repair_page(repair, form, status=422)
