"""The secretariat (and administrators): draft, open and withdraw motions; follow the
electorate and participation (who has voted, never how) before closing; the results
with every vote and reason after."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock
from portal.committees import motions, roster, voting
from portal.committees.forms import EmptyForm, MotionForm, ReasonForm, as_shanghai, choices
from portal.committees.models import Motion
from portal.committees.rules import yes_needed
from portal.committees.states import MotionStatus
from portal.committees.views import bp
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.security import Role, current_actor, roles_required

STAFF_ROLES = (Role.STAFF, Role.ADMIN)


@bp.route("/secretariat/motions")
@roles_required(*STAFF_ROLES)
def motions_index():
    status = request.args.get("status")
    status = status if status in set(MotionStatus) else None
    stmt = select(Motion).order_by(Motion.created_at.desc(), Motion.id.desc())
    if status:
        stmt = stmt.where(Motion.status == status)
    page = db.paginate(stmt, per_page=25, error_out=False)
    return render_template(
        "committees/motions/index.html", page=page, status=status, statuses=list(MotionStatus)
    )


def _motion_form(motion: Motion | None = None) -> MotionForm:
    form = MotionForm(obj=motion) if motion is not None else MotionForm()
    form.committee_id.choices = choices((c.id, c.label) for c in roster.committees())
    form.member_id.choices = choices(
        [(None, _("None"))]
        + [
            (m.id, m.name + (f" ({m.member_no})" if m.member_no else ""))
            for m in roster.member_choices()
        ]
    )
    if motion is not None and request.method == "GET":
        form.closes_at.data = clock.shanghai(motion.closes_at).replace(tzinfo=None)
    return form


def _values(form: MotionForm) -> dict:
    return {
        "title": form.title.data or "",
        "body": form.body.data or "",
        "kind": form.kind.data or None,
        "subject_type": form.subject_type.data,
        "subject_ref": form.subject_ref.data,
        "member_id": form.member_id.data,
        "closes_at": as_shanghai(form.closes_at.data),
    }


@bp.route("/secretariat/motions/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def motion_new():
    form = _motion_form()
    if not form.committee_id.choices:
        flash(_("An administrator must set up the committees first."), "warning")
    if form.validate_on_submit():
        try:
            committee = roster.get_committee(form.committee_id.data)
            motion = motions.draft_motion(current_actor(), committee, **_values(form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Draft saved. Check the electorate, then open the vote."), "success")
            return see_other("committees.motion_detail", motion_id=motion.id)
    return render_template(
        "committees/motions/form.html", form=form, motion=None
    ), 422 if form.errors else 200


@bp.route("/secretariat/motions/<int:motion_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def motion_edit(motion_id: int):
    motion = motions.get_motion(motion_id)
    if motion.status != MotionStatus.DRAFT:
        flash(_("Only a draft can be changed."), "warning")
        return see_other("committees.motion_detail", motion_id=motion.id)
    form = _motion_form(motion)
    form.committee_id.render_kw = {"disabled": True}
    form.committee_id.validators = []
    if request.method == "POST":
        form.committee_id.data = motion.committee_id
    if form.validate_on_submit():
        try:
            motions.update_draft(current_actor(), motion, **_values(form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Draft saved."), "success")
            return see_other("committees.motion_detail", motion_id=motion.id)
    return render_template(
        "committees/motions/form.html", form=form, motion=motion
    ), 422 if form.errors else 200


def _render_detail(motion: Motion, withdraw_form=None, status: int = 200):
    actor = current_actor()
    closed = motion.status == MotionStatus.CLOSED
    return render_template(
        "committees/motions/detail.html",
        motion=motion,
        preview=motions.preview_electorate(motion) if motion.status == MotionStatus.DRAFT else [],
        problem=roster.composition_problem(motion.committee)
        if motion.status == MotionStatus.DRAFT
        else None,
        composition=roster.composition_of(motion.committee),
        participation=voting.participation(actor, motion)
        if motion.status in (MotionStatus.OPEN, MotionStatus.WITHDRAWN)
        else None,
        ballots=voting.ballots(actor, motion) if closed else [],
        needed=yes_needed(motion.kind, motion.eligible_count or 0) if closed else None,
        open_form=EmptyForm(),
        withdraw_form=withdraw_form or ReasonForm(formdata=None, prefix="withdraw"),
    ), status


@bp.route("/secretariat/motions/<int:motion_id>")
@roles_required(*STAFF_ROLES)
def motion_detail(motion_id: int):
    return _render_detail(motions.get_motion(motion_id))


@bp.route("/secretariat/motions/<int:motion_id>/open", methods=["POST"])
@roles_required(*STAFF_ROLES)
def motion_open(motion_id: int):
    motion = motions.get_motion(motion_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("committees.motion_detail", motion_id=motion.id)
    try:
        motions.open_draft(current_actor(), motion)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        for why in error.fields.values():
            if why != error.message:
                flash(why, "danger")
        return see_other("committees.motion_detail", motion_id=motion_id)
    db.session.commit()
    flash(_("The vote is open. The voters have been notified."), "success")
    return see_other("committees.motion_detail", motion_id=motion.id)


@bp.route("/secretariat/motions/<int:motion_id>/withdraw", methods=["POST"])
@roles_required(*STAFF_ROLES)
def motion_withdraw(motion_id: int):
    motion = motions.get_motion(motion_id)
    form = ReasonForm(prefix="withdraw")
    if form.validate_on_submit():
        try:
            motions.withdraw(current_actor(), motion, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The motion has been withdrawn."), "success")
            return see_other("committees.motion_detail", motion_id=motion.id)
    return _render_detail(motions.get_motion(motion_id), withdraw_form=form, status=422)
