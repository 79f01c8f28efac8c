"""The public directory (`members.directory`) and a member's profile (`members.profile`)."""

from __future__ import annotations

from flask import render_template, request

from portal import clock
from portal.extensions import db
from portal.members.constants import AgencyType, HazardCategory
from portal.members.regions import province_choices
from portal.members.services import directory as listing
from portal.members.views import bp
from portal.open_data import cacheable
from portal.security import public

PER_PAGE = 20


@bp.route("/members")
@public
@cacheable()
def directory():
    filters = listing.Filters.clean(
        q=request.args.get("q"),
        province=request.args.get("province"),
        agency_type=request.args.get("type"),
        scope=request.args.get("scope"),
        status=request.args.get("status"),
    )
    page = db.paginate(listing.search(filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "members/directory.html",
        page=page,
        filters=filters,
        provinces=province_choices(),
        agency_types=list(AgencyType),
        categories=list(HazardCategory),
        statuses=listing.STATUSES,
        scope_of=listing.scope_categories,
        status_of=listing.status_of,
    )


@bp.route("/members/<member_no>")
@public
@cacheable()
def profile(member_no: str):
    member = listing.profile(member_no)
    return render_template(
        "members/profile.html",
        member=member,
        today=clock.today(),
        qualification=listing.qualification(member),
        certifications=listing.certifications(member),
        scope=listing.scope_categories(member),
        status=listing.status_of(member),
    )
