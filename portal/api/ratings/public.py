"""The public ratings: the list with the page's filters, one member's history."""

from __future__ import annotations

from portal.api.ratings.schemas import (
    PublicRatingList,
    PublicRatingOut,
    RatingHistoryOut,
    RatingsQuery,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo
from portal.api.validation import parse_query
from portal.extensions import db
from portal.members.services import directory
from portal.open_data import cacheable
from portal.ratings.services import queries
from portal.security import public


def rating_out(result, member, blacklisted: set[int], latest: int | None) -> PublicRatingOut:
    stars, grade = queries.shown(result, blacklisted, latest)
    return PublicRatingOut(
        year=result.year,
        member_no=member.member_no,
        name=member.name,
        province=member.province,
        agency_type=member.agency_type,
        rated=result.rated,
        score=result.score,
        stars=stars,
        grade=grade,
        blacklisted=member.id in blacklisted,
    )


@api_route(
    "/public/ratings",
    summary="Members' scores, stars and credit grades for a year, filtered as on /ratings",
    tags=["public", "ratings"],
    query=RatingsQuery,
    response=PublicRatingList,
)
@public
@cacheable()
def public_ratings():
    query = parse_query(RatingsQuery)
    filters = queries.Filters.clean(
        year=query.year,
        q=query.q,
        province=query.province,
        agency_type=query.type,
        stars=query.stars,
        grade=query.grade,
    )
    page = db.paginate(
        queries.search(filters), page=query.page, per_page=query.per_page, error_out=False
    )
    blacklisted, latest = queries.blacklisted_now(), queries.latest_year()
    return PublicRatingList(
        items=[rating_out(r, r.member, blacklisted, latest) for r in page.items],
        page=PageInfo.of(page),
    ).model_dump(mode="json")


@api_route(
    "/public/ratings/<member_no>",
    summary="One member's rating history",
    tags=["public", "ratings"],
    response=RatingHistoryOut,
    errors=(404,),
)
@public
@cacheable()
def public_rating_history(member_no: str):
    member = directory.profile(member_no)
    blacklisted, latest = queries.blacklisted_now(), queries.latest_year()
    return RatingHistoryOut(
        member_no=member.member_no,
        name=member.name,
        history=[rating_out(r, member, blacklisted, latest) for r in queries.history(member.id)],
    ).model_dump(mode="json")
