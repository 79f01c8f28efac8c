"""The agency's pages: filing its yearly figures, and its rating with the reasons."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.ratings.forms import FiguresForm
from portal.ratings.models import FIGURE_FIELDS
from portal.ratings.services import figures as figures_service
from portal.ratings.services import queries
from portal.ratings.views import bp
from portal.security import Role, current_actor, roles_required


@bp.route("/agency/figures", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def agency_figures():
    actor = current_actor()
    member, rows = figures_service.my_figures(actor)
    form = FiguresForm()
    if request.method == "GET":
        year = request.args.get("year", type=int) or clock.today().year - 1
        form.year.data = year
        existing = next((row for row in rows if row.year == year), None)
        if existing is not None:
            for name in FIGURE_FIELDS:
                getattr(form, name).data = getattr(existing, name)
    elif form.validate_on_submit():
        try:
            figures_service.file_figures(
                actor, form.year.data, {name: getattr(form, name).data for name in FIGURE_FIELDS}
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your figures for %(year)d are saved.", year=form.year.data), "success")
            return see_other("ratings.agency_figures", year=form.year.data)
    return render_template(
        "ratings/agency_figures.html",
        member=member,
        rows=rows,
        form=form,
        fields=FIGURE_FIELDS,
    ), (422 if form.errors else 200)


@bp.route("/agency/rating")
@roles_required(Role.MEMBER)
def agency_rating():
    member, _rows = figures_service.my_figures(current_actor())
    results = queries.history(member.id) if member is not None and member.is_member else []
    chosen = request.args.get("year", type=int)
    result = next((r for r in results if r.year == chosen), results[0] if results else None)
    return render_template(
        "ratings/agency_rating.html", member=member, results=results, result=result
    )
