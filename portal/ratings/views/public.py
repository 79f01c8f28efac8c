"""Public pages: the ratings list, the formula, a member's history chart, the CSV."""

from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext as _

from portal.extensions import db
from portal.members.constants import AgencyType
from portal.members.regions import province_choices
from portal.members.services import directory
from portal.open_data import cacheable, csv_response
from portal.ratings import charts
from portal.ratings import constants as k
from portal.ratings.constants import GRADE_ORDER, Grade
from portal.ratings.services import queries
from portal.ratings.views import bp
from portal.security import public

PER_PAGE = 20
CSV_HEADER = (
    "year",
    "member_no",
    "name",
    "province",
    "agency_type",
    "score",
    "stars",
    "grade",
    "rated",
    "blacklisted",
    "services",
)


def filters_from_args() -> queries.Filters:
    return queries.Filters.clean(
        year=request.args.get("year"),
        q=request.args.get("q"),
        province=request.args.get("province"),
        agency_type=request.args.get("type"),
        stars=request.args.get("stars"),
        grade=request.args.get("grade"),
    )


@bp.route("/ratings")
@public
@cacheable()
def index():
    filters = filters_from_args()
    page = db.paginate(queries.search(filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "ratings/index.html",
        page=page,
        filters=filters,
        years=queries.rated_years(),
        provinces=province_choices(),
        agency_types=list(AgencyType),
        grades=[*GRADE_ORDER, Grade.NOT_RATED],
        star_choices=queries.STAR_CHOICES,
        blacklisted=queries.blacklisted_now(),
        latest=queries.latest_year(),
    )


@bp.route("/ratings/formula")
@public
@cacheable()
def formula():
    return render_template("ratings/formula.html", k=k)


@bp.route("/ratings/<member_no>/history.svg")
@public
def history_chart(member_no: str):
    member = directory.profile(member_no)
    results = sorted(queries.history(member.id), key=lambda r: r.year)
    svg = charts.history_chart(
        _("Score by year"), [(r.year, r.score_tenths / 10 if r.rated else None) for r in results]
    )
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Content-Security-Policy"] = charts.CHART_CSP
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/open-data/ratings.csv")
@public
def ratings_csv():
    year = request.args.get("year", type=int) or queries.latest_year()
    return csv_response(f"ratings-{year or 'none'}.csv", CSV_HEADER, list(queries.csv_rows(year)))
