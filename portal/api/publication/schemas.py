"""Schemas of the publication API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from portal import clock
from portal.api.complaints.schemas import FileIn
from portal.api.schemas import PageInfo, PageQuery, Strict
from portal.members.regions import province_name
from portal.publication import constants as c
from portal.publication import queries

LevelName = Literal["general", "serious"]
EntryStatus = Literal["upcoming", "in_force", "term_ended", "withdrawn", "credit_repair"]


class BlacklistQuery(PageQuery):
    q: str = Field("", max_length=c.Q_MAX, description="Agency name, member or decision number")
    province: str | None = Field(None, description="Region: a two-digit province code")


class DecisionQuery(PageQuery):
    q: str = Field("", max_length=c.Q_MAX, description="Agency name, member or decision number")
    level: LevelName | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="Year the sanction took effect")


class PublicEntryOut(BaseModel):
    decision_no: str
    member_no: str | None
    agency: str
    region: str | None = Field(description="Province code")
    region_name: str
    level: LevelName
    measures: list[str]
    title: str
    summary: str
    took_effect_on: date
    published_until: date
    blacklist: bool
    appeal_outcome: Literal["upheld", "changed"] | None
    status: EntryStatus
    ended_on: date | None
    end_note: str | None
    statement: str | None = Field(description="The agency's own statement, shown beside it")
    credit_repair_granted_on: date | None

    @classmethod
    def of(cls, entry) -> PublicEntryOut:
        repair = queries.granted_repair(entry) if entry.end_reason == c.END_CREDIT_REPAIR else None
        return cls(
            decision_no=entry.decision_no,
            member_no=entry.member.member_no,
            agency=entry.member.name,
            region=entry.member.province,
            region_name=province_name(entry.member.province),
            level=entry.level,
            measures=list(entry.measures),
            title=entry.title,
            summary=entry.summary,
            took_effect_on=entry.took_effect_on,
            published_until=entry.published_until,
            blacklist=entry.blacklist,
            appeal_outcome=entry.appeal_outcome,
            status=entry.status_on(clock.today()),
            ended_on=entry.ended_on,
            end_note=entry.end_note,
            statement=entry.statement,
            credit_repair_granted_on=(
                clock.shanghai(repair.decided_at).date() if repair and repair.decided_at else None
            ),
        )


class PublicEntryList(BaseModel):
    items: list[PublicEntryOut]
    page: PageInfo


class DisputeOut(BaseModel):
    id: int
    decision_no: str
    text: str
    status: Literal["open", "answered"]
    filed_at: datetime
    corrected: bool | None
    answer: str | None
    answered_at: datetime | None

    @classmethod
    def of(cls, dispute) -> DisputeOut:
        return cls(
            id=dispute.id,
            decision_no=dispute.entry.decision_no,
            text=dispute.text,
            status=dispute.status,
            filed_at=dispute.filed_at,
            corrected=dispute.corrected,
            answer=dispute.answer,
            answered_at=dispute.answered_at,
        )


class RepairOut(BaseModel):
    id: int
    decision_no: str
    status: Literal["submitted", "granted", "refused"]
    rectification: str
    commitment_name: str
    applied_at: datetime
    due_date: date
    due_at: datetime
    overdue: bool
    decided_at: datetime | None
    decision_reason: str | None
    proof: list[str] = Field(description="File uids, for GET /api/v1/files/{uid}")

    @classmethod
    def of(cls, repair) -> RepairOut:
        from portal import uploads
        from portal.publication.access import REPAIR_FILES

        return cls(
            id=repair.id,
            decision_no=repair.entry.decision_no,
            status=repair.status,
            rectification=repair.rectification,
            commitment_name=repair.commitment_name,
            applied_at=repair.applied_at,
            due_date=repair.due_date,
            due_at=repair.due_at,
            overdue=repair.overdue,
            decided_at=repair.decided_at,
            decision_reason=repair.decision_reason,
            proof=[f.uid for f in uploads.files_of(REPAIR_FILES, repair.id)],
        )


class AgencyEntrySummary(PublicEntryOut):
    id: int


class AgencyEntryOut(AgencyEntrySummary):
    disputes: list[DisputeOut]
    repairs: list[RepairOut]
    repair_opens_on: date
    repair_refusal: str | None = Field(description="Why credit repair cannot be applied for now")


class AgencyEntryList(BaseModel):
    items: list[AgencyEntrySummary]
    page: PageInfo


class StatementIn(Strict):
    statement: str = Field(
        "", max_length=c.STATEMENT_MAX, description="Empty removes the statement"
    )


class DisputeIn(Strict):
    text: str = Field(min_length=1, max_length=c.DISPUTE_MAX)


class RepairIn(Strict):
    rectification: str = Field(min_length=1, max_length=c.RECTIFICATION_MAX)
    commitment_accepted: bool = Field(description="The signed credit commitment: must be true")
    commitment_name: str = Field(min_length=1, max_length=c.SIGNATURE_MAX)
    files: list[FileIn] = Field(min_length=1, max_length=10, description="Proof of rectification")


class DisputeAnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=c.ANSWER_MAX)
    corrected: bool = False
    corrected_summary: str | None = Field(None, max_length=c.SUMMARY_MAX)


class RepairDecisionIn(Strict):
    decision: Literal["grant", "refuse"]
    reason: str | None = Field(None, max_length=c.REASON_MAX)


class QueueQuery(PageQuery):
    status: str | None = Field(None, description="A state; all states when 'all'")


class DisputeList(BaseModel):
    items: list[DisputeOut]
    page: PageInfo


class RepairList(BaseModel):
    items: list[RepairOut]
    page: PageInfo
