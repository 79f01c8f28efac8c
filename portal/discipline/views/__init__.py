"""Pages of discipline, on one blueprint `discipline`:

- the secretariat: `/staff/discipline` (the queue), `/staff/discipline/cases/...` (open a
  case, the case page and its actions), `/staff/discipline/decisions/...` (decisions,
  appeals, rectification, the letter to the regulator), `/staff/discipline/breaches`;
- member agencies: `/agency/discipline` (our decisions and breach reports), one decision
  with the appeal and rectification forms, `/agency/breaches/new`.

Committee members vote on sanctions and appeals on the committees' pages.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.discipline import constants as c
from portal.discipline import states
from portal.navigation import Section, add_tile

bp = Blueprint("discipline", __name__)

_HELPERS = {
    "discipline_status_label": states.status_label,
    "discipline_status_color": states.status_color,
    "discipline_appeal_label": states.appeal_label,
    "discipline_nothing_left_to_do": states.nothing_left_to_do,
    "discipline_level_label": lambda v: c.label(c.LEVEL_LABELS, v),
    "discipline_measure_label": lambda v: c.label(c.MEASURE_LABELS, v),
    "discipline_source_label": lambda v: c.label(c.SOURCE_LABELS, v),
    "discipline_outcome_label": lambda v: c.label(c.OUTCOME_LABELS, v),
}
for _name, _helper in _HELPERS.items():
    bp.add_app_template_global(_helper, _name)

add_tile(
    "staff",
    Section(
        "discipline.queue",
        _l("Discipline"),
        _l("Cases, sanction proposals, decisions, appeals and late breach reports."),
        order=30,
    ),
)
add_tile(
    "member",
    Section(
        "discipline.agency_index",
        _l("Disciplinary decisions"),
        _l("Decisions about our agency, appeals and rectification."),
        order=50,
    ),
)
add_tile(
    "member",
    Section(
        "discipline.breach_new",
        _l("Report a data breach"),
        _l("Report a personal-data breach within 2 hours of discovering it."),
        order=55,
    ),
)

from portal.discipline import tasks, votes  # noqa: E402,F401  (the sweep and the vote hook)
from portal.discipline.views import member, staff  # noqa: E402,F401  (routes register)
