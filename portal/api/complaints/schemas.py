"""Request and response schemas of the complaints API."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from portal.api.schemas import PageInfo, Strict
from portal.complaints.constants import (
    AGENCY_NAME_MAX,
    DESCRIPTION_MAX,
    HEALTH_MAX,
    MAX_FILES,
    NAME_MAX,
    PHONE_MAX,
    TEXT_MAX,
)
from portal.complaints.services.deadlines import Clock
from portal.complaints.services.tracking import PublicView

CategoryName = Literal["service_quality", "violation", "rights_infringement"]
SubtypeName = Literal[
    "wrong_report",
    "non_standard_examination",
    "false_advertising",
    "outside_scope",
    "data_falsification",
    "health_data_leak",
    "failure_to_inform",
]
StatusName = Literal[
    "received",
    "accepted",
    "rejected",
    "investigating",
    "awaiting_material",
    "resolved",
    "closed",
]
ChannelName = Literal["online", "hotline", "walk_in"]
FindingName = Literal["substantiated", "partly_substantiated", "not_substantiated"]


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


class ComplaintIn(Strict):
    category: CategoryName
    subtype: SubtypeName
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    member_no: str | None = Field(
        None, max_length=20, description="The member's number from the directory"
    )
    agency_name: str | None = Field(
        None, max_length=AGENCY_NAME_MAX, description="For an agency that is not a member"
    )
    name: str | None = Field(None, max_length=NAME_MAX)
    id_number: str | None = Field(None, max_length=18, description="Resident ID number")
    phone: str | None = Field(None, max_length=PHONE_MAX)
    email: str | None = Field(None, max_length=254)
    health: str | None = Field(None, max_length=HEALTH_MAX)
    share_identity_with_agency: StrictBool = False
    files: list[FileIn] = Field(default_factory=list, max_length=MAX_FILES)


class StaffComplaintIn(ComplaintIn):
    channel: Literal["hotline", "walk_in"]


class FiledOut(BaseModel):
    tracking_number: str
    receipt_code: str | None = Field(
        description="Anonymous complaints only: shown once (and again only to a repeat of "
        "the same request with the same Idempotency-Key)"
    )
    status: StatusName
    duplicate: bool = Field(description="True when this request repeated an earlier one")


class TrackIn(Strict):
    tracking_number: str = Field(min_length=1, max_length=30)
    receipt_code: str = Field(min_length=1, max_length=30)


class MaterialIn(Strict):
    text: str = Field("", max_length=TEXT_MAX)
    files: list[FileIn] = Field(default_factory=list, max_length=MAX_FILES)
    receipt_code: str | None = Field(
        None, max_length=30, description="Anonymous complainants prove the case with it"
    )


class MaterialOut(BaseModel):
    id: int
    added_at: datetime
    added_by: Literal["complainant", "staff"]
    files: int
    status: StatusName


class PauseOut(BaseModel):
    started_at: datetime
    ended_at: datetime | None
    working_days_held: int | None


class ClockOut(BaseModel):
    kind: Literal["decision", "resolution"]
    working_days: int
    start_at: datetime
    due_date: date
    due_at: datetime
    base_due_date: date = Field(description="The due date without the pauses")
    provisional: bool
    percent_elapsed: int
    state: Literal["running", "paused", "overdue", "met", "met_late"]
    paused_working_days: int
    pauses: list[PauseOut]

    @classmethod
    def of(cls, clock: Clock) -> ClockOut:
        return cls(
            kind=clock.kind,
            working_days=clock.working_days,
            start_at=clock.start_at,
            due_date=clock.due_date,
            due_at=clock.due_at,
            base_due_date=clock.base_due_date,
            provisional=clock.provisional,
            percent_elapsed=clock.percent,
            state=clock.state,
            paused_working_days=clock.paused_working_days,
            pauses=[
                PauseOut(
                    started_at=p.started_at,
                    ended_at=p.ended_at,
                    working_days_held=p.working_days_held,
                )
                for p in clock.pauses
            ],
        )


class EventOut(BaseModel):
    at: datetime
    kind: str
    label: str
    who: str
    note: str | None


class CaseOut(BaseModel):
    """What the complainant reads."""

    tracking_number: str
    status: StatusName
    status_label: str
    category: CategoryName
    subtype: SubtypeName
    agency_name: str
    received_at: datetime
    deadlines: list[ClockOut]
    timeline: list[EventOut]
    rejection_reason: str | None
    material_request: str | None
    finding: FindingName | None
    outcome: str | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, view: PublicView) -> CaseOut:
        return cls(
            tracking_number=view.tracking_number,
            status=view.status,
            status_label=view.status_label,
            category=view.complaint.category,
            subtype=view.complaint.subtype,
            agency_name=view.agency_name,
            received_at=view.received_at,
            deadlines=[ClockOut.of(c) for c in view.clocks],
            timeline=[
                EventOut(at=e.at, kind=e.kind, label=e.label, who=e.who, note=e.note)
                for e in view.timeline
            ],
            rejection_reason=view.rejection,
            material_request=view.material_request,
            finding=view.finding,
            outcome=view.outcome,
            resolved_at=view.resolved_at,
        )


class CaseList(BaseModel):
    items: list[CaseOut]
    page: PageInfo


class StatRow(BaseModel):
    key: str
    label: str
    count: int


class StatsOut(BaseModel):
    closed: int
    closed_on_time: int
    on_time_share: float | None
    by_category: list[StatRow]
    by_finding: list[StatRow]
    by_member: list[StatRow] = Field(description="key: the membership number")


def page_info(page) -> PageInfo:
    return PageInfo(page=page.page, per_page=page.per_page, total=page.total or 0, pages=page.pages)
