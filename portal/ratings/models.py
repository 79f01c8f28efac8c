"""Yearly figures, rating runs and rating results.

- `YearlyFigures`: one row per member and year: the service figures the member files
  (enterprises served, workers examined, reports issued, reports corrected after issue,
  abnormal results). Filed and amended by the member until the secretariat validates them;
  the secretariat may correct them at any time, with a reason. `FiguresChange` keeps every
  version (who, when, why, before and after) so the member sees what changed.
- `RatingRun`: one computation of a year (scheduled, command, staff page or API), with
  what it changed and a digest of every result it left.
- `RatingResult`: one member's rating for one year (the history is one row per year):
  score in tenths, stars, grade, and the components with the figures behind them (JSON).
  A recomputation updates the row only when something changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime

FIGURE_FIELDS = (
    "enterprises_served",
    "workers_examined",
    "reports_issued",
    "reports_corrected",
    "abnormal_results",
)


class YearlyFigures(db.Model):
    __tablename__ = "rating_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    enterprises_served: Mapped[int] = mapped_column(default=0)
    workers_examined: Mapped[int] = mapped_column(default=0)
    reports_issued: Mapped[int] = mapped_column(default=0)
    reports_corrected: Mapped[int] = mapped_column(default=0)
    abnormal_results: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="filed", index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member = relationship("Member")
    changes: Mapped[list[FiguresChange]] = relationship(
        back_populates="figures", cascade="all, delete-orphan", order_by="FiguresChange.id"
    )

    __table_args__ = (UniqueConstraint("member_id", "year"),)

    def values(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


class FiguresChange(db.Model):
    __tablename__ = "rating_figure_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    figures_id: Mapped[int] = mapped_column(ForeignKey("rating_figures.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # filed | amended | validated | corrected
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    figures: Mapped[YearlyFigures] = relationship(back_populates="changes")
    actor = relationship("User")


class RatingRun(db.Model):
    __tablename__ = "rating_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    trigger: Mapped[str] = mapped_column(String(16))  # schedule | command | staff | api
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    members: Mapped[int] = mapped_column(default=0)
    rated: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(64), default="")


class RatingResult(db.Model):
    __tablename__ = "rating_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    year: Mapped[int] = mapped_column()
    rated: Mapped[bool] = mapped_column(default=False)
    score_tenths: Mapped[int] = mapped_column(default=0)
    stars: Mapped[int | None] = mapped_column(index=True)
    grade: Mapped[str] = mapped_column(String(12), index=True)
    blacklisted: Mapped[bool] = mapped_column(default=False)
    services: Mapped[int | None] = mapped_column()
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    reference_day: Mapped[str] = mapped_column(String(10))
    # A hash of everything above, so a recomputation compares one column, not the JSON.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # The run that wrote the row. No foreign key: checked row by row, it cost a yearly run
    # of 20,000 members 70 ms, a tenth of the run, and guarded nothing the code does not:
    # runs are never deleted, and a run writes its own id, in the same transaction.
    run_id: Mapped[int] = mapped_column()
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    member = relationship("Member")

    __table_args__ = (
        UniqueConstraint("member_id", "year"),
        db.Index("ix_rating_results_year_grade", "year", "grade"),
    )

    @property
    def score(self) -> float | None:
        return self.score_tenths / 10 if self.rated else None
