"""What the public sees: each committee's members in office (names and categories: public
roles, not personal data) with its composition, and the published resolutions with their
tally only (never who voted how, never the reasons)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.committees import roster
from portal.committees.models import Committee, CommitteeSeat, Motion
from portal.committees.rules import Composition
from portal.committees.states import PUBLISHED_SUBJECTS, MotionStatus
from portal.extensions import db


@dataclass(frozen=True)
class PublicCommittee:
    committee: Committee
    seats: list[CommitteeSeat]
    composition: Composition


def committees_in_office() -> list[PublicCommittee]:
    result = []
    for committee in roster.committees():
        seats = roster.seats_in_office(committee)
        result.append(PublicCommittee(committee, seats, roster.composition_of(committee)))
    return result


def resolutions_query():
    """Closed motions on published subjects, latest first."""
    return (
        select(Motion)
        .where(
            Motion.status == MotionStatus.CLOSED.value,
            Motion.subject_type.in_([s.value for s in PUBLISHED_SUBJECTS]),
        )
        .order_by(Motion.closed_at.desc(), Motion.id.desc())
    )


def published_resolution(motion_id: int) -> Motion | None:
    return db.session.scalar(resolutions_query().where(Motion.id == motion_id))
