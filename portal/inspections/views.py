"""Pages of inspections, on one blueprint `inspections`:

- public: `/inspections` (the draws), `/inspections/<year>` (seed, list, result, how to
  re-run it), `/inspections/<year>/draw.json` and `/inspections/<year>/members.txt`;
- the secretariat: `/staff/inspections` (start a draw), `/staff/inspections/<year>`,
  `/staff/inspections/results/<id>` (record a result);
- administrators: `/admin/inspectors` (the pool).
"""

from __future__ import annotations

import json

from flask import Blueprint, flash, make_response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.inspections import services
from portal.navigation import SECTIONS, Section, add_tile
from portal.open_data import cacheable, make_cacheable
from portal.ratings.forms import DrawForm, EmptyForm, InspectorForm, ResultForm
from portal.security import Role, current_actor, public, roles_required

bp = Blueprint("inspections", __name__)

SECTIONS.append(
    Section(
        "inspections.index",
        _l("Random inspections"),
        _l("The yearly random draw of members and inspectors, with its seed and results."),
        in_header=False,
        order=25,
    )
)

add_tile(
    "staff",
    Section(
        "inspections.staff_home",
        _l("Inspections"),
        _l("The yearly random draw and the inspection results."),
        order=50,
    ),
)
add_tile(
    "admin",
    Section(
        "inspections.inspectors",
        _l("Inspector pool"),
        _l("Who may be drawn to inspect member agencies."),
        order=40,
    ),
)


# ---- public ----------------------------------------------------------------------------


@bp.route("/inspections")
@public
@cacheable()
def index():
    return render_template("inspections/index.html", draws=services.draws())


@bp.route("/inspections/<int:year>")
@public
@cacheable()
def draw_page(year: int):
    record = services.draw_of(year)
    return render_template(
        "inspections/draw.html", record=record, published=services.published(record)
    )


@bp.route("/inspections/<int:year>/draw.json")
@public
def draw_json(year: int):
    body = json.dumps(services.published(services.draw_of(year)), ensure_ascii=False, indent=2)
    response = make_response(body)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="inspection-draw-{year}.json"'
    return make_cacheable(response)


@bp.route("/inspections/<int:year>/members.txt")
@public
def members_txt(year: int):
    record = services.draw_of(year)
    response = make_response("\n".join(record.population) + "\n")
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="inspection-members-{year}.txt"'
    )
    return make_cacheable(response)


# ---- the secretariat -------------------------------------------------------------------


def _staff_home(form=None, status=200):
    return render_template(
        "inspections/staff_home.html",
        draws=services.draws(),
        form=form or DrawForm(formdata=None),
        pool=services.pool(),
    ), status


@bp.route("/staff/inspections")
@roles_required(Role.STAFF)
def staff_home():
    return _staff_home()


@bp.route("/staff/inspections/draw", methods=["POST"])
@roles_required(Role.STAFF)
def staff_draw():
    form = DrawForm()
    if form.validate_on_submit():
        try:
            record = services.start_draw(current_actor(), form.year.data, form.seed.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The draw for %(year)d is made and published.", year=record.year), "success")
            return see_other("inspections.staff_year", year=record.year)
    return _staff_home(form, 422)


@bp.route("/staff/inspections/<int:year>")
@roles_required(Role.STAFF)
def staff_year(year: int):
    return render_template("inspections/staff_year.html", record=services.draw_of(year))


def _result_page(inspection, form=None, status=200):
    if form is None:
        form = ResultForm(
            formdata=None,
            inspected_on=inspection.inspected_on,
            minor_findings=inspection.minor_findings,
            major_findings=inspection.major_findings,
            accuracy=inspection.accuracy if inspection.accuracy is not None else "",
            summary=inspection.summary,
        )
    return render_template("inspections/result.html", inspection=inspection, form=form), status


@bp.route("/staff/inspections/results/<int:inspection_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def staff_result(inspection_id: int):
    inspection = services.get_inspection(inspection_id)
    form = ResultForm()
    if not form.is_submitted():
        return _result_page(inspection)
    if form.validate_on_submit():
        try:
            services.record_result(
                current_actor(),
                inspection,
                inspected_on=form.inspected_on.data,
                minor_findings=form.minor_findings.data,
                major_findings=form.major_findings.data,
                accuracy=form.accuracy.data,
                summary=form.summary.data,
            )
        except DomainError as error:
            db.session.rollback()
            inspection = services.get_inspection(inspection_id)
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The result is recorded and published."), "success")
            return see_other("inspections.staff_year", year=inspection.year)
    return _result_page(inspection, form, 422)


# ---- administrators --------------------------------------------------------------------


def _pool_page(form=None, status=200):
    return render_template(
        "inspections/inspectors.html",
        inspectors=services.pool(active_only=False),
        candidates=services.candidates(),
        form=form or InspectorForm(formdata=None),
        remove_form=EmptyForm(),
    ), status


@bp.route("/admin/inspectors", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def inspectors():
    form = InspectorForm()
    if not form.is_submitted():
        return _pool_page()
    if form.validate_on_submit():
        try:
            inspector = services.add_inspector(current_actor(), form.username.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(code)s is in the pool.", code=inspector.code), "success")
            return see_other("inspections.inspectors")
    return _pool_page(form, 422)


@bp.route("/admin/inspectors/<int:inspector_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def inspector_remove(inspector_id: int):
    inspector = services.get_inspector(inspector_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_inspector(current_actor(), inspector)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("%(code)s has left the pool.", code=inspector.code), "success")
    return see_other("inspections.inspectors")


from portal.inspections import cli  # noqa: E402,F401  (registers `flask inspections ...`)
