"""A member agency's pages: its decisions (appeal, rectification) and its breach reports."""

from __future__ import annotations

from datetime import datetime

from flask import flash, render_template, request
from flask_babel import gettext as _

from portal import clock, uploads
from portal.discipline import forms as f
from portal.discipline.constants import Measure
from portal.discipline.services import access, breaches, decisions, queries
from portal.discipline.states import DecisionStatus
from portal.discipline.views import bp
from portal.discipline.views.common import private_page, uploads_of
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.security import Role, current_actor, roles_required


@bp.route("/agency/discipline")
@roles_required(Role.MEMBER)
def agency_index():
    member_id = access.agency_of(current_actor())
    decision_rows = (
        list(db.session.scalars(queries.decisions(member_id=member_id))) if member_id else []
    )
    breach_rows = (
        list(db.session.scalars(queries.breaches(member_id=member_id).limit(50)))
        if member_id
        else []
    )
    return private_page(
        "discipline/agency_index.html",
        has_agency=member_id is not None,
        decisions=decision_rows,
        breaches=breach_rows,
    )


def _own_page(decision, appeal_form=None, rectification_form=None, status: int = 200):
    may_appeal = (
        decision.status == DecisionStatus.NOTIFIED and clock.now() <= decision.appeal_due_at
    )
    may_rectify = (
        Measure.ORDER_TO_RECTIFY.value in decision.measures
        and decision.status == DecisionStatus.IN_FORCE
        and decision.rectification_accepted_at is None
    )
    appeal = decision.appeal
    return private_page(
        "discipline/agency_decision.html",
        status=status,
        decision=decision,
        appeal=appeal,
        appeal_form=(appeal_form or f.AppealForm(formdata=None)) if may_appeal else None,
        rectification_form=(rectification_form or f.RectificationForm(formdata=None))
        if may_rectify
        else None,
        appeal_files=uploads.files_of(access.APPEAL_FILES, appeal.id) if appeal else [],
        rectification_files=uploads.files_of(access.RECTIFICATION_FILES, decision.id),
        now=clock.now(),
    )


@bp.route("/agency/discipline/decisions/<int:decision_id>")
@roles_required(Role.MEMBER)
def agency_decision(decision_id: int):
    return _own_page(access.own_decision(current_actor(), decision_id))


@bp.route("/agency/discipline/decisions/<int:decision_id>/appeal", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_appeal(decision_id: int):
    actor = current_actor()
    decision = access.own_decision(actor, decision_id)
    form = f.AppealForm()
    if form.validate_on_submit():
        try:
            decisions.file_appeal(actor, decision, form.grounds.data, uploads_of(form.files))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _own_page(decision, appeal_form=form, status=error.status)
        db.session.commit()
        flash(
            _("Your appeal has been filed. The sanction is not executed while it is pending."),
            "success",
        )
        return see_other("discipline.agency_decision", decision_id=decision.id)
    return _own_page(decision, appeal_form=form, status=422)


@bp.route("/agency/discipline/decisions/<int:decision_id>/rectification", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_rectification(decision_id: int):
    actor = current_actor()
    decision = access.own_decision(actor, decision_id)
    form = f.RectificationForm()
    if form.validate_on_submit():
        try:
            decisions.report_rectification(
                actor, decision, form.report.data, uploads_of(form.files)
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _own_page(decision, rectification_form=form, status=error.status)
        db.session.commit()
        flash(_("Your rectification report has been sent to the secretariat."), "success")
        return see_other("discipline.agency_decision", decision_id=decision.id)
    return _own_page(decision, rectification_form=form, status=422)


def shanghai_instant(value: datetime | None) -> datetime | None:
    """A naive datetime typed in a form, read as Beijing time."""
    return value.replace(tzinfo=clock.SHANGHAI) if value is not None else None


@bp.route("/agency/breaches/new", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def breach_new():
    actor = current_actor()
    form = f.BreachForm()
    if form.validate_on_submit():
        try:
            report = breaches.report_breach(
                actor,
                discovered_at=shanghai_instant(form.discovered_at.data),
                description=form.description.data,
                affected_count=form.affected_count.data,
                measures_taken=form.measures_taken.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if report.late:
                flash(
                    _(
                        "Report received. It came more than 2 hours after the discovery: the "
                        "secretariat will consider it as a violation."
                    ),
                    "warning",
                )
            else:
                flash(_("Report received within 2 hours of the discovery."), "success")
            return see_other("discipline.agency_index")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "discipline/breach_new.html", form=form, has_agency=access.agency_of(actor) is not None
    ), status
