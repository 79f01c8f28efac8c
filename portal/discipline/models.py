"""Discipline cases, their decisions and appeals, and data-breach reports.

- `DisciplineCase`: a case against a member, opened by the secretariat from a substantiated
  complaint, an inspection, a late data-breach report or directly. It holds the findings,
  the evidence (`CaseEvidence`, files under owner type `discipline_evidence`) and the
  proposed sanction (level, measures, publication term, rectification due date). A general
  or serious proposal goes to the self-regulation committee (`motion_id`).
- `Decision`: the sanction decided (`OHA-D-2026-007`, from `DecisionCounter`, one row per
  year). Its notice starts the appeal window (`appeal_due_at`, 10 working days). It takes
  effect (`took_effect_at`/`took_effect_on`) when the window closes unused or an appeal
  fails; `status` only moves through `states.check_decision`. What the sweeps have done is
  kept in flags claimed with conditional UPDATEs (`window_warned_at`, `lifted_at`,
  `rectify_escalated_at`), so nothing is done twice.
- `Appeal`: the agency's appeal (one per decision), decided by the appeal committee within
  15 working days (`due_at`); the outcome put to the vote is stored with its motion.
- `BreachReport`: a member's report of a personal-data breach; `late` when reported more
  than 2 hours after discovery, then offered to the secretariat as a case.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime


class DecisionCounter(db.Model):
    __tablename__ = "discipline_decision_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class DisciplineCase(db.Model):
    __tablename__ = "discipline_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(80))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_breaches.id"))
    summary: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text, default="")
    # The proposal (set by `propose`, kept when a vote fails so it can be changed).
    level: Mapped[str | None] = mapped_column(String(16))
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    publication_months: Mapped[int | None] = mapped_column()
    rectify_due_on: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text, default="")
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    member = relationship("Member")
    motion = relationship("Motion")
    evidence: Mapped[list[CaseEvidence]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvidence.id"
    )
    decision: Mapped[Decision | None] = relationship(back_populates="case", uselist=False)

    @property
    def ref(self) -> str:
        return f"discipline_case:{self.id}"

    def __repr__(self) -> str:
        return f"<DisciplineCase {self.id} {self.status}>"


class CaseEvidence(db.Model):
    __tablename__ = "discipline_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[DisciplineCase] = relationship(back_populates="evidence")


class Decision(db.Model):
    __tablename__ = "discipline_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(16))
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    publication_months: Mapped[int | None] = mapped_column()
    rectify_due_on: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text, default="")
    # As first decided, when an appeal changed the sanction.
    original_level: Mapped[str | None] = mapped_column(String(16))
    original_measures: Mapped[list[str] | None] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(16))  # secretariat | committee
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    appeal_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    appeal_warn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_outcome: Mapped[str | None] = mapped_column(String(16))
    took_effect_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    took_effect_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_until: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[date | None] = mapped_column(Date)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectification_report: Mapped[str | None] = mapped_column(Text)
    rectification_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectify_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[DisciplineCase] = relationship(back_populates="decision")
    member = relationship("Member")
    appeal: Mapped[Appeal | None] = relationship(back_populates="decision", uselist=False)

    __table_args__ = (db.Index("ix_discipline_decisions_effect", "member_id", "took_effect_on"),)

    @property
    def ref(self) -> str:
        return f"discipline_decision:{self.id}"

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.number} {self.status}>"


class Appeal(db.Model):
    __tablename__ = "discipline_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("discipline_decisions.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    grounds: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    warn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The outcome put to the appeal committee's vote.
    proposed_outcome: Mapped[str | None] = mapped_column(String(16))
    proposed_level: Mapped[str | None] = mapped_column(String(16))
    proposed_measures: Mapped[list[str] | None] = mapped_column(JSON)
    proposed_publication_months: Mapped[int | None] = mapped_column()
    proposed_rectify_due_on: Mapped[date | None] = mapped_column(Date)
    proposal_reasons: Mapped[str | None] = mapped_column(Text)
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    decision: Mapped[Decision] = relationship(back_populates="appeal")
    motion = relationship("Motion")

    @property
    def ref(self) -> str:
        return f"discipline_appeal:{self.id}"


class BreachReport(db.Model):
    __tablename__ = "discipline_breaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    discovered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(default=False, index=True)
    description: Mapped[str] = mapped_column(Text)
    affected_count: Mapped[int | None] = mapped_column()
    measures_taken: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handling_note: Mapped[str | None] = mapped_column(Text)

    member = relationship("Member")

    @property
    def delay_minutes(self) -> int:
        return int((self.reported_at - self.discovered_at).total_seconds() // 60)
