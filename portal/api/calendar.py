"""The working-day calendar through the API: deadlines for anyone, days for administrators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from portal import calendar as cal
from portal import calendar_edits
from portal.api.registry import api_route
from portal.api.schemas import Strict
from portal.api.validation import parse_body, parse_query
from portal.errors import ValidationFailed
from portal.extensions import db
from portal.security import Role, current_actor, public, roles_required


def _iso_date_text(value: Any) -> Any:
    if isinstance(value, str) and not cal.ISO_DATE.match(value.strip()):
        raise ValueError("write the date as YYYY-MM-DD")
    return value.strip() if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]
Kind = Literal["workday", "weekend", "holiday", "makeup"]
Source = Literal["chinesecalendar", "admin", "csv"]


class DeadlineQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: IsoDate = Field(
        alias="from",
        description="The day of the event (YYYY-MM-DD, Asia/Shanghai); it is not counted",
    )
    working_days: int = Field(
        ge=0, le=cal.MAX_WORKING_DAYS, description="How many working days after it"
    )


class DeadlineOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from")
    working_days: int
    due: dt.date
    due_at: dt.datetime = Field(description="End of the due day, 23:59:59 Asia/Shanghai")
    provisional: bool = Field(
        description="A counted day lies in a year without an official "
        "calendar (Monday to Friday were counted)"
    )


class YearQuery(BaseModel):
    year: int = Field(ge=cal.MIN_YEAR, le=cal.MAX_YEAR)


class DayOut(BaseModel):
    date: dt.date
    workday: bool
    kind: Kind
    note: str
    source: Source | None = Field(description="None: no entry, the Monday-to-Friday rule")

    @classmethod
    def of(cls, info: cal.DayInfo) -> DayOut:
        return cls(
            date=info.date, workday=info.workday, kind=info.kind, note=info.note, source=info.source
        )


class YearStatus(BaseModel):
    year: int
    official: bool
    source: Source | None
    loaded_at: dt.datetime | None

    @classmethod
    def of(cls, year: int) -> YearStatus:
        record = cal.year_record(year)
        return cls(
            year=year,
            official=record is not None,
            source=record.source if record else None,
            loaded_at=record.loaded_at if record else None,
        )


class YearOut(YearStatus):
    days: list[DayOut]


class DayIn(Strict):
    workday: StrictBool
    note: str = Field("", max_length=cal.NOTE_MAX)


class LoadRow(Strict):
    date: IsoDate
    workday: StrictBool
    note: str = Field("", max_length=cal.NOTE_MAX)


class LoadIn(Strict):
    rows: list[LoadRow] = Field(min_length=1, max_length=cal.MAX_LOAD_ROWS)


class LoadOut(BaseModel):
    stored: int
    unchanged: int
    years: list[int]
    newly_official: list[int]
    recomputed: int


def _json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


@api_route(
    "/calendar/deadline",
    summary="The deadline N working days after a date, on the statutory calendar",
    tags=["calendar"],
    query=DeadlineQuery,
    response=DeadlineOut,
)
@public
def calendar_deadline():
    query = parse_query(DeadlineQuery)
    deadline = cal.due_date(query.from_, query.working_days)
    return _json(
        DeadlineOut(
            from_=query.from_,
            working_days=query.working_days,
            due=deadline.due,
            due_at=deadline.due_at,
            provisional=deadline.provisional,
        )
    )


@api_route(
    "/calendar/days",
    summary="Every day of a year with its status (administrators)",
    tags=["calendar", "admin"],
    query=YearQuery,
    response=YearOut,
)
@roles_required(Role.ADMIN)
def calendar_days():
    query = parse_query(YearQuery)
    days = [DayOut.of(info) for info in cal.year_days(query.year)]
    return _json(YearOut(**YearStatus.of(query.year).model_dump(), days=days))


@api_route(
    "/calendar/days/<day>",
    methods=["PUT"],
    summary="Set one day's status and note (administrators)",
    tags=["calendar", "admin"],
    body=DayIn,
    response=DayOut,
    errors=(422,),
)
@roles_required(Role.ADMIN)
def calendar_set_day(day: str):
    when = calendar_edits.parse_iso_date(day)
    if when is None:
        raise ValidationFailed(
            _("Some parameters need correcting."), {"date": _("Write the date as YYYY-MM-DD.")}
        )
    data = parse_body(DayIn)
    calendar_edits.set_day(when, workday=data.workday, note=data.note, actor=current_actor())
    db.session.commit()
    return _json(DayOut.of(cal.day_info(when)))


@api_route(
    "/calendar/load",
    methods=["POST"],
    summary="Load many days at once, all or none; their years become official (administrators)",
    tags=["calendar", "admin"],
    body=LoadIn,
    response=LoadOut,
    errors=(422,),
)
@roles_required(Role.ADMIN)
def calendar_load():
    data = parse_body(LoadIn)
    days = [
        calendar_edits.DayInput(row.date, row.workday, row.note, index=i)
        for i, row in enumerate(data.rows)
    ]
    result = calendar_edits.load_days(days, actor=current_actor(), source=cal.SOURCE_CSV)
    db.session.commit()
    return _json(
        LoadOut(
            stored=result.stored,
            unchanged=result.unchanged,
            years=list(result.years),
            newly_official=list(result.newly_official),
            recomputed=result.recomputed,
        )
    )


@api_route(
    "/calendar/years/<int:year>/official",
    methods=["POST"],
    summary="Declare a year's calendar official once its days are entered (administrators)",
    tags=["calendar", "admin"],
    response=YearStatus,
    errors=(422,),
)
@roles_required(Role.ADMIN)
def calendar_declare_year(year: int):
    calendar_edits.declare_official(year, actor=current_actor())
    db.session.commit()
    return _json(YearStatus.of(year))
