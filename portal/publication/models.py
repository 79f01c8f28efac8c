"""Published decisions and what agencies do about them.

- `PublicEntry`: one published disciplinary decision (general or serious). It is on the public
  lists on day d when `took_effect_on <= d <= published_until` and it has not ended early
  (`ended_on` is None or after d). Ending early (withdrawn after an appeal revoked it, or
  credit repair granted) sets `ended_on`, `end_reason`, `end_note`, `ended_at`; nothing is
  deleted, so the entry stays in history. `term_end_recorded_at` marks that the end of its
  term has been written to the audit log (once).
  The agency's statement lives on the entry (one, replaceable, at most 500 characters).
  `member_name` copies the agency's current name for searching (see `_register_names`).
- `FactDispute`: the agency says the entry gets a fact wrong; the secretariat answers.
- `CreditRepair`: an application to end the publication early, with proof of rectification
  (stored files, owner type `credit_repair`) and a signed credit commitment; decided by the
  secretariat within 10 working days (`due_at`, warned at `warn_at`, escalated when passed).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, event, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.members.models import Member
from portal.publication import constants as c
from portal.publication.states import DisputeStatus, RepairStatus
from portal.types import UTCDateTime


class PublicEntry(db.Model):
    __tablename__ = "public_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # The agency's current name, kept in step by `_register_names`: a search of the register
    # reads this table alone instead of joining every member to count the matches.
    member_name: Mapped[str] = mapped_column(String(100))
    decision_no: Mapped[str] = mapped_column(String(c.DECISION_NO_MAX), unique=True)
    source_ref: Mapped[str] = mapped_column(String(c.SOURCE_REF_MAX), unique=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(String(c.TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    took_effect_on: Mapped[date] = mapped_column(Date, index=True)
    published_until: Mapped[date] = mapped_column(Date, index=True)
    blacklist: Mapped[bool] = mapped_column(default=False)
    appeal_outcome: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    end_note: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    term_end_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    statement: Mapped[str | None] = mapped_column(Text)
    statement_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    statement_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    member: Mapped[Member] = relationship(lazy="joined", innerjoin=True)

    # The blacklist in its term, newest first. On PostgreSQL the index also holds what the
    # blacklist's search and "in force" test read, so counting the matches (every page shows
    # the total) reads the index alone, not each entry's row.
    __table_args__ = (
        db.Index(
            "ix_public_entries_term",
            "blacklist",
            "took_effect_on",
            "published_until",
            # bounded columns: an entry stays far below a B-tree row's 2,700 bytes
            postgresql_include=["ended_on", "member_id", "member_name", "decision_no", "title"],
        ),
    )

    def in_force(self, on: date) -> bool:
        return self.took_effect_on <= on <= self.published_until and (
            self.ended_on is None or self.ended_on > on
        )

    def status_on(self, on: date) -> str:
        """The state on day `on`: upcoming, in_force, term_ended, or the early end's reason."""
        if self.ended_on is not None and self.ended_on <= on:
            return self.end_reason or c.END_WITHDRAWN
        if on < self.took_effect_on:
            return "upcoming"
        if on > self.published_until:
            return "term_ended"
        return "in_force"

    @property
    def year(self) -> int:
        return self.took_effect_on.year

    def __repr__(self) -> str:
        return f"<PublicEntry {self.id} {self.decision_no} {self.level}>"


class FactDispute(db.Model):
    __tablename__ = "public_entry_disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("public_entries.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DisputeStatus.OPEN.value, index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    corrected: Mapped[bool | None] = mapped_column()
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entry: Mapped[PublicEntry] = relationship(lazy="joined", innerjoin=True)


class CreditRepair(db.Model):
    __tablename__ = "credit_repairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("public_entries.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(
        String(16), default=RepairStatus.SUBMITTED.value, index=True
    )
    rectification: Mapped[str] = mapped_column(Text)
    commitment_name: Mapped[str] = mapped_column(String(c.SIGNATURE_MAX))
    commitment_signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    due_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    warn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[PublicEntry] = relationship(lazy="joined", innerjoin=True)

    @property
    def overdue(self) -> bool:
        return self.status == RepairStatus.SUBMITTED and clock.now() > self.due_at


@event.listens_for(Session, "before_flush")
def _register_names(session: Session, flush_context, instances) -> None:
    """A renamed agency is renamed in the register in the same flush (and transaction)."""
    for member in session.dirty:
        if isinstance(member, Member) and inspect(member).attrs.name.history.has_changes():
            session.connection().execute(
                update(PublicEntry.__table__)
                .where(PublicEntry.__table__.c.member_id == member.id)
                .values(member_name=member.name)
            )
