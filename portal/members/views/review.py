"""The secretariat's queue of applications and the review of one: approve, reject, return."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other
from portal.members.forms import EmptyForm, ReasonForm
from portal.members.services import applications, review, staff
from portal.members.states import ApplicationKind, ApplicationStatus
from portal.members.views import bp
from portal.security import Role, current_actor, roles_required

QUEUE_STATUSES = [s for s in ApplicationStatus if s is not ApplicationStatus.DRAFT]


@bp.route("/secretariat/applications")
@roles_required(Role.STAFF)
def review_queue():
    status = request.args.get("status", ApplicationStatus.SUBMITTED.value)
    status = status if status in set(QUEUE_STATUSES) or status == "all" else "submitted"
    kind = request.args.get("kind") if request.args.get("kind") in set(ApplicationKind) else None
    page = db.paginate(
        review.queue(None if status == "all" else status, kind), per_page=25, error_out=False
    )
    today = clock.today()
    return render_template(
        "members/review/queue.html",
        page=page,
        status=status,
        kind=kind,
        statuses=QUEUE_STATUSES,
        kinds=list(ApplicationKind),
        counts=review.queue_counts(),
        checklists={a.id: applications.checklist(a, today) for a in page.items},
    )


def _render(application, reject_form=None, return_form=None, status: int = 200):
    return render_template(
        "members/review/detail.html",
        application=application,
        checklist=applications.checklist(application),
        slots=applications.slots_of(application),
        people=staff.compliance(application.member),
        approve_form=EmptyForm(),
        reject_form=reject_form or ReasonForm(formdata=None, prefix="reject"),
        return_form=return_form or ReasonForm(formdata=None, prefix="return"),
    ), status


@bp.route("/secretariat/applications/<int:application_id>")
@roles_required(Role.STAFF)
def review_detail(application_id: int):
    return _render(review.for_review(current_actor(), application_id))


@bp.route("/secretariat/applications/<int:application_id>/approve", methods=["POST"])
@roles_required(Role.STAFF)
def review_approve(application_id: int):
    actor = current_actor()
    application = review.for_review(actor, application_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("members.review_detail", application_id=application.id)
    try:
        review.approve(actor, application)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return see_other("members.review_detail", application_id=application.id)
    db.session.commit()
    flash(_("Approved. Membership number %(no)s.", no=application.member_no_issued), "success")
    return see_other("members.review_detail", application_id=application.id)


def _decide(application_id: int, prefix: str, decide, done_message: str):
    actor = current_actor()
    application = review.for_review(actor, application_id)
    form = ReasonForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            decide(actor, application, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error.fields.get("reason", error.message)]
        else:
            db.session.commit()
            flash(done_message, "success")
            return see_other("members.review_detail", application_id=application.id)
    application = review.for_review(actor, application_id)
    forms = {"reject_form": form} if prefix == "reject" else {"return_form": form}
    return _render(application, status=422, **forms)


@bp.route("/secretariat/applications/<int:application_id>/reject", methods=["POST"])
@roles_required(Role.STAFF)
def review_reject(application_id: int):
    return _decide(
        application_id, "reject", review.reject, _("Rejected. The applicant has been told why.")
    )


@bp.route("/secretariat/applications/<int:application_id>/return", methods=["POST"])
@roles_required(Role.STAFF)
def review_return(application_id: int):
    return _decide(
        application_id,
        "return",
        review.return_for_correction,
        _("Returned for correction. The applicant has been told what to correct."),
    )
