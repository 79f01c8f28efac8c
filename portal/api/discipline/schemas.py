"""Request and response schemas of the discipline API."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from portal.api.schemas import FromRow, PageInfo, PageQuery, Strict
from portal.discipline.constants import MAX_FILES, SOURCE_REF_MAX, SUMMARY_MAX, TEXT_MAX

LevelName = Literal["minor", "general", "serious"]
MeasureName = Literal[
    "verbal_warning",
    "order_to_rectify",
    "written_warning",
    "public_criticism",
    "suspension_3_months",
    "expulsion",
    "revocation_recommendation",
    "blacklist",
]
CaseStatusName = Literal["open", "proposed", "voting", "decided", "dismissed"]
DecisionStatusName = Literal["notified", "appealed", "in_force", "revoked"]


class FileIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(
        min_length=4,
        max_length=15_000_000,
        description="The file's bytes, base64 (PDF, PNG or JPEG)",
    )

    @field_validator("content_base64")
    @classmethod
    def _decodes(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("not valid base64") from None
        return value

    def data(self) -> bytes:
        return base64.b64decode(self.content_base64)


# --- requests --------------------------------------------------------------------------------


class CaseIn(Strict):
    member_id: int
    source: Literal["complaint", "inspection", "direct"]
    source_ref: str | None = Field(
        None,
        max_length=SOURCE_REF_MAX,
        description="A substantiated complaint's tracking number, or an inspection reference",
    )
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    findings: str = Field("", max_length=TEXT_MAX)


class CaseQuery(PageQuery):
    status: CaseStatusName | None = None
    member_id: int | None = None


class DecisionQuery(PageQuery):
    status: DecisionStatusName | None = None
    member_id: int | None = None


class FindingsIn(Strict):
    findings: str = Field(min_length=1, max_length=TEXT_MAX)


class EvidenceIn(Strict):
    note: str = Field("", max_length=TEXT_MAX)
    files: list[FileIn] = Field(default_factory=list, max_length=MAX_FILES)


class SanctionIn(Strict):
    level: LevelName
    measures: list[MeasureName] = Field(min_length=1, max_length=3)
    publication_months: int | None = Field(
        None, description="None for minor; 3-12 for general; 12-36 for serious"
    )
    rectify_due_on: date | None = Field(None, description="Required with order_to_rectify")
    reasons: str = Field(min_length=1, max_length=TEXT_MAX)


class SubmitIn(Strict):
    closes_at: AwareDatetime = Field(description="When the committee's vote closes")


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class OutcomeIn(Strict):
    outcome: Literal["upheld", "changed", "revoked"]
    closes_at: AwareDatetime
    reasons: str = Field(min_length=1, max_length=TEXT_MAX)
    level: LevelName | None = Field(None, description="For a change only")
    measures: list[MeasureName] | None = Field(None, max_length=3)
    publication_months: int | None = None
    rectify_due_on: date | None = None


class AppealIn(Strict):
    grounds: str = Field(min_length=1, max_length=TEXT_MAX)
    files: list[FileIn] = Field(default_factory=list, max_length=MAX_FILES)


class RectificationIn(Strict):
    report: str = Field(min_length=1, max_length=TEXT_MAX)
    files: list[FileIn] = Field(default_factory=list, max_length=MAX_FILES)


class BreachIn(Strict):
    discovered_at: AwareDatetime
    description: str = Field(min_length=1, max_length=TEXT_MAX)
    affected_count: int | None = Field(None, ge=0)
    measures_taken: str = Field("", max_length=TEXT_MAX)


class NoCaseIn(Strict):
    note: str = Field(min_length=1, max_length=TEXT_MAX)


class BreachQuery(PageQuery):
    late: bool | None = None
    status: Literal["received", "case_opened", "no_case"] | None = None


# --- responses -------------------------------------------------------------------------------


class EvidenceOut(FromRow):
    id: int
    note: str
    added_at: datetime
    files: list[str] = Field(default_factory=list, description="File uids for /api/v1/files/{uid}")


class CaseOut(FromRow):
    id: int
    member_id: int
    status: CaseStatusName
    source: str
    source_ref: str | None
    summary: str
    findings: str
    level: LevelName | None
    measures: list[str]
    publication_months: int | None
    rectify_due_on: date | None
    reasons: str
    motion_id: int | None
    opened_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    decision_id: int | None = None
    evidence: list[EvidenceOut] = Field(default_factory=list)


class CaseList(BaseModel):
    items: list[CaseOut]
    page: PageInfo


class AppealOut(FromRow):
    id: int
    status: Literal["pending", "voting", "decided"]
    grounds: str
    filed_at: datetime
    due_at: datetime
    proposed_outcome: str | None
    proposed_level: str | None
    proposed_measures: list[str] | None
    motion_id: int | None
    outcome: str | None
    decided_at: datetime | None
    escalated_at: datetime | None
    files: list[str] = Field(default_factory=list)


class DecisionOut(FromRow):
    id: int
    number: str
    case_id: int
    member_id: int
    status: DecisionStatusName
    level: LevelName
    measures: list[str]
    publication_months: int | None
    rectify_due_on: date | None
    reasons: str
    original_level: str | None
    original_measures: list[str] | None
    decided_by: Literal["secretariat", "committee"]
    motion_id: int | None
    decided_at: datetime
    notified_at: datetime
    appeal_due_at: datetime
    appeal_outcome: str | None
    took_effect_on: date | None
    published_until: date | None
    suspended_until: date | None
    lifted_at: datetime | None
    rectified_at: datetime | None
    rectification_report: str | None
    rectification_accepted_at: datetime | None
    appeal: AppealOut | None = None


class DecisionList(BaseModel):
    items: list[DecisionOut]
    page: PageInfo


class BreachOut(FromRow):
    id: int
    member_id: int
    status: Literal["received", "case_opened", "no_case"]
    discovered_at: datetime
    reported_at: datetime
    late: bool
    delay_minutes: int
    description: str
    affected_count: int | None
    measures_taken: str
    handling_note: str | None


class BreachList(BaseModel):
    items: list[BreachOut]
    page: PageInfo
