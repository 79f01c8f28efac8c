"""Schemas of the ratings API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from portal.api.schemas import FromRow, PageInfo, PageQuery, Strict
from portal.ratings.services.figures import MAX_VALUE


class RatingsQuery(PageQuery):
    year: int | None = Field(None, description="Default: the latest rated year")
    q: str | None = Field(
        None, max_length=100, description="Name, credit code or membership number"
    )
    province: str | None = Field(None, description="Two-digit division code, e.g. 11")
    type: str | None = Field(None, description="examination | hygiene_service | risk_assessment")
    stars: str | None = Field(None, description="5, 4, 3, 2, 1 or none")
    grade: str | None = Field(None, description="AAA, AA, A, B, C, D or not_rated")


class PartOut(BaseModel):
    code: str
    points: float
    max: float
    values: dict
    text: str


class ComponentOut(BaseModel):
    component: str
    label: str
    points: float
    max: float
    parts: list[PartOut]


class PublicRatingOut(BaseModel):
    year: int
    member_no: str
    name: str
    province: str | None
    agency_type: str | None
    rated: bool
    score: float | None = Field(description="Out of 100; null when not rated")
    stars: int | None = Field(description="1-5; null when not rated or blacklisted")
    grade: str
    blacklisted: bool


class PublicRatingList(BaseModel):
    items: list[PublicRatingOut]
    page: PageInfo


class RatingDetailOut(PublicRatingOut):
    services: int | None
    reference_day: str
    components: list[ComponentOut]
    reasons: list[str]


class RatingHistoryOut(BaseModel):
    member_no: str
    name: str
    history: list[PublicRatingOut]


class FiguresIn(Strict):
    enterprises_served: int = Field(ge=0, le=MAX_VALUE)
    workers_examined: int = Field(ge=0, le=MAX_VALUE)
    reports_issued: int = Field(ge=0, le=MAX_VALUE)
    reports_corrected: int = Field(0, ge=0, le=MAX_VALUE)
    abnormal_results: int = Field(0, ge=0, le=MAX_VALUE)


class CorrectionIn(FiguresIn):
    reason: str = Field(min_length=5, max_length=1000)


class ChangeOut(FromRow):
    kind: str
    before: dict | None
    after: dict
    reason: str
    at: datetime


class FiguresOut(FromRow):
    id: int
    member_id: int
    year: int
    enterprises_served: int
    workers_examined: int
    reports_issued: int
    reports_corrected: int
    abnormal_results: int
    status: str
    filed_at: datetime
    updated_at: datetime
    validated_at: datetime | None
    changes: list[ChangeOut]


class FiguresList(BaseModel):
    items: list[FiguresOut]


class FiguresPage(BaseModel):
    items: list[FiguresOut]
    page: PageInfo


class FiguresQuery(PageQuery):
    year: int | None = None
    status: str | None = Field(None, description="filed | validated")


class ComputeIn(Strict):
    year: int


class RunOut(FromRow):
    id: int
    year: int
    trigger: str
    started_at: datetime
    members: int
    rated: int
    created: int
    changed: int
    digest: str


class YearQuery(BaseModel):
    year: int | None = None


class FlagOut(BaseModel):
    code: str
    reason: str
    values: dict


class FlaggedOut(BaseModel):
    member_id: int
    member_no: str | None
    name: str
    year: int
    figures_id: int
    flags: list[FlagOut]


class FlaggedList(BaseModel):
    year: int
    items: list[FlaggedOut]


class RatingDetailList(BaseModel):
    items: list[RatingDetailOut]
