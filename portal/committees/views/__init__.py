"""Pages of the committees domain, on one blueprint `committees`:

- administrators: `/admin/committees` (the committees, their seats and composition),
  `/admin/committees/ties` (members' ties to agencies);
- the secretariat (and administrators): `/secretariat/motions` (draft, open, withdraw,
  follow participation, read the results);
- committee members: `/committee/votes` (my votes), `/committee/motions/<id>` (read, vote,
  recuse), `/committee/ties` (declare my ties).

The public page `/committees` is on its own blueprint (`portal.committees.public_views`).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.navigation import Section, add_tile

bp = Blueprint("committees", __name__)


def time_left(instant: datetime) -> str:
    """How long until `instant`, in days and hours (or hours and minutes)."""
    seconds = int((instant - clock.now()).total_seconds())
    if seconds <= 0:
        return _("closing now")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)d d %(hours)d h", days=days, hours=hours)
    if hours:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    return _("%(minutes)d min", minutes=max(minutes, 1))


@bp.app_context_processor
def _helpers():
    return {"committee_time_left": time_left}


add_tile(
    "committee",
    Section(
        "committees.my_votes",
        _l("My votes"),
        _l("Open motions you vote on, with the time left; results."),
        order=10,
    ),
)
add_tile(
    "committee",
    Section(
        "committees.my_ties",
        _l("My ties to agencies"),
        _l("Declare the agencies you are tied to, so you are recused."),
        order=20,
    ),
)
add_tile(
    "staff",
    Section(
        "committees.motions_index",
        _l("Committee motions"),
        _l("Draft and open votes, follow participation, read results."),
        order=40,
    ),
)
add_tile(
    "admin",
    Section(
        "committees.admin_index",
        _l("Committees"),
        _l("Seats, categories, terms of office, composition and ties."),
        order=40,
    ),
)
add_tile(
    "admin",
    Section(
        "committees.motions_index",
        _l("Committee motions"),
        _l("Draft and open votes, follow participation, read results."),
        order=45,
    ),
)

from portal.committees import tasks  # noqa: E402,F401  (registers the sweeps)
from portal.committees.views import admin, member, secretariat  # noqa: E402,F401
