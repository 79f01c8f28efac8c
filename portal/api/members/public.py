"""The public member directory as open data: the same search and filters as the page."""

from __future__ import annotations

from portal.api.members.schemas import (
    DirectoryQuery,
    PublicMemberDetail,
    PublicMemberList,
    PublicMemberOut,
    page_info,
)
from portal.api.registry import api_route
from portal.api.validation import parse_query
from portal.extensions import db
from portal.members.services import directory as listing
from portal.open_data import cacheable
from portal.security import public


@api_route(
    "/public/members",
    summary="Approved members, searched and filtered as on the directory page",
    tags=["public"],
    query=DirectoryQuery,
    response=PublicMemberList,
)
@public
@cacheable()
def public_members():
    query = parse_query(DirectoryQuery)
    filters = listing.Filters.clean(
        q=query.q,
        province=query.province,
        agency_type=query.type,
        scope=query.scope,
        status=query.status,
    )
    page = db.paginate(
        listing.search(filters), page=query.page, per_page=query.per_page, error_out=False
    )
    return PublicMemberList(
        items=[PublicMemberOut.of(m) for m in page.items], page=page_info(page)
    ).model_dump(mode="json")


@api_route(
    "/public/members/<member_no>",
    summary="One member's public profile",
    tags=["public"],
    response=PublicMemberDetail,
    errors=(404,),
)
@public
@cacheable()
def public_member(member_no: str):
    return PublicMemberDetail.of(listing.profile(member_no)).model_dump(mode="json")
