"""A member agency's figures and rating through the API."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.api.ratings.schemas import (
    ComponentOut,
    FiguresIn,
    FiguresList,
    FiguresOut,
    PartOut,
    RatingDetailList,
    RatingDetailOut,
)
from portal.api.registry import api_route
from portal.api.validation import parse_body
from portal.errors import NotFound
from portal.extensions import db
from portal.ratings import presenters
from portal.ratings.constants import component_label
from portal.ratings.services import figures as figures_service
from portal.ratings.services import queries
from portal.security import Role, current_actor, roles_required

TAGS = ["ratings", "member agencies"]


def rating_detail(result, member) -> dict:
    return RatingDetailOut(
        year=result.year,
        member_no=member.member_no,
        name=member.name,
        province=member.province,
        agency_type=member.agency_type,
        rated=result.rated,
        score=result.score,
        stars=result.stars,
        grade=result.grade,
        blacklisted=result.blacklisted,
        services=result.services,
        reference_day=result.reference_day,
        reasons=[presenters.reason_text(code) for code in result.reasons],
        components=[
            ComponentOut(
                component=c["component"],
                label=component_label(c["component"]),
                points=c["points"] / 10,
                max=c["max"] / 10,
                parts=[
                    PartOut(
                        code=p["code"],
                        points=p["points"] / 10,
                        max=p["max"] / 10,
                        values=p.get("values", {}),
                        text=presenters.part_text(p),
                    )
                    for p in c["parts"]
                ],
            )
            for c in result.components
        ],
    ).model_dump(mode="json")


@api_route(
    "/member/figures",
    summary="The caller's agency's yearly figures, newest first",
    tags=TAGS,
    response=FiguresList,
)
@roles_required(Role.MEMBER)
def member_figures_list():
    _member, rows = figures_service.my_figures(current_actor())
    return FiguresList(items=[FiguresOut.model_validate(r) for r in rows]).model_dump(mode="json")


@api_route(
    "/member/figures/<int:year>",
    methods=["PUT"],
    summary="File or amend the caller's agency's figures for a year (until validated)",
    tags=TAGS,
    body=FiguresIn,
    response=FiguresOut,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def member_figures_put(year: int):
    data = parse_body(FiguresIn)
    figures = figures_service.file_figures(current_actor(), year, data.model_dump())
    db.session.commit()
    return FiguresOut.model_validate(figures).model_dump(mode="json")


@api_route(
    "/member/ratings",
    summary="The caller's agency's ratings, each with its components and reasons",
    tags=TAGS,
    response=RatingDetailList,
)
@roles_required(Role.MEMBER)
def member_ratings():
    member, _rows = figures_service.my_figures(current_actor())
    if member is None or not member.is_member:
        return {"items": []}
    return {"items": [rating_detail(r, member) for r in queries.history(member.id)]}


@api_route(
    "/member/ratings/<int:year>",
    summary="The caller's agency's rating for a year: score, parts, figures and reasons",
    tags=TAGS,
    response=RatingDetailOut,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_rating_year(year: int):
    member, _rows = figures_service.my_figures(current_actor())
    results = queries.history(member.id) if member is not None and member.is_member else []
    result = next((r for r in results if r.year == year), None)
    if result is None:
        raise NotFound(_("No rating for this year."))
    return rating_detail(result, member)
