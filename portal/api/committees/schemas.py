"""Request and response models of the committees API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

from portal.api.schemas import PageInfo, PageQuery, Strict
from portal.committees.models import (
    BODY_MAX,
    NOTE_MAX,
    REASON_MAX,
    SUBJECT_REF_MAX,
    TITLE_MAX,
    CommitteeSeat,
    CommitteeTie,
    Motion,
)
from portal.committees.rules import Composition, yes_needed

CommitteeKindName = Literal["self_regulation", "appeal", "mediation"]
CategoryName = Literal[
    "association_leader",
    "expert",
    "large_enterprise_rep",
    "small_micro_enterprise_rep",
    "worker_rep",
    "medical_expert",
    "legal_expert",
    "industry_rep",
]
NatureName = Literal["employment", "management", "shareholding", "consultancy", "family", "other"]
MotionKindName = Literal["ordinary", "major"]
SubjectName = Literal["sanction", "code_revision", "other"]
StatusName = Literal["draft", "open", "closed", "withdrawn"]
ResultName = Literal["passed", "failed"]
ChoiceName = Literal["yes", "no", "abstain"]
RecusalName = Literal["tie", "declared", "excluded"]


def page_info(page) -> PageInfo:
    return PageInfo(page=page.page, per_page=page.per_page, total=page.total or 0, pages=page.pages)


# --- composition and seats -----------------------------------------------------------------


class GroupOut(BaseModel):
    category: CategoryName
    count: int
    total: int
    percent: int = Field(description="Share of the members in office, rounded down")
    minimum: int = Field(description="The smallest count that meets the quarter")
    met: bool


class CompositionOut(BaseModel):
    total: int = Field(description="Members in office today")
    counts: dict[str, int]
    applies: bool = Field(description="Whether the committee has a composition rule")
    met: bool = Field(description="A vote may be opened (rule met, someone in office)")
    groups: list[GroupOut]

    @classmethod
    def of(cls, report: Composition) -> CompositionOut:
        return cls(
            total=report.total,
            counts={str(k.value): v for k, v in report.counts.items()},
            applies=report.applies,
            met=report.met,
            groups=[
                GroupOut(
                    category=g.category.value,
                    count=g.count,
                    total=g.total,
                    percent=g.percent,
                    minimum=g.minimum,
                    met=g.met,
                )
                for g in report.groups
            ],
        )


class PublicSeatOut(BaseModel):
    display_name: str
    category: CategoryName
    term_start: date
    term_end: date

    @classmethod
    def of(cls, seat: CommitteeSeat) -> PublicSeatOut:
        return cls(
            display_name=seat.user.display_name,
            category=seat.category,
            term_start=seat.term_start,
            term_end=seat.term_end,
        )


class SeatOut(PublicSeatOut):
    id: int
    committee_id: int
    user_id: int
    username: str
    in_office: bool

    @classmethod
    def of(cls, seat: CommitteeSeat, in_office: bool = False) -> SeatOut:  # type: ignore[override]
        return cls(
            id=seat.id,
            committee_id=seat.committee_id,
            user_id=seat.user_id,
            username=seat.user.username,
            display_name=seat.user.display_name,
            category=seat.category,
            term_start=seat.term_start,
            term_end=seat.term_end,
            in_office=in_office,
        )


class PublicCommitteeOut(BaseModel):
    kind: CommitteeKindName
    label: str
    members: list[PublicSeatOut] = Field(description="Members in office today")
    composition: CompositionOut


class PublicCommitteeList(BaseModel):
    items: list[PublicCommitteeOut]


class CommitteeOut(BaseModel):
    id: int
    kind: CommitteeKindName
    label: str
    composition: CompositionOut
    problem: str | None = Field(description="Why no vote can be opened now, or null")


class CommitteeList(BaseModel):
    items: list[CommitteeOut]


class CommitteeDetailOut(CommitteeOut):
    seats: list[SeatOut] = Field(description="Every seat, current and past")


class CommitteeCreateIn(Strict):
    kind: CommitteeKindName


class SeatIn(Strict):
    user_id: int = Field(description="An active account with the committee member role")
    category: CategoryName
    term_start: date
    term_end: date


class SeatPatchIn(Strict):
    category: CategoryName | None = None
    term_start: date | None = None
    term_end: date | None = Field(None, description="Set to end a term early")


# --- ties -----------------------------------------------------------------------------------


class TieOut(BaseModel):
    id: int
    user_id: int
    member_id: int
    nature: NatureName
    note: str
    declared_at: datetime
    declared_by_id: int | None
    withdrawn_at: datetime | None
    active: bool

    @classmethod
    def of(cls, tie: CommitteeTie) -> TieOut:
        return cls(
            id=tie.id,
            user_id=tie.user_id,
            member_id=tie.member_id,
            nature=tie.nature,
            note=tie.note or "",
            declared_at=tie.declared_at,
            declared_by_id=tie.declared_by_id,
            withdrawn_at=tie.withdrawn_at,
            active=tie.active,
        )


class TieList(BaseModel):
    items: list[TieOut]


class MyTieIn(Strict):
    member_id: int
    nature: NatureName
    note: str = Field("", max_length=NOTE_MAX)


class TieIn(MyTieIn):
    user_id: int


class TieQuery(BaseModel):
    user_id: int | None = None
    member_id: int | None = None
    all: bool = Field(False, description="Include withdrawn ties")


# --- motions --------------------------------------------------------------------------------


class TallyOut(BaseModel):
    eligible: int
    yes: int
    no: int
    abstain: int
    did_not_vote: int
    yes_needed: int
    result: ResultName

    @classmethod
    def of(cls, motion: Motion) -> TallyOut | None:
        if not motion.is_closed:
            return None  # never before the vote closes
        return cls(
            eligible=motion.eligible_count,
            yes=motion.yes_count,
            no=motion.no_count,
            abstain=motion.abstain_count,
            did_not_vote=motion.eligible_count
            - motion.yes_count
            - motion.no_count
            - motion.abstain_count,
            yes_needed=yes_needed(motion.kind, motion.eligible_count),
            result=motion.result,
        )


class MyPartOut(BaseModel):
    in_electorate: bool
    recused: bool
    recusal_kind: RecusalName | None
    can_vote: bool
    why_not: str | None = Field(description="Why the caller may not vote now")
    my_vote: ChoiceName | None
    my_reason: str | None


class MotionOut(BaseModel):
    id: int
    committee_id: int
    committee_kind: CommitteeKindName
    title: str
    body: str
    kind: MotionKindName
    subject_type: SubjectName
    subject_ref: str | None
    member_id: int | None
    status: StatusName
    closes_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    withdrawn_at: datetime | None
    result: ResultName | None = Field(description="Null until the vote closes")
    tally: TallyOut | None = Field(description="Null until the vote closes")
    me: MyPartOut | None = Field(None, description="The calling committee member's part")

    @classmethod
    def of(cls, motion: Motion, me: MyPartOut | None = None) -> MotionOut:
        closed = motion.is_closed
        return cls(
            id=motion.id,
            committee_id=motion.committee_id,
            committee_kind=motion.committee.kind,
            title=motion.title,
            body=motion.body,
            kind=motion.kind,
            subject_type=motion.subject_type,
            subject_ref=motion.subject_ref,
            member_id=motion.member_id,
            status=motion.status,
            closes_at=motion.closes_at,
            opened_at=motion.opened_at,
            closed_at=motion.closed_at,
            withdrawn_at=motion.withdrawn_at,
            result=motion.result if closed else None,
            tally=TallyOut.of(motion),
            me=me,
        )


class MotionList(BaseModel):
    items: list[MotionOut]
    page: PageInfo


class MyMotionList(BaseModel):
    open: list[MotionOut] = Field(description="Open votes where you are in the electorate")
    closed: list[MotionOut]


class MotionQuery(PageQuery):
    status: StatusName | None = None
    committee_id: int | None = None


class MotionIn(Strict):
    committee_id: int
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field("", max_length=BODY_MAX)
    kind: MotionKindName | None = Field(
        None, description="Default: major for sanctions and code revisions, else ordinary"
    )
    subject_type: SubjectName = "other"
    subject_ref: str | None = Field(
        None, max_length=SUBJECT_REF_MAX, description="e.g. discipline_case:12"
    )
    member_id: int | None = Field(None, description="The agency concerned")
    closes_at: AwareDatetime


class MotionPatchIn(Strict):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    body: str | None = Field(None, max_length=BODY_MAX)
    kind: MotionKindName | None = None
    subject_type: SubjectName | None = None
    subject_ref: str | None = Field(None, max_length=SUBJECT_REF_MAX)
    member_id: int | None = None
    closes_at: AwareDatetime | None = None


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class VoteIn(Strict):
    choice: ChoiceName
    reason: str | None = Field(None, max_length=REASON_MAX, description="Only with no or abstain")
    password: str = Field(
        min_length=1,
        max_length=256,
        description="The voter's password again: voting needs a fresh login",
    )


class VoteOut(BaseModel):
    motion_id: int
    choice: ChoiceName
    reason: str | None
    cast_at: datetime


class VoterOut(BaseModel):
    user_id: int
    display_name: str
    category: CategoryName
    recused: bool
    recusal_kind: RecusalName | None
    has_voted: bool


class ElectorateOut(BaseModel):
    eligible: int
    voted: int
    not_voted: int
    recused: int
    voters: list[VoterOut]


class BallotOut(BaseModel):
    user_id: int
    display_name: str
    category: CategoryName
    recused: bool
    choice: ChoiceName | None
    reason: str | None
    counted: bool


class ResultOut(BaseModel):
    motion_id: int
    tally: TallyOut
    ballots: list[BallotOut]


class PublicResolutionOut(BaseModel):
    id: int
    committee_kind: CommitteeKindName
    title: str
    body: str
    kind: MotionKindName
    subject_type: SubjectName
    closed_at: datetime
    tally: TallyOut

    @classmethod
    def of(cls, motion: Motion) -> PublicResolutionOut:
        return cls(
            id=motion.id,
            committee_kind=motion.committee.kind,
            title=motion.title,
            body=motion.body,
            kind=motion.kind,
            subject_type=motion.subject_type,
            closed_at=motion.closed_at,
            tally=TallyOut.of(motion),
        )


class ResolutionList(BaseModel):
    items: list[PublicResolutionOut]
    page: PageInfo
