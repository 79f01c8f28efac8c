"""The secretariat's figures queue, validation and correction, computation, anomaly watch."""

from __future__ import annotations

from portal import clock
from portal.api.ratings.schemas import (
    ComputeIn,
    CorrectionIn,
    FiguresOut,
    FiguresPage,
    FiguresQuery,
    FlaggedList,
    FlaggedOut,
    FlagOut,
    RunOut,
    YearQuery,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo
from portal.api.validation import parse_body, parse_query
from portal.extensions import db
from portal.ratings.services import anomalies, compute
from portal.ratings.services import figures as figures_service
from portal.security import Role, current_actor, roles_required

TAGS = ["ratings", "secretariat"]


@api_route(
    "/staff/figures",
    summary="Filed yearly figures, by year and status",
    tags=TAGS,
    query=FiguresQuery,
    response=FiguresPage,
)
@roles_required(Role.STAFF)
def staff_figures_list():
    query = parse_query(FiguresQuery)
    page = db.paginate(
        figures_service.queue(query.year, query.status),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return FiguresPage(
        items=[FiguresOut.model_validate(r) for r in page.items], page=PageInfo.of(page)
    ).model_dump(mode="json")


@api_route(
    "/staff/figures/<int:figures_id>/validate",
    methods=["POST"],
    summary="Validate a member's filed figures",
    tags=TAGS,
    response=FiguresOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def staff_figures_validate(figures_id: int):
    figures = figures_service.validate(current_actor(), figures_service.get_figures(figures_id))
    db.session.commit()
    return FiguresOut.model_validate(figures).model_dump(mode="json")


@api_route(
    "/staff/figures/<int:figures_id>/correction",
    methods=["POST"],
    summary="Correct a member's figures, with the reason (audited, shown to the member)",
    tags=TAGS,
    body=CorrectionIn,
    response=FiguresOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def staff_figures_correct(figures_id: int):
    data = parse_body(CorrectionIn)
    values = data.model_dump(exclude={"reason"})
    figures = figures_service.correct(
        current_actor(), figures_service.get_figures(figures_id), values, data.reason
    )
    db.session.commit()
    return FiguresOut.model_validate(figures).model_dump(mode="json")


@api_route(
    "/staff/ratings/compute",
    methods=["POST"],
    summary="Compute (or recompute) a year's ratings for every member; idempotent, audited",
    tags=TAGS,
    body=ComputeIn,
    response=RunOut,
    status=201,
    errors=(422,),
)
@roles_required(Role.STAFF)
def staff_ratings_compute():
    data = parse_body(ComputeIn)
    run = compute.compute_year(current_actor(), data.year, trigger="api")
    db.session.commit()
    return RunOut.model_validate(run).model_dump(mode="json"), 201


@api_route(
    "/staff/ratings/anomalies",
    summary="Members whose filed figures look implausible, with the reasons",
    tags=TAGS,
    query=YearQuery,
    response=FlaggedList,
)
@roles_required(Role.STAFF)
def staff_ratings_anomalies():
    query = parse_query(YearQuery)
    year = query.year or clock.today().year - 1
    return FlaggedList(
        year=year,
        items=[
            FlaggedOut(
                member_id=item.member_id,
                member_no=item.member_no,
                name=item.name,
                year=item.year,
                figures_id=item.figures_id,
                flags=[
                    FlagOut(code=f.code.value, reason=anomalies.describe(f), values=f.values)
                    for f in item.flags
                ],
            )
            for item in anomalies.flagged(year)
        ],
    ).model_dump(mode="json")
