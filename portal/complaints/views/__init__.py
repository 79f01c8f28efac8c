"""Pages of complaints, on one blueprint `complaints`:

- public: `/complaints/new` (file), `/complaints/receipt`, `/complaints/track` (POST form),
  `/complaints/statistics` (and its chart);
- workers: `/my/complaints`; member agencies: `/agency/complaints`;
- the secretariat: `/staff/complaints` (dashboard), `/staff/complaints/new` (hotline and
  walk-in), `/staff/complaints/<tracking number>` and its actions;
- committee members on an expert panel: `/panel/complaints`.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.complaints import constants as c
from portal.complaints import states
from portal.navigation import Section, add_tile

bp = Blueprint("complaints", __name__)


# Template globals (not a context processor: imported macros see globals, not the context).
_HELPERS = {
    "complaint_status_label": states.status_label,
    "complaint_status_color": lambda s: states.STATUS_COLORS.get(states.Status(s), "secondary"),
    "complaint_category_label": lambda v: c.label(c.CATEGORY_LABELS, v),
    "complaint_subtype_label": lambda v: c.label(c.SUBTYPE_LABELS, v),
    "complaint_channel_label": lambda v: c.label(c.CHANNEL_LABELS, v),
    "complaint_finding_label": lambda v: c.label(c.FINDING_LABELS, v),
    "complaint_complexity_label": lambda v: c.label(c.COMPLEXITY_SHORT, v),
    "complaint_panel_field_label": lambda v: c.label(c.PANEL_FIELD_LABELS, v),
}
for _name, _helper in _HELPERS.items():
    bp.add_app_template_global(_helper, _name)


add_tile(
    "worker",
    Section(
        "complaints.my_list",
        _l("My complaints"),
        _l("Follow the complaints you filed and add material."),
        order=10,
    ),
)
add_tile(
    "worker",
    Section(
        "complaints.new",
        _l("File a complaint"),
        _l("Complain about an occupational health agency."),
        order=20,
    ),
)
add_tile(
    "member",
    Section(
        "complaints.agency_list",
        _l("Complaints about our agency"),
        _l("Read accepted complaints and send your written response."),
        order=40,
    ),
)
add_tile(
    "staff",
    Section(
        "complaints.dashboard",
        _l("Complaints"),
        _l("Queues by state and deadline, overdue work, assignment."),
        order=20,
    ),
)
add_tile(
    "staff",
    Section(
        "complaints.staff_new",
        _l("Enter a hotline or walk-in complaint"),
        _l("File a complaint on a complainant's behalf."),
        order=25,
    ),
)
add_tile(
    "committee",
    Section(
        "complaints.panel_list",
        _l("Complaint expert panels"),
        _l("Complaints whose expert panel you sit on."),
        order=30,
    ),
)

from portal.complaints import retention, tasks  # noqa: E402,F401  (register the sweeps)
from portal.complaints.views import (  # noqa: E402,F401  (routes register themselves)
    member,
    privacy,
    public,
    staff,
)
