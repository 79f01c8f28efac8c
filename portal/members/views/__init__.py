"""Pages of the members domain, on one blueprint `members`:

- public: `/members` (directory), `/members/<member_no>` (profile);
- the agency's users: `/agency` (their membership), the application wizard under
  `/agency/applications/...`, staff under `/agency/staff/...`, `/agency/profile-text`;
- the secretariat: `/secretariat/applications` (queue) and each application's review;
- administrators: `/admin/forbidden-phrases`.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.members import presenters, regions, rescue
from portal.navigation import Section, add_tile

bp = Blueprint("members", __name__)


@bp.app_context_processor
def _members_helpers():
    return {**presenters.template_helpers(), "province_name": regions.province_name}


for _name in ("hazard_label", "agency_type_label", "instrument_label", "role_label", "number"):
    bp.add_app_template_filter(getattr(presenters, _name), _name)


@bp.before_app_request
def _keep_steps_sent_after_the_session_ended():
    from portal.members.views.wizard import parse_step_form

    rescue.keep_if_session_ended(parse_step_form)


add_tile(
    "member",
    Section(
        "members.agency_home",
        _l("My agency's membership"),
        _l("Apply, follow your application, renew credentials."),
        order=10,
    ),
)
add_tile(
    "member",
    Section(
        "members.staff_list",
        _l("Staff and training"),
        _l("Professionals, certificates, training hours and examinations."),
        order=20,
    ),
)
add_tile(
    "member",
    Section(
        "members.profile_text",
        _l("Public profile text"),
        _l("The description shown on your public profile."),
        order=30,
    ),
)
add_tile(
    "staff",
    Section(
        "members.review_queue",
        _l("Membership applications"),
        _l("Review applications, renewals and changes of credentials."),
        order=10,
    ),
)
add_tile(
    "admin",
    Section(
        "members.phrases",
        _l("Forbidden advertising phrases"),
        _l("Absolute claims refused in members' profile texts."),
        order=30,
    ),
)

from portal.members.services import expiry  # noqa: E402,F401  (registers the sweep)
from portal.members.views import (  # noqa: E402,F401  (routes register themselves)
    agency,
    directory,
    phrases,
    review,
    staff,
    wizard,
)
