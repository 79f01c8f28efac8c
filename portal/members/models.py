"""Members (the agencies), their users, their applications and their approved credentials.

- `Member`: the agency. It exists from its first application on (so that its staff can be
  listed while it applies); it becomes a member when an application is approved and gets
  its membership number (`member_no`). The directory lists only members with a number.
- `MemberUser`: which agency a member user belongs to (one agency per user).
- `Application`: one application (new, renewal or change) with its draft as JSON: what the
  applicant typed, as typed, valid or not, so nothing is lost. `ApplicationDocument` holds
  which stored file is which scan.
- On approval the draft becomes rows: `Credential` (the qualification certificate, ISO 9001,
  the industry certification and every instrument calibration, with `valid_to` indexed for
  the expiry sweep), `MemberScope` (the approved hazard categories, indexed for the
  directory filter) and `MemberQualityDocument`.
- `MembershipCounter`: one row per year, incremented in the approving transaction.
- `ReminderSent`: which expiry reminder went out for which credential (unique), so the
  sweep sends each once.
- `ForbiddenPhrase`: the absolute claims administrators add to the built-in list.
- `DraftRescue`: what a person typed into a wizard step when their session had ended,
  kept until they sign in again (see `portal.members.rescue`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from portal import clock
from portal.extensions import db
from portal.members.states import ApplicationKind, ApplicationStatus
from portal.types import UTCDateTime

MEMBER_NO_PREFIX = "OHA"
PROFILE_TEXT_MAX = 2000


class Member(db.Model):
    __tablename__ = "members"
    # The directory lists a province's members by number: this index serves that order, so
    # a page stops after its rows instead of walking every member. On PostgreSQL it also
    # holds what the directory's search reads, so counting a search's matches in a province
    # reads the index alone, not each member's row.
    __table_args__ = (
        db.Index(
            "ix_members_province_member_no",
            "province",
            "member_no",
            postgresql_include=["name", "credit_code", "expelled_at"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    agency_type: Mapped[str | None] = mapped_column(String(32), index=True)
    province: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(40))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    member_no: Mapped[str | None] = mapped_column(String(20), unique=True)
    premises_m2: Mapped[float | None] = mapped_column()
    exam_rooms: Mapped[int | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    credentials_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    qualification_lapsed: Mapped[bool] = mapped_column(default=False, index=True)
    lapsed_since: Mapped[date | None] = mapped_column(Date)
    suspended: Mapped[bool] = mapped_column(default=False, index=True)
    # Set by discipline: the day a suspension ends, and when an expulsion ended membership.
    suspended_until: Mapped[date | None] = mapped_column(Date)
    expelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    profile_text: Mapped[str] = mapped_column(Text, default="")
    profile_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    scopes: Mapped[list[MemberScope]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberScope.category"
    )
    # The directory's page query fills this with the scope categories, comma-separated, so
    # that a page of members needs no second query for their scopes; None elsewhere.
    scope_list: Mapped[str | None] = query_expression()
    credentials: Mapped[list[Credential]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Credential.id"
    )
    quality_documents: Mapped[list[MemberQualityDocument]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    @property
    def is_member(self) -> bool:
        return self.member_no is not None

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.member_no or 'applicant'}>"


class MemberUser(db.Model):
    __tablename__ = "member_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Application(db.Model):
    __tablename__ = "member_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ApplicationKind.NEW.value)
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.DRAFT.value)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_step: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    member_no_issued: Mapped[str | None] = mapped_column(String(20))

    member: Mapped[Member] = relationship()
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )

    __table_args__ = (db.Index("ix_member_applications_queue", "status", "submitted_at"),)

    @property
    def status_enum(self) -> ApplicationStatus:
        return ApplicationStatus(self.status)

    @property
    def kind_enum(self) -> ApplicationKind:
        return ApplicationKind(self.kind)

    def document(self, slot: str) -> ApplicationDocument | None:
        return next((doc for doc in self.documents if doc.slot == slot), None)

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.kind} {self.status}>"


class ApplicationDocument(db.Model):
    """Which stored file is which scan of an application (one file per slot)."""

    __tablename__ = "member_application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("member_applications.id"))
    slot: Mapped[str] = mapped_column(String(60))
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    application: Mapped[Application] = relationship(back_populates="documents")
    stored_file = relationship("StoredFile")

    __table_args__ = (UniqueConstraint("application_id", "slot"),)


class MembershipCounter(db.Model):
    __tablename__ = "membership_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


# Credential kinds (Credential.kind)
QUALIFICATION = "qualification"
ISO9001 = "iso9001"
INDUSTRY = "industry_certification"
CALIBRATION = "calibration"
CREDENTIAL_KINDS = (QUALIFICATION, ISO9001, INDUSTRY, CALIBRATION)


class Credential(db.Model):
    """One approved, dated credential of a member."""

    __tablename__ = "member_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("member_applications.id"))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(40))  # the instrument kind
    serial_number: Mapped[str | None] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, index=True)
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))

    member: Mapped[Member] = relationship(back_populates="credentials")

    __table_args__ = (db.Index("ix_member_credentials_member_kind", "member_id", "kind"),)


class MemberScope(db.Model):
    """One approved hazard category of a member."""

    __tablename__ = "member_scopes"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)

    member: Mapped[Member] = relationship(back_populates="scopes")

    __table_args__ = (db.Index("ix_member_scopes_category", "category", "member_id"),)


class MemberQualityDocument(db.Model):
    __tablename__ = "member_quality_documents"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    document: Mapped[str] = mapped_column(String(32), primary_key=True)
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))

    member: Mapped[Member] = relationship(back_populates="quality_documents")


class ReminderSent(db.Model):
    """An expiry reminder that went out: each (credential, stage) once."""

    __tablename__ = "reminders_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_ref: Mapped[str] = mapped_column(String(80))
    stage: Mapped[int] = mapped_column()
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    expires_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (UniqueConstraint("credential_ref", "stage"),)


class ForbiddenPhrase(db.Model):
    __tablename__ = "forbidden_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class DraftRescue(db.Model):
    __tablename__ = "member_draft_rescues"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    application_id: Mapped[int] = mapped_column()
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
