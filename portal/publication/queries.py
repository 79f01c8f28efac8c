"""The public lists: the blacklist and the decisions, searched, filtered and paginated, and
an agency's public record for its profile."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, extract, or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from portal import clock, text_search
from portal.database import PLAN_FOR_PARAMETERS
from portal.errors import NotFound
from portal.extensions import db
from portal.members.models import Member
from portal.members.regions import PROVINCES
from portal.publication import constants as c
from portal.publication.facts import in_force_condition
from portal.publication.models import CreditRepair, FactDispute, PublicEntry
from portal.publication.states import RepairStatus


def _clean_q(q: str | None) -> str:
    return " ".join((q or "").split())[: c.Q_MAX]


@dataclass(frozen=True)
class BlacklistFilters:
    q: str = ""
    province: str | None = None

    @classmethod
    def clean(cls, q=None, province=None) -> BlacklistFilters:
        return cls(q=_clean_q(q), province=province if province in PROVINCES else None)

    @property
    def active(self) -> bool:
        return bool(self.q or self.province)


@dataclass(frozen=True)
class DecisionFilters:
    q: str = ""
    level: str | None = None
    year: int | None = None

    @classmethod
    def clean(cls, q=None, level=None, year=None) -> DecisionFilters:
        try:
            year_value = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            year_value = None
        if year_value is not None and not 2000 <= year_value <= 2100:
            year_value = None
        return cls(
            q=_clean_q(q),
            level=level if level in set(c.Level) else None,
            year=year_value,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.level or self.year)


MEMBER_SHOWN = (Member.name, Member.member_no, Member.province)


def _with_member(stmt, q: str, province: str | None = None):
    """Search by the agency's name or number, the decision's number or title, and filter by
    the agency's province. The search reads the register alone (the agency's name is copied
    into it, its number is looked up once), so counting the matches never reads every
    member; only the province joins the member (and the same join loads it). Of the member,
    the lists show only `MEMBER_SHOWN`: the rest is not read (and raises if touched)."""
    if province:
        stmt = stmt.join(PublicEntry.member).options(
            contains_eager(PublicEntry.member).load_only(*MEMBER_SHOWN, raiseload=True)
        )
        stmt = stmt.where(Member.province == province)
    else:
        stmt = stmt.options(
            joinedload(PublicEntry.member, innerjoin=True).load_only(*MEMBER_SHOWN, raiseload=True)
        )
    if not q:
        return stmt
    numbered = select(Member.id).where(Member.member_no == q.upper()).scalar_subquery()
    # planned for each term: a common one and a rare one want different plans
    stmt = stmt.execution_options(**{PLAN_FOR_PARAMETERS: True})
    return stmt.where(
        or_(
            text_search.contains(PublicEntry.member_name, q),
            PublicEntry.member_id == numbered,
            PublicEntry.decision_no == q.upper(),
            text_search.contains(PublicEntry.title, q),
        )
    )


def blacklist(filters: BlacklistFilters):
    """Blacklist entries in their publication term today, newest first."""
    return _blacklist_on(filters, clock.today())


@lru_cache(maxsize=256)
def _blacklist_on(filters: BlacklistFilters, today):
    # Built once per search and day: a statement is immutable, and building one (and its
    # cache key) costs about a tenth of the open-data API's request.
    stmt = select(PublicEntry).where(PublicEntry.blacklist.is_(True), in_force_condition(today))
    stmt = _with_member(stmt, filters.q, filters.province)
    return stmt.order_by(PublicEntry.took_effect_on.desc(), PublicEntry.id.desc())


def decisions(filters: DecisionFilters):
    """Every published decision that has taken effect (in force or in history), newest first."""
    stmt = select(PublicEntry).where(PublicEntry.took_effect_on <= clock.today())
    stmt = _with_member(stmt, filters.q)
    if filters.level:
        stmt = stmt.where(PublicEntry.level == filters.level)
    if filters.year:
        stmt = stmt.where(extract("year", PublicEntry.took_effect_on) == filters.year)
    return stmt.order_by(PublicEntry.took_effect_on.desc(), PublicEntry.id.desc())


def years() -> list[int]:
    dates = db.session.scalars(select(PublicEntry.took_effect_on).distinct())
    return sorted({d.year for d in dates}, reverse=True)


def decision(decision_no: str) -> PublicEntry:
    entry = db.session.scalar(
        select(PublicEntry).where(
            PublicEntry.decision_no == (decision_no or "").strip(),
            PublicEntry.took_effect_on <= clock.today(),
        )
    )
    if entry is None:
        raise NotFound(_("No published decision has this number."))
    return entry


def granted_repair(entry: PublicEntry) -> CreditRepair | None:
    return db.session.scalar(
        select(CreditRepair).where(
            CreditRepair.entry_id == entry.id, CreditRepair.status == RepairStatus.GRANTED.value
        )
    )


def corrections(entry: PublicEntry) -> list[FactDispute]:
    """Disputes answered with a correction: published beside the entry."""
    return list(
        db.session.scalars(
            select(FactDispute)
            .where(FactDispute.entry_id == entry.id, FactDispute.corrected.is_(True))
            .order_by(FactDispute.answered_at)
        )
    )


@dataclass(frozen=True)
class PublicRecord:
    in_force: list[PublicEntry]
    history: list[PublicEntry]

    @property
    def blacklisted(self) -> bool:
        """On the blacklist today (as `facts.blacklisted_condition` says, from these rows)."""
        return any(entry.blacklist for entry in self.in_force)


@cache
def _record_statement():
    """Built once (a profile is read often); the member and the day are bound per call."""
    return (
        select(PublicEntry)
        .options(lazyload(PublicEntry.member))  # the profile's member: in the session already
        .where(
            PublicEntry.member_id == bindparam("member_id"),
            PublicEntry.took_effect_on <= bindparam("today"),
        )
        .order_by(PublicEntry.took_effect_on.desc(), PublicEntry.id.desc())
    )


def record_of(member_id: int) -> PublicRecord:
    """A member's public sanctions today and its ended ones (for the profile)."""
    today = clock.today()
    entries = db.session.scalars(
        _record_statement(), {"member_id": member_id, "today": today}
    ).all()
    return PublicRecord(
        in_force=[e for e in entries if e.in_force(today)],
        history=[e for e in entries if not e.in_force(today)],
    )


def repairs_granted_since(limit: int = 50) -> list[CreditRepair]:
    return list(
        db.session.scalars(
            select(CreditRepair)
            .options(selectinload(CreditRepair.entry))
            .where(CreditRepair.status == RepairStatus.GRANTED.value)
            .order_by(CreditRepair.decided_at.desc())
            .limit(limit)
        )
    )
