"""Complaints and what hangs on them.

- `Complaint`: one complaint. The text cannot change once filed. The complainant's name, ID
  number (with a blind index), phone, e-mail and health details are encrypted at rest
  (`portal.crypto`); a member agency is referenced by `member_id` with its name copied at
  filing (`agency_name`), or `member_id` is None for an agency that is not a member.
  `submission_key` (an HMAC of the form's one-time token or of the API's Idempotency-Key)
  is unique, so a double submit cannot create two complaints. Only an argon2 hash of an
  anonymous complainant's receipt code is kept (`receipt_hash`).
- `ComplaintDeadline`: one per complaint and kind (decide; close), stored as a UTC instant
  with its provisional flag, its start and working-day count (to recompute it when the
  calendar changes), the paused time added back, the 70%/90% instants, and the flags the
  sweep sets with a conditional UPDATE (`warned_70_at`, `warned_90_at`, `escalated_at`).
- `ComplaintPause`: the clock stopped while the complainant was asked for material: when it
  started and ended, and how many working days it held (added back to the due date).
- `ComplaintMaterial`: material added after filing (text and files), each with its time and
  who added it. `ComplaintResponse`: the agency's written responses.
- `ComplaintPanelMember`: the expert panel of a complex complaint, one person per field.
- `ComplaintEvent`: the timeline; `public` events are shown to the complainant.
- `ComplaintCounter`: one row per year for the tracking numbers (TS-2026-000123).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.crypto import EncryptedBlob, EncryptedFieldsMixin, encrypted
from portal.extensions import db
from portal.types import UTCDateTime
from portal.validators import normalize_resident_id


class ComplaintCounter(db.Model):
    __tablename__ = "complaint_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Complaint(EncryptedFieldsMixin, db.Model):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    subtype: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)

    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    agency_name: Mapped[str] = mapped_column(String(200))  # the member's name at filing

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    share_identity_with_agency: Mapped[bool] = mapped_column(default=False)

    name_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    id_number_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    email_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    health_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)

    name = encrypted("name_enc")
    id_number = encrypted(
        "id_number_enc", blind_index="id_number_bidx", normalize=normalize_resident_id
    )
    phone = encrypted("phone_enc")
    email = encrypted("email_enc")
    health = encrypted("health_enc")

    receipt_hash: Mapped[str | None] = mapped_column(String(200))
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    submission_fingerprint: Mapped[str | None] = mapped_column(String(64))

    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complexity: Mapped[str | None] = mapped_column(String(8))
    rejection_code: Mapped[str | None] = mapped_column(String(32))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    material_request: Mapped[str | None] = mapped_column(Text)  # the open request, if any
    finding: Mapped[str | None] = mapped_column(String(24))
    outcome: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Set when the retention sweep erased the personal fields (portal/complaints/retention.py).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    member = relationship("Member")
    handler = relationship("User", foreign_keys=[handler_id])
    deadlines: Mapped[list[ComplaintDeadline]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintDeadline.id"
    )
    pauses: Mapped[list[ComplaintPause]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintPause.id"
    )
    materials: Mapped[list[ComplaintMaterial]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintMaterial.id"
    )
    responses: Mapped[list[ComplaintResponse]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintResponse.id"
    )
    panel: Mapped[list[ComplaintPanelMember]] = relationship(
        back_populates="complaint",
        cascade="all, delete-orphan",
        order_by="ComplaintPanelMember.field",
    )
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintEvent.id"
    )

    __table_args__ = (db.Index("ix_complaints_member_status", "member_id", "status"),)

    @property
    def is_anonymous(self) -> bool:
        """Followed with a receipt code rather than an account."""
        return self.user_id is None

    def deadline(self, kind: str) -> ComplaintDeadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)

    def __repr__(self) -> str:  # no personal data: reprs end up in logs
        return f"<Complaint {self.id} {self.tracking_number} {self.status}>"


class ComplaintDeadline(db.Model):
    __tablename__ = "complaint_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    kind: Mapped[str] = mapped_column(String(16))
    working_days: Mapped[int] = mapped_column()
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_date: Mapped[date] = mapped_column(Date)  # Asia/Shanghai date of start_at
    base_due_date: Mapped[date] = mapped_column(Date)  # without any pause
    due_date: Mapped[date] = mapped_column(Date)  # with the paused working days added back
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    provisional: Mapped[bool] = mapped_column(default=False)
    paused_working_days: Mapped[int] = mapped_column(default=0)
    paused_seconds: Mapped[int] = mapped_column(default=0)  # finished pauses, wall time
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at_70: Mapped[datetime] = mapped_column(UTCDateTime)  # when 70% is reached, if not paused
    at_90: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    warned_70_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warned_90_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship(back_populates="deadlines")
    pauses: Mapped[list[ComplaintPause]] = relationship(
        back_populates="deadline", order_by="ComplaintPause.id"
    )

    __table_args__ = (UniqueConstraint("complaint_id", "kind"),)

    @property
    def is_open(self) -> bool:
        return self.met_at is None

    @property
    def met_on_time(self) -> bool | None:
        return None if self.met_at is None else self.met_at <= self.due_at


class ComplaintPause(db.Model):
    __tablename__ = "complaint_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("complaint_deadlines.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    working_days_held: Mapped[int | None] = mapped_column()

    complaint: Mapped[Complaint] = relationship(back_populates="pauses")
    deadline: Mapped[ComplaintDeadline] = relationship(back_populates="pauses")


class ComplaintMaterial(db.Model):
    __tablename__ = "complaint_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_role: Mapped[str] = mapped_column(String(16))  # complainant | staff
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    complaint: Mapped[Complaint] = relationship(back_populates="materials")


class ComplaintResponse(db.Model):
    __tablename__ = "complaint_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    complaint: Mapped[Complaint] = relationship(back_populates="responses")


class ComplaintPanelMember(db.Model):
    __tablename__ = "complaint_panel_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="panel")
    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (UniqueConstraint("complaint_id", "field"),)


class ComplaintEvent(db.Model):
    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(default=True)
    actor_role: Mapped[str] = mapped_column(String(16))  # public, worker, staff, system...
    note: Mapped[str | None] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class ComplaintCorrection(EncryptedFieldsMixin, db.Model):
    """A complainant's request to correct one personal field (portal/complaints/privacy.py).

    The proposed value and the reason are personal data, so they are encrypted like the
    complaint's own fields; staff accept (the field is updated) or refuse with a reason."""

    __tablename__ = "complaint_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    proposed_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    reason_enc: Mapped[bytes | None] = mapped_column(EncryptedBlob)
    status: Mapped[str] = mapped_column(String(12), index=True, default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    proposed = encrypted("proposed_enc")
    reason = encrypted("reason_enc")

    complaint: Mapped[Complaint] = relationship()

    def __repr__(self) -> str:  # no personal data
        return f"<ComplaintCorrection {self.id} {self.field} {self.status}>"
