"""Pages of mediation, on one blueprint `mediation`:

- the secretariat: `/staff/mediation` (cases), `/staff/mediation/roster` (the mediation
  committee in office with categories, terms and ties), `/staff/mediation/<number>` and
  its actions, proposing mediation from a complaint (`/staff/complaints/<tn>/mediation`);
- panel members: `/panel/mediation` (only the cases on their panels);
- the parties: `/my/mediation` (workers), `/agency/mediation` (member agencies), and for
  an anonymous complainant `/mediation/track` (tracking number and receipt code in a POST
  body, never in a URL);
- the case file: `/mediation/<number>/file` (printable) and `/mediation/<number>/file.pdf`.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.committees.states import SeatCategory
from portal.mediation import states
from portal.mediation.services import access, documents
from portal.navigation import Section, add_tile

bp = Blueprint("mediation", __name__)


def _category_label(value: str) -> str:
    try:
        return SeatCategory(value).label
    except ValueError:
        return value


_HELPERS = {
    "mediation_status_label": states.status_label,
    "mediation_status_color": lambda s: states.STATUS_COLORS.get(states.Status(s), "secondary"),
    "mediation_category_label": _category_label,
    "mediation_kind_label": documents.kind_label,
    "mediation_case_of": lambda complaint: access.of_complaint(complaint.id),
}
for _name, _helper in _HELPERS.items():
    bp.add_app_template_global(_helper, _name)

_TILES = [
    (
        "staff",
        "mediation.staff_list",
        _l("Mediation"),
        _l("Cases, panels, sessions, agreements and notices."),
        30,
    ),
    (
        "staff",
        "mediation.roster",
        _l("Mediation committee roster"),
        _l("Members in office by category, with their ties to agencies."),
        35,
    ),
    (
        "committee",
        "mediation.panel_list",
        _l("My mediation panels"),
        _l("Mediation cases whose panel you sit on."),
        35,
    ),
    (
        "member",
        "mediation.agency_list",
        _l("Mediation"),
        _l("Agree to mediation, read the case file, confirm an agreement."),
        45,
    ),
    (
        "worker",
        "mediation.my_list",
        _l("My mediation cases"),
        _l("Agree to mediation, follow the sessions, confirm an agreement."),
        15,
    ),
]
for _role, _endpoint, _title, _text, _order in _TILES:
    add_tile(_role, Section(_endpoint, _title, _text, order=_order))
add_tile(
    "admin",
    Section(
        "committees.admin_index",
        _l("Mediation committee"),
        _l("Seats, categories, terms and ties of the mediation committee."),
        order=41,
    ),
)

from portal.mediation import tasks  # noqa: E402,F401  (registers the sweep)
from portal.mediation.views import export, parties, public, staff  # noqa: E402,F401
