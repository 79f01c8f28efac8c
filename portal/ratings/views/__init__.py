"""Pages of ratings, on one blueprint `ratings`:

- public: `/ratings` (list, filters), `/ratings/formula`, `/ratings/<member_no>/history.svg`,
  `/open-data/ratings.csv`; the block on the member profile
  (`templates/ratings/_profile_block.html`, reading `member_ratings(member, blacklisted)`);
- member agencies: `/agency/figures` (file and amend yearly figures), `/agency/rating`;
- the secretariat: `/staff/ratings` (runs, figures queue), `/staff/ratings/figures/<id>`
  (validate, correct with a reason), `/staff/ratings/anomalies`.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.navigation import Section, add_tile
from portal.ratings import presenters

bp = Blueprint("ratings", __name__)

for _name, _helper in presenters.template_helpers().items():
    bp.add_app_template_global(_helper, _name)


def _member_ratings(agency, blacklisted: bool):
    """The profile's rating block; `blacklisted` (today) comes from the publication record
    the profile has already read."""
    from portal.ratings.services import queries

    return {"results": queries.profile_history(agency.id), "blacklisted": blacklisted}


bp.add_app_template_global(_member_ratings, "member_ratings")

add_tile(
    "member",
    Section(
        "ratings.agency_figures",
        _l("Yearly service figures"),
        _l("File the figures your rating needs: enterprises, workers, reports."),
        order=50,
    ),
)
add_tile(
    "member",
    Section(
        "ratings.agency_rating",
        _l("Our rating"),
        _l("Your score, stars and credit grade, and why."),
        order=55,
    ),
)
add_tile(
    "staff",
    Section(
        "ratings.staff_home",
        _l("Ratings and figures"),
        _l("Validate and correct yearly figures; compute a year's ratings."),
        order=40,
    ),
)
add_tile(
    "staff",
    Section(
        "ratings.anomalies_page",
        _l("Anomaly watch"),
        _l("Members whose filed figures look implausible."),
        order=45,
    ),
)

from portal.ratings import cli, tasks  # noqa: E402,F401  (registers the job and the command)
from portal.ratings.views import (  # noqa: E402,F401  (routes register themselves)
    member,
    public,
    staff,
)
