"""The inspector pool, the yearly draws and the inspections (双随机, 一公开).

- `Inspector`: a person in the pool that administrators maintain, with a public code
  (e.g. "INS-007") under which the draw publishes them.
- `InspectionDraw`: one per year. It keeps everything needed to re-run it: the seed, the
  sorted member list (membership numbers), the sorted pool (inspector codes), who was
  excluded from which drawn member for a tie, the share and the inspectors per member.
- `Inspection`: one drawn member, in draw order, with its inspectors
  (`InspectionAssignment`) and, once recorded, the result: findings (minor, major, a public
  summary) and the report accuracy measured, in tenths of a percent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime


class Inspector(db.Model):
    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])


class InspectionDraw(db.Model):
    __tablename__ = "inspection_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    seed: Mapped[str] = mapped_column(String(64))
    percent: Mapped[int] = mapped_column(default=20)
    per_member: Mapped[int] = mapped_column(default=2)
    population: Mapped[list[str]] = mapped_column(JSON, default=list)
    pool: Mapped[list[str]] = mapped_column(JSON, default=list)
    exclusions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    inspections: Mapped[list[Inspection]] = relationship(
        back_populates="draw", cascade="all, delete-orphan", order_by="Inspection.position"
    )


class Inspection(db.Model):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("inspection_draws.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    position: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="drawn", index=True)
    inspected_on: Mapped[date | None] = mapped_column(Date)
    minor_findings: Mapped[int] = mapped_column(default=0)
    major_findings: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    accuracy_tenths: Mapped[int | None] = mapped_column()
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    draw: Mapped[InspectionDraw] = relationship(back_populates="inspections")
    member = relationship("Member")
    assignments: Mapped[list[InspectionAssignment]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="InspectionAssignment.position",
    )

    __table_args__ = (UniqueConstraint("draw_id", "member_id"),)

    @property
    def accuracy(self) -> float | None:
        return None if self.accuracy_tenths is None else self.accuracy_tenths / 10


class InspectionAssignment(db.Model):
    __tablename__ = "inspection_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    inspection: Mapped[Inspection] = relationship(back_populates="assignments")
    inspector: Mapped[Inspector] = relationship()
