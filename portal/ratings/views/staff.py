"""The secretariat's pages: rating runs, the figures queue, validation and correction, the
anomaly watch."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.ratings.forms import ComputeForm, CorrectionForm, EmptyForm
from portal.ratings.models import FIGURE_FIELDS, RatingRun
from portal.ratings.services import anomalies, compute
from portal.ratings.services import figures as figures_service
from portal.ratings.views import bp
from portal.security import Role, current_actor, roles_required


def _home(compute_form=None, status=200):
    year = request.args.get("year", type=int)
    state = request.args.get("status") or "filed"
    page = db.paginate(
        figures_service.queue(year, state if state != "all" else None),
        per_page=30,
        error_out=False,
    )
    form = compute_form or ComputeForm(formdata=None, year=clock.today().year - 1)
    runs = db.session.scalars(select(RatingRun).order_by(RatingRun.id.desc()).limit(10))
    return render_template(
        "ratings/staff_home.html",
        page=page,
        runs=list(runs),
        form=form,
        year=year,
        state=state,
    ), status


@bp.route("/staff/ratings")
@roles_required(Role.STAFF)
def staff_home():
    return _home()


@bp.route("/staff/ratings/compute", methods=["POST"])
@roles_required(Role.STAFF)
def staff_compute():
    form = ComputeForm()
    if form.validate_on_submit():
        try:
            run = compute.compute_year(current_actor(), form.year.data, trigger="staff")
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Ratings for %(year)d computed: %(members)d members, %(created)d new, "
                    "%(changed)d changed.",
                    year=run.year,
                    members=run.members,
                    created=run.created,
                    changed=run.changed,
                ),
                "success",
            )
            return see_other("ratings.staff_home")
    return _home(form, 422)


def _detail(figures, correction=None, status=200):
    if correction is None:
        correction = CorrectionForm(formdata=None, year=figures.year, **figures.values())
    return render_template(
        "ratings/staff_figures.html",
        figures=figures,
        correction=correction,
        validate_form=EmptyForm(),
        fields=FIGURE_FIELDS,
        flags=anomalies.check(figures.values(), _last_year(figures), figures.member.exam_rooms),
    ), status


def _last_year(figures):
    from portal.ratings.models import YearlyFigures

    previous = db.session.scalar(
        select(YearlyFigures).where(
            YearlyFigures.member_id == figures.member_id, YearlyFigures.year == figures.year - 1
        )
    )
    return previous.values() if previous else None


@bp.route("/staff/ratings/figures/<int:figures_id>")
@roles_required(Role.STAFF)
def staff_figures(figures_id: int):
    return _detail(figures_service.get_figures(figures_id))


@bp.route("/staff/ratings/figures/<int:figures_id>/validate", methods=["POST"])
@roles_required(Role.STAFF)
def staff_figures_validate(figures_id: int):
    figures = figures_service.get_figures(figures_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("ratings.staff_figures", figures_id=figures_id)
    try:
        figures_service.validate(current_actor(), figures)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The figures are validated."), "success")
    return see_other("ratings.staff_figures", figures_id=figures_id)


@bp.route("/staff/ratings/figures/<int:figures_id>/correct", methods=["POST"])
@roles_required(Role.STAFF)
def staff_figures_correct(figures_id: int):
    figures = figures_service.get_figures(figures_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            figures_service.correct(
                current_actor(),
                figures,
                {name: getattr(form, name).data for name in FIGURE_FIELDS},
                form.reason.data,
            )
        except DomainError as error:
            db.session.rollback()
            figures = figures_service.get_figures(figures_id)
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The figures are corrected; the member sees the reason."), "success")
            return see_other("ratings.staff_figures", figures_id=figures_id)
    return _detail(figures, form, 422)


@bp.route("/staff/ratings/anomalies")
@roles_required(Role.STAFF)
def anomalies_page():
    year = request.args.get("year", type=int) or clock.today().year - 1
    return render_template(
        "ratings/anomalies.html",
        year=year,
        flagged=anomalies.flagged(year),
        describe=anomalies.describe,
    )
