"""Committees, their seats and their members' ties; motions, their electorate and votes.

- `Committee`: one per kind (self-regulation, appeal, mediation).
- `CommitteeSeat`: a committee-role user's seat, with its category and term of office
  (in office on a day D when term_start <= D <= term_end, in Asia/Shanghai dates).
- `CommitteeTie`: a person's declared tie to a member agency (by the person or recorded by
  an administrator); it recuses them from votes about that agency until withdrawn.
- `Motion`: a matter put to a committee's vote; the tally and the result are stored on it
  when it closes (and only then).
- `MotionVoter`: the electorate, snapshotted when the motion opens: who was in office,
  and who of them is recused and why. `reminded_at` marks the reminder as sent.
- `Vote`: one per voter per motion (unique); its composite foreign key makes a vote by
  someone outside the electorate impossible at the database level.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.committees.states import (
    Choice,
    CommitteeKind,
    MotionKind,
    MotionResult,
    MotionStatus,
    RecusalKind,
    SeatCategory,
    SubjectType,
    TieNature,
)
from portal.extensions import db
from portal.types import UTCDateTime

TITLE_MAX = 200
BODY_MAX = 20_000
REASON_MAX = 1000
NOTE_MAX = 500
SUBJECT_REF_MAX = 80


class Committee(db.Model):
    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    seats: Mapped[list[CommitteeSeat]] = relationship(
        back_populates="committee", order_by="CommitteeSeat.id"
    )

    @property
    def kind_enum(self) -> CommitteeKind:
        return CommitteeKind(self.kind)

    @property
    def label(self) -> str:
        return self.kind_enum.label

    def __repr__(self) -> str:
        return f"<Committee {self.id} {self.kind}>"


class CommitteeSeat(db.Model):
    __tablename__ = "committee_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    committee: Mapped[Committee] = relationship(back_populates="seats")
    user = relationship("User")

    @property
    def category_enum(self) -> SeatCategory:
        return SeatCategory(self.category)

    def in_office(self, on: date) -> bool:
        return self.term_start <= on <= self.term_end

    def __repr__(self) -> str:
        return f"<CommitteeSeat {self.id} committee={self.committee_id} user={self.user_id}>"


class CommitteeTie(db.Model):
    __tablename__ = "committee_ties"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    nature: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
    member = relationship("Member")

    @property
    def nature_enum(self) -> TieNature:
        return TieNature(self.nature)

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def self_declared(self) -> bool:
        return self.declared_by_id == self.user_id


class Motion(db.Model):
    __tablename__ = "motions"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_ref: Mapped[str | None] = mapped_column(String(SUBJECT_REF_MAX), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=MotionStatus.DRAFT.value)
    result: Mapped[str | None] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    # The tally, stored when the motion closes; None before.
    eligible_count: Mapped[int | None] = mapped_column()
    yes_count: Mapped[int | None] = mapped_column()
    no_count: Mapped[int | None] = mapped_column()
    abstain_count: Mapped[int | None] = mapped_column()

    committee: Mapped[Committee] = relationship()
    member = relationship("Member")
    voters: Mapped[list[MotionVoter]] = relationship(
        back_populates="motion", order_by="MotionVoter.id"
    )

    __table_args__ = (db.Index("ix_motions_status_closes_at", "status", "closes_at"),)

    @property
    def status_enum(self) -> MotionStatus:
        return MotionStatus(self.status)

    @property
    def kind_enum(self) -> MotionKind:
        return MotionKind(self.kind)

    @property
    def subject_enum(self) -> SubjectType:
        return SubjectType(self.subject_type)

    @property
    def result_enum(self) -> MotionResult | None:
        return MotionResult(self.result) if self.result else None

    @property
    def is_closed(self) -> bool:
        return self.status == MotionStatus.CLOSED

    def __repr__(self) -> str:
        return f"<Motion {self.id} {self.status}>"


class MotionVoter(db.Model):
    __tablename__ = "motion_voters"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("committee_seats.id"))
    category: Mapped[str] = mapped_column(String(32))
    recused: Mapped[bool] = mapped_column(default=False)
    recusal_kind: Mapped[str | None] = mapped_column(String(16))
    recusal_reason: Mapped[str | None] = mapped_column(Text)
    recused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    motion: Mapped[Motion] = relationship(back_populates="voters")
    user = relationship("User")

    __table_args__ = (UniqueConstraint("motion_id", "user_id"),)

    @property
    def category_enum(self) -> SeatCategory:
        return SeatCategory(self.category)

    @property
    def recusal_enum(self) -> RecusalKind | None:
        return RecusalKind(self.recusal_kind) if self.recusal_kind else None

    @property
    def recusal_text(self) -> str:
        """Why the voter is recused, for display (a tie shows its nature)."""
        if self.recusal_kind == RecusalKind.TIE and self.recusal_reason in set(TieNature):
            return TieNature(self.recusal_reason).label
        return self.recusal_reason or ""


class Vote(db.Model):
    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    voter = relationship("User")

    __table_args__ = (
        UniqueConstraint("motion_id", "voter_id"),
        ForeignKeyConstraint(
            ["motion_id", "voter_id"], ["motion_voters.motion_id", "motion_voters.user_id"]
        ),
    )

    @property
    def choice_enum(self) -> Choice:
        return Choice(self.choice)
