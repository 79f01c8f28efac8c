"""The public member directory and profiles: approved members only, from indexed rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload, with_expression

from portal import text_search
from portal.errors import NotFound
from portal.extensions import db
from portal.members.constants import AgencyType, HazardCategory
from portal.members.models import (
    INDUSTRY,
    ISO9001,
    QUALIFICATION,
    Credential,
    Member,
    MemberScope,
)
from portal.members.regions import PROVINCES
from portal.validators import normalize_credit_code

STATUSES = ("active", "lapsed", "suspended")
Q_MAX = 100


@dataclass(frozen=True)
class Filters:
    q: str = ""
    province: str | None = None
    agency_type: str | None = None
    scope: str | None = None
    status: str | None = None

    @classmethod
    def clean(cls, q=None, province=None, agency_type=None, scope=None, status=None) -> Filters:
        """Unknown filter values are dropped (a stale link still shows a list)."""
        return cls(
            q=" ".join((q or "").split())[:Q_MAX],
            province=province if province in PROVINCES else None,
            agency_type=agency_type if agency_type in set(AgencyType) else None,
            scope=scope if scope in set(HazardCategory) else None,
            status=status if status in STATUSES else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.province or self.agency_type or self.scope or self.status)


@lru_cache(maxsize=256)
def search(filters: Filters):
    """The directory's statement for `filters`, built once per search (as the blacklist's:
    building a statement and its cache key is a tenth of a page)."""
    # An expelled agency (discipline) is no longer a member: off the directory.
    stmt = select(Member).where(Member.member_no.is_not(None), Member.expelled_at.is_(None))
    if filters.q:
        code = normalize_credit_code(filters.q)
        stmt = stmt.where(
            or_(
                text_search.contains(Member.name, filters.q),
                Member.credit_code == code,
                Member.member_no == filters.q.upper(),
            )
        )
    if filters.province:
        stmt = stmt.where(Member.province == filters.province)
    if filters.agency_type:
        stmt = stmt.where(Member.agency_type == filters.agency_type)
    if filters.scope:
        stmt = stmt.where(
            exists().where(
                MemberScope.member_id == Member.id, MemberScope.category == filters.scope
            )
        )
    if filters.status == "active":
        stmt = stmt.where(Member.qualification_lapsed.is_(False), Member.suspended.is_(False))
    elif filters.status == "lapsed":
        stmt = stmt.where(Member.qualification_lapsed.is_(True))
    elif filters.status == "suspended":
        stmt = stmt.where(Member.suspended.is_(True))
    # The directory shows each member's scope: aggregated in the page's own query.
    scopes = (
        select(func.coalesce(func.aggregate_strings(MemberScope.category, ","), ""))
        .where(MemberScope.member_id == Member.id)
        .scalar_subquery()
    )
    return stmt.options(with_expression(Member.scope_list, scopes)).order_by(Member.member_no)


def count_members() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Member).where(Member.member_no.is_not(None))
        )
        or 0
    )


@cache
def _profile_statement():
    # Built once, the number bound at each call (building it took a tenth of the page's
    # time). Credentials and scopes come in the same query (a few rows each): the page
    # shows both.
    return (
        select(Member)
        .options(joinedload(Member.credentials), joinedload(Member.scopes))
        .where(Member.member_no == bindparam("member_no"))
    )


def profile(member_no: str) -> Member:
    member = (
        db.session.execute(_profile_statement(), {"member_no": member_no.upper()})
        .unique()
        .scalar_one_or_none()
    )
    if member is None:
        raise NotFound(_("No member has this number."))
    return member


def credential(member: Member, kind: str) -> Credential | None:
    return next((row for row in member.credentials if row.kind == kind), None)


def qualification(member: Member) -> Credential | None:
    return credential(member, QUALIFICATION)


def certifications(member: Member) -> list[Credential]:
    return [row for row in member.credentials if row.kind in (ISO9001, INDUSTRY)]


def scope_categories(member: Member) -> list[HazardCategory]:
    if member.scope_list is not None:  # loaded with a directory page
        held = set(member.scope_list.split(","))
    else:
        held = {scope.category for scope in member.scopes}
    return [category for category in HazardCategory if category in held]


def status_of(member: Member) -> str:
    if member.expelled_at is not None:  # its profile stays public, with the decision
        return "expelled"
    if member.suspended:
        return "suspended"
    if member.qualification_lapsed:
        return "lapsed"
    return "active"


def valid_on(row: Credential | None, on: date) -> bool:
    return bool(row and row.valid_to and row.valid_from and row.valid_from <= on <= row.valid_to)
