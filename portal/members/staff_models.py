"""A member's professionals: certificates, training hours and annual examinations.

Staff records belong to the agency (`Member`), so an agency lists its staff while it is
still applying. Names are shown to the agency and the secretariat only, never published
and never written to the audit log.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime

PRE_JOB = "pre_job"
CONTINUING = "continuing"
TRAINING_KINDS = (PRE_JOB, CONTINUING)


class StaffMember(db.Model):
    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(32))
    experience_years: Mapped[float | None] = mapped_column()
    first_assignment: Mapped[date | None] = mapped_column(Date)
    # The latest annual examination was failed: set and cleared by the exam service.
    practice_suspended: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    certificates: Mapped[list[StaffCertificate]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="StaffCertificate.id"
    )
    training: Mapped[list[TrainingRecord]] = relationship(
        back_populates="staff",
        cascade="all, delete-orphan",
        order_by="(TrainingRecord.completed_on, TrainingRecord.id)",
    )
    exams: Mapped[list[ExamRecord]] = relationship(
        back_populates="staff",
        cascade="all, delete-orphan",
        order_by="(ExamRecord.taken_on, ExamRecord.id)",
    )

    def __repr__(self) -> str:  # no name: reprs end up in logs
        return f"<StaffMember {self.id} {self.role}>"


class StaffCertificate(db.Model):
    __tablename__ = "staff_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    code: Mapped[str] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(60))
    valid_to: Mapped[date | None] = mapped_column(Date, index=True)

    staff: Mapped[StaffMember] = relationship(back_populates="certificates")

    __table_args__ = (UniqueConstraint("staff_id", "code"),)


class TrainingRecord(db.Model):
    __tablename__ = "staff_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    hours: Mapped[float] = mapped_column()
    completed_on: Mapped[date] = mapped_column(Date)
    course: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    staff: Mapped[StaffMember] = relationship(back_populates="training")


class ExamRecord(db.Model):
    __tablename__ = "staff_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    staff: Mapped[StaffMember] = relationship(back_populates="exams")
