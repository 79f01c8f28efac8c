"""Inspection draws, results and the inspector pool."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from portal.api.registry import api_route
from portal.api.schemas import FromRow, Strict
from portal.api.validation import parse_body
from portal.extensions import db
from portal.inspections import services
from portal.open_data import cacheable
from portal.security import Role, current_actor, public, roles_required


class DrawResultRow(BaseModel):
    member_no: str
    inspectors: list[str]


class PublicDrawOut(BaseModel):
    year: int
    seed: str
    percent: int
    per_member: int
    members: list[str] = Field(description="Active members, sorted: the population drawn from")
    pool: list[str] = Field(description="Inspector codes, sorted")
    exclusions: dict[str, list[str]] = Field(description="Member -> inspectors tied to it")
    result: list[DrawResultRow] = Field(description="Drawn members in draw order")


class PublicResultOut(BaseModel):
    position: int
    member_no: str
    name: str
    inspectors: list[str]
    status: str
    inspected_on: date | None
    minor_findings: int | None
    major_findings: int | None
    accuracy: float | None
    summary: str


class PublicDrawDetail(PublicDrawOut):
    results: list[PublicResultOut]


class DrawYears(BaseModel):
    years: list[int]


class DrawIn(Strict):
    year: int
    seed: str | None = Field(None, max_length=64)


class ResultIn(Strict):
    inspected_on: date
    minor_findings: int = Field(ge=0, le=100)
    major_findings: int = Field(ge=0, le=100)
    accuracy: float = Field(ge=0, le=100, description="Report accuracy in percent, e.g. 98.5")
    summary: str = Field("", max_length=2000)


class InspectorIn(Strict):
    username: str = Field(min_length=1, max_length=80)


class InspectorOut(FromRow):
    id: int
    code: str
    user_id: int
    active: bool
    added_at: datetime
    removed_at: datetime | None


class InspectorList(BaseModel):
    items: list[InspectorOut]


def _result(inspection, full: bool) -> PublicResultOut:
    done = inspection.status == "completed"
    return PublicResultOut(
        position=inspection.position,
        member_no=inspection.member.member_no,
        name=inspection.member.name,
        inspectors=[a.inspector.code for a in inspection.assignments],
        status=inspection.status,
        inspected_on=inspection.inspected_on if done or full else None,
        minor_findings=inspection.minor_findings if done else None,
        major_findings=inspection.major_findings if done else None,
        accuracy=inspection.accuracy if done else None,
        summary=inspection.summary if done else "",
    )


def _detail(record, full: bool = False) -> dict:
    return PublicDrawDetail(
        **services.published(record),
        results=[_result(i, full) for i in record.inspections],
    ).model_dump(mode="json")


@api_route(
    "/public/inspections",
    summary="The years with a published inspection draw",
    tags=["public", "inspections"],
    response=DrawYears,
)
@public
@cacheable()
def public_inspection_years():
    return {"years": [record.year for record in services.draws()]}


@api_route(
    "/public/inspections/<int:year>",
    summary="A year's draw (seed, member list, pool, exclusions, result) and the results",
    tags=["public", "inspections"],
    response=PublicDrawDetail,
    errors=(404,),
)
@public
@cacheable()
def public_inspection_draw(year: int):
    return _detail(services.draw_of(year))


@api_route(
    "/staff/inspections",
    methods=["POST"],
    summary="Make and publish the yearly draw (at least 20% of active members, 2 inspectors each)",
    tags=["inspections", "secretariat"],
    body=DrawIn,
    response=PublicDrawDetail,
    status=201,
    errors=(409, 422),
)
@roles_required(Role.STAFF)
def staff_inspection_draw():
    data = parse_body(DrawIn)
    record = services.start_draw(current_actor(), data.year, data.seed)
    db.session.commit()
    return _detail(record, full=True), 201


@api_route(
    "/staff/inspections/<int:year>",
    summary="A year's draw with every result",
    tags=["inspections", "secretariat"],
    response=PublicDrawDetail,
    errors=(404,),
)
@roles_required(Role.STAFF)
def staff_inspection_year(year: int):
    return _detail(services.draw_of(year), full=True)


@api_route(
    "/staff/inspections/<int:year>/results/<member_no>",
    methods=["PUT"],
    summary="Record (or amend) the result of a drawn member's inspection",
    tags=["inspections", "secretariat"],
    body=ResultIn,
    response=PublicResultOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def staff_inspection_result(year: int, member_no: str):
    data = parse_body(ResultIn)
    record = services.draw_of(year)
    inspection = next(
        (i for i in record.inspections if i.member.member_no == member_no.upper()), None
    )
    if inspection is None:
        from flask_babel import gettext as _

        from portal.errors import NotFound

        raise NotFound(_("This member was not drawn in this year."))
    services.record_result(current_actor(), inspection, **data.model_dump())
    db.session.commit()
    return _result(inspection, True).model_dump(mode="json")


@api_route(
    "/admin/inspectors",
    summary="The inspector pool",
    tags=["inspections", "administration"],
    response=InspectorList,
)
@roles_required(Role.ADMIN)
def admin_inspectors():
    return InspectorList(
        items=[InspectorOut.model_validate(i) for i in services.pool(active_only=False)]
    ).model_dump(mode="json")


@api_route(
    "/admin/inspectors",
    methods=["POST"],
    summary="Add a secretariat or committee user to the inspector pool",
    tags=["inspections", "administration"],
    body=InspectorIn,
    response=InspectorOut,
    status=201,
    errors=(409, 422),
)
@roles_required(Role.ADMIN)
def admin_inspector_add():
    data = parse_body(InspectorIn)
    inspector = services.add_inspector(current_actor(), data.username)
    db.session.commit()
    return InspectorOut.model_validate(inspector).model_dump(mode="json"), 201


@api_route(
    "/admin/inspectors/<int:inspector_id>",
    methods=["DELETE"],
    summary="Take an inspector out of the pool (kept in history)",
    tags=["inspections", "administration"],
    response=InspectorOut,
    errors=(404, 409),
)
@roles_required(Role.ADMIN)
def admin_inspector_remove(inspector_id: int):
    inspector = services.remove_inspector(current_actor(), services.get_inspector(inspector_id))
    db.session.commit()
    return InspectorOut.model_validate(inspector).model_dump(mode="json")
