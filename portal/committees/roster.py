"""Committees and their seats: who sits where, in which category, for which term; the
composition rule; and the read side of members' ties to agencies.

Only committee-role users hold seats (staff and administrators run the committees' work but
do not vote). A seat counts on a day D when the term covers D (Asia/Shanghai dates) and its
holder's account is active and still has the committee role. Services take an explicit
actor, never commit, and audit every change in the caller's transaction.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.accounts.models import User
from portal.committees.models import Committee, CommitteeSeat, CommitteeTie
from portal.committees.rules import Composition, composition
from portal.committees.states import CATEGORIES, CommitteeKind, SeatCategory
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.extensions import db
from portal.members.models import Member
from portal.security import Role, has_role, require

ROSTER_ROLES = (Role.ADMIN,)


def _require_admin(actor) -> None:
    require(has_role(actor, ROSTER_ROLES), _("Only administrators maintain the committees."))


# -- committees ----------------------------------------------------------------------------


def committees() -> list[Committee]:
    """The committees that exist, in the order of their kinds."""
    order = {kind.value: index for index, kind in enumerate(CommitteeKind)}
    rows = db.session.scalars(select(Committee)).all()
    return sorted(rows, key=lambda c: order.get(c.kind, 99))


def committee_of_kind(kind: str | CommitteeKind) -> Committee | None:
    return db.session.scalar(select(Committee).where(Committee.kind == CommitteeKind(kind).value))


def get_committee(committee_id: int) -> Committee:
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(_("No such committee."))
    return committee


def missing_kinds() -> list[CommitteeKind]:
    existing = {c.kind for c in committees()}
    return [kind for kind in CommitteeKind if kind.value not in existing]


def create_committee(actor, kind: str) -> Committee:
    _require_admin(actor)
    try:
        kind_enum = CommitteeKind(kind)
    except ValueError:
        raise ValidationFailed(
            _("Choose a committee."), {"kind": _("Not a committee of the association.")}
        ) from None
    if committee_of_kind(kind_enum) is not None:
        raise Conflict(
            _("The %(committee)s exists already.", committee=kind_enum.label),
            {"kind": _("It exists already.")},
        )
    committee = Committee(kind=kind_enum.value, created_at=clock.now())
    db.session.add(committee)
    audit.record("committees.created", committee, actor=actor, payload={"kind": committee.kind})
    return committee


# -- seats ---------------------------------------------------------------------------------


def get_seat(seat_id: int) -> CommitteeSeat:
    seat = db.session.get(CommitteeSeat, seat_id)
    if seat is None:
        raise NotFound(_("No such seat."))
    return seat


def seats_in_office(committee: Committee, on: date | None = None) -> list[CommitteeSeat]:
    """The seats whose term covers `on` (default today) held by active committee users."""
    on = on or clock.today()
    return list(
        db.session.scalars(
            select(CommitteeSeat)
            .join(User, User.id == CommitteeSeat.user_id)
            .where(
                CommitteeSeat.committee_id == committee.id,
                CommitteeSeat.term_start <= on,
                CommitteeSeat.term_end >= on,
                User.active.is_(True),
                User.role == Role.COMMITTEE.value,
            )
            .order_by(CommitteeSeat.category, User.display_name, CommitteeSeat.id)
        )
    )


def all_seats(committee: Committee) -> list[CommitteeSeat]:
    return list(
        db.session.scalars(
            select(CommitteeSeat)
            .where(CommitteeSeat.committee_id == committee.id)
            .order_by(CommitteeSeat.term_end.desc(), CommitteeSeat.id)
        )
    )


def seats_of(user) -> list[CommitteeSeat]:
    return list(
        db.session.scalars(
            select(CommitteeSeat)
            .where(CommitteeSeat.user_id == user.id)
            .order_by(CommitteeSeat.term_end.desc(), CommitteeSeat.id)
        )
    )


def composition_of(committee: Committee, on: date | None = None) -> Composition:
    return composition(committee.kind, [seat.category for seat in seats_in_office(committee, on)])


def composition_problem(committee: Committee, on: date | None = None) -> str | None:
    """Why the committee may not vote now (its composition), or None."""
    report = composition_of(committee, on)
    if report.total == 0:
        return _("The %(committee)s has no member in office.", committee=committee.label)
    if report.met:
        return None
    short = "; ".join(
        _(
            "%(group)s: %(count)d of %(total)d, at least %(minimum)d needed",
            group=group.category.label,
            count=group.count,
            total=group.total,
            minimum=group.minimum,
        )
        for group in report.short
    )
    return _(
        "The %(committee)s does not meet the composition rule (each group at least a "
        "quarter of the members in office). Short: %(short)s.",
        committee=committee.label,
        short=short,
    )


def committee_users() -> list[User]:
    """Who may be given a seat: active committee-role accounts."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.COMMITTEE.value, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def _check_seat(
    committee: Committee,
    user: User | None,
    category: str,
    term_start: date | None,
    term_end: date | None,
    seat_id: int | None = None,
) -> SeatCategory:
    fields: dict[str, str] = {}
    if user is None or user.role != Role.COMMITTEE.value or not user.active:
        fields["user_id"] = _("Choose an active account with the committee member role.")
    allowed = CATEGORIES[committee.kind_enum]
    try:
        category_enum = SeatCategory(category)
    except ValueError:
        category_enum = None
    if category_enum not in allowed:
        fields["category"] = _(
            "Choose one of: %(choices)s.", choices=", ".join(c.label for c in allowed)
        )
    if term_start is None:
        fields["term_start"] = _("Required.")
    if term_end is None:
        fields["term_end"] = _("Required.")
    elif term_start is not None and term_end < term_start:
        fields["term_end"] = _("The term cannot end before it starts.")
    if not fields and user is not None:
        overlap = db.session.scalar(
            select(CommitteeSeat).where(
                CommitteeSeat.committee_id == committee.id,
                CommitteeSeat.user_id == user.id,
                CommitteeSeat.id != (seat_id or 0),
                CommitteeSeat.term_start <= term_end,
                CommitteeSeat.term_end >= term_start,
            )
        )
        if overlap is not None:
            fields["term_start"] = _(
                "This person already holds a seat on this committee from %(start)s to %(end)s.",
                start=overlap.term_start.isoformat(),
                end=overlap.term_end.isoformat(),
            )
    if fields:
        raise ValidationFailed(_("The seat cannot be saved."), fields)
    return category_enum


def _seat_payload(seat: CommitteeSeat) -> dict:
    return {
        "committee_id": seat.committee_id,
        "user_id": seat.user_id,
        "category": seat.category,
        "term_start": seat.term_start.isoformat(),
        "term_end": seat.term_end.isoformat(),
    }


def add_seat(
    actor,
    committee: Committee,
    *,
    user_id: int,
    category: str,
    term_start: date | None,
    term_end: date | None,
) -> CommitteeSeat:
    _require_admin(actor)
    user = db.session.get(User, user_id) if user_id else None
    category_enum = _check_seat(committee, user, category, term_start, term_end)
    seat = CommitteeSeat(
        committee_id=committee.id,
        user_id=user.id,
        category=category_enum.value,
        term_start=term_start,
        term_end=term_end,
        created_at=clock.now(),
    )
    db.session.add(seat)
    db.session.flush()
    audit.record("committees.seat_added", seat, actor=actor, payload=_seat_payload(seat))
    return seat


def update_seat(
    actor,
    seat: CommitteeSeat,
    *,
    category: str,
    term_start: date | None,
    term_end: date | None,
) -> CommitteeSeat:
    """Change a seat's category or term (ending a term early is setting its end)."""
    _require_admin(actor)
    category_enum = _check_seat(seat.committee, seat.user, category, term_start, term_end, seat.id)
    before = _seat_payload(seat)
    seat.category, seat.term_start, seat.term_end = category_enum.value, term_start, term_end
    after = _seat_payload(seat)
    if before != after:
        db.session.flush()
        audit.record(
            "committees.seat_updated",
            seat,
            actor=actor,
            payload={key: [before[key], after[key]] for key in after if before[key] != after[key]},
        )
    return seat


# -- ties (read side; changes are in portal.committees.ties) --------------------------------


def active_ties_of(user_id: int) -> list[CommitteeTie]:
    return list(
        db.session.scalars(
            select(CommitteeTie)
            .where(CommitteeTie.user_id == user_id, CommitteeTie.withdrawn_at.is_(None))
            .order_by(CommitteeTie.declared_at.desc(), CommitteeTie.id.desc())
        )
    )


def tied_user_ids(member_id: int | None) -> dict[int, CommitteeTie]:
    """The users with an active tie to the agency `member_id`, with one of their ties."""
    if member_id is None:
        return {}
    ties = db.session.scalars(
        select(CommitteeTie)
        .where(CommitteeTie.member_id == member_id, CommitteeTie.withdrawn_at.is_(None))
        .order_by(CommitteeTie.id)
    )
    found: dict[int, CommitteeTie] = {}
    for tie in ties:
        found.setdefault(tie.user_id, tie)
    return found


def get_member(member_id: int | None) -> Member | None:
    return db.session.get(Member, member_id) if member_id else None


def member_choices() -> list[Member]:
    """Agencies a tie or a motion may name: every agency known to the portal."""
    return list(db.session.scalars(select(Member).order_by(Member.name, Member.id)))
