"""Pages of publication, on one blueprint `publication`:

- public: `/blacklist`, `/decisions`, `/decisions/<decision_no>`, `/open-data` and the open
  data files (`/open-data/blacklist.csv`, `/open-data/decisions.csv`,
  `/feeds/blacklist.atom`, `/feeds/decisions.atom`), all cacheable (ETag, 304);
- member agencies: `/agency/publication` (entries about the agency) with the statement,
  the dispute and the credit-repair forms;
- the secretariat: `/staff/publication/disputes` and `/staff/publication/repairs`.

The member profile shows `publication/_profile_block.html` (one include line).
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.navigation import Section, add_tile
from portal.publication import constants as c
from portal.publication import queries, states

bp = Blueprint("publication", __name__)


def _entry_status(entry) -> str:
    return entry.status_on(clock.today())


def _status_text(status: str) -> str:
    if status == "in_force":
        return str(_l("In force"))
    if status == "upcoming":
        return str(_l("Not yet in force"))
    return str(c.END_LABELS.get(status, status))


# Template globals (imported macros see globals, not the context).
_HELPERS = {
    "publication_level_label": c.level_label,
    "publication_measure_label": c.measure_label,
    "publication_appeal_label": lambda v: str(c.APPEAL_LABELS.get(v, v)),
    "publication_state_label": states.status_label,
    "publication_entry_status": _entry_status,
    "publication_status_text": _status_text,
    "publication_record": queries.record_of,
    "publication_granted_repair": queries.granted_repair,
}
for _name, _helper in _HELPERS.items():
    bp.add_app_template_global(_helper, _name)


add_tile(
    "member",
    Section(
        "publication.agency_list",
        _l("Our public entries"),
        _l("Published decisions about our agency: statements, disputes, credit repair."),
        order=50,
    ),
)
add_tile(
    "staff",
    Section(
        "publication.staff_disputes",
        _l("Disputed public entries"),
        _l("Agencies' factual-error disputes waiting for an answer."),
        order=60,
    ),
)
add_tile(
    "staff",
    Section(
        "publication.staff_repairs",
        _l("Credit repair"),
        _l("Applications to end a publication early, decided within 10 working days."),
        order=61,
    ),
)

from portal.publication import tasks  # noqa: E402,F401  (registers the sweeps)
from portal.publication.views import (  # noqa: E402,F401  (routes register themselves)
    agency,
    open_data,
    public,
    staff,
)
