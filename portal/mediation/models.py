"""Mediation cases and their case file.

- `MediationCase`: one per complaint that went to mediation (`complaint_id` unique). Each
  party's consent (time, and the agency user who gave it), the first-session deadline
  (3 working days from the complaint's acceptance, stored as a UTC instant with its 70%/90%
  instants and the flags the sweep sets once), the agreement (current text, its version,
  each party's confirmation with its time, frozen with its SHA-256 once both confirmed, the
  judicial-confirmation mark) or the failure (reason, the notice of the right to sue, what
  became of the complaint).
- `MediationPanelSeat`: the current panel: one row per person, with the mediation
  committee category they sit in and why they were chosen. Changes are audited.
- `MediationSession`: date, place or online link, attendance and when it was held.
- `MediationDocument`: append-only: documents, evidence, minutes, agreement texts and the
  notice, each with its SHA-256 (of the file, or of the text). A correction is a new row
  with the same `key` and the next `version`; the old one stays.
- `MediationEvent`: the case's timeline; `public` events are shown to the parties.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime


class MediationCase(db.Model):
    __tablename__ = "mediation_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    complainant_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agency_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agency_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_by: Mapped[str | None] = mapped_column(String(16))  # complainant | agency
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    panel_explanation: Mapped[list | None] = mapped_column(JSON)

    # The first session: within 3 working days of the complaint's acceptance.
    first_due_start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_due_date: Mapped[date] = mapped_column(Date)
    first_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_due_provisional: Mapped[bool] = mapped_column(default=False)
    at_70: Mapped[datetime] = mapped_column(UTCDateTime)
    at_90: Mapped[datetime] = mapped_column(UTCDateTime)
    first_session_met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warned_70_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warned_90_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agreement_text: Mapped[str | None] = mapped_column(Text)
    agreement_version: Mapped[int] = mapped_column(default=0)
    complainant_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agency_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agency_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreement_frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreement_sha256: Mapped[str | None] = mapped_column(String(64))
    judicial_confirmation: Mapped[bool] = mapped_column(default=False)
    judicial_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    notice_text: Mapped[str | None] = mapped_column(Text)
    complaint_after: Mapped[str | None] = mapped_column(String(16))  # resume | close
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    complaint = relationship("Complaint")
    member = relationship("Member")
    panel: Mapped[list[MediationPanelSeat]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationPanelSeat.id"
    )
    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationSession.number"
    )
    documents: Mapped[list[MediationDocument]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationDocument.id"
    )
    events: Mapped[list[MediationEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationEvent.id"
    )

    __table_args__ = (db.Index("ix_mediation_cases_status_due", "status", "first_due_at"),)

    def __repr__(self) -> str:
        return f"<MediationCase {self.id} {self.number} {self.status}>"


class MediationPanelSeat(db.Model):
    __tablename__ = "mediation_panel_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[MediationCase] = relationship(back_populates="panel")
    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (UniqueConstraint("case_id", "user_id"),)


class MediationSession(db.Model):
    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(300), default="")
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[dict | None] = mapped_column(JSON)
    minutes_document_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_documents.id"))

    case: Mapped[MediationCase] = relationship(back_populates="sessions")

    __table_args__ = (UniqueConstraint("case_id", "number"),)


class MediationDocument(db.Model):
    __tablename__ = "mediation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_role: Mapped[str] = mapped_column(String(16))

    case: Mapped[MediationCase] = relationship(back_populates="documents")
    file = relationship("StoredFile")

    __table_args__ = (UniqueConstraint("case_id", "key", "version"),)


class MediationEvent(db.Model):
    __tablename__ = "mediation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(default=True)
    actor_role: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[MediationCase] = relationship(back_populates="events")
