"""Members' ties to member agencies: declared by the committee member themself or recorded
by an administrator, withdrawn by an administrator only (so nobody can drop a tie to vote
and declare it again afterwards).

An active tie recuses the person from every vote about that agency: at opening (see
`motions.open_draft`) and, for a tie declared while a vote is open, at once: they are
marked recused and, if they had voted already, their vote is not counted.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.accounts.models import User
from portal.committees import roster
from portal.committees.models import NOTE_MAX, CommitteeTie, Motion, MotionVoter
from portal.committees.motions import mark_recused
from portal.committees.states import MotionStatus, RecusalKind, TieNature
from portal.errors import NotFound, ValidationFailed
from portal.extensions import db
from portal.security import Role, has_role, require


def get_tie(tie_id: int) -> CommitteeTie:
    tie = db.session.get(CommitteeTie, tie_id)
    if tie is None:
        raise NotFound(_("No such tie."))
    return tie


def ties(user_id: int | None = None, member_id: int | None = None, active_only: bool = False):
    stmt = select(CommitteeTie).order_by(CommitteeTie.declared_at.desc(), CommitteeTie.id.desc())
    if user_id is not None:
        stmt = stmt.where(CommitteeTie.user_id == user_id)
    if member_id is not None:
        stmt = stmt.where(CommitteeTie.member_id == member_id)
    if active_only:
        stmt = stmt.where(CommitteeTie.withdrawn_at.is_(None))
    return list(db.session.scalars(stmt))


def declare_tie(
    actor, *, user_id: int | None = None, member_id: int | None, nature: str, note: str = ""
) -> CommitteeTie:
    """A committee member declares their own tie (`user_id` None or their own id), or an
    administrator records anyone's."""
    is_admin = has_role(actor, (Role.ADMIN,))
    require(
        is_admin or has_role(actor, (Role.COMMITTEE,)),
        _("Only committee members declare ties; administrators record them."),
    )
    user_id = user_id or actor.id
    require(is_admin or user_id == actor.id, _("You may declare only your own ties."))
    fields: dict[str, str] = {}
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.COMMITTEE.value:
        fields["user_id"] = _("Choose a committee member.")
    if member_id is None or roster.get_member(member_id) is None:
        fields["member_id"] = _("Choose the agency.")
    try:
        nature_enum = TieNature(nature)
    except ValueError:
        fields["nature"] = _("Choose the nature of the tie.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        fields["note"] = _("At most %(n)d characters.", n=NOTE_MAX)
    if fields:
        raise ValidationFailed(_("The tie cannot be recorded."), fields)
    tie = CommitteeTie(
        user_id=user.id,
        member_id=member_id,
        nature=nature_enum.value,
        note=note,
        declared_at=clock.now(),
        declared_by_id=actor.id,
    )
    db.session.add(tie)
    db.session.flush()
    audit.record(
        "committees.tie_declared",
        tie,
        actor=actor,
        payload={"user_id": user.id, "member_id": member_id, "nature": tie.nature},
    )
    _recuse_in_open_motions(actor, tie)
    return tie


def _recuse_in_open_motions(actor, tie: CommitteeTie) -> None:
    rows = db.session.scalars(
        select(MotionVoter)
        .join(Motion, Motion.id == MotionVoter.motion_id)
        .where(
            Motion.status == MotionStatus.OPEN.value,
            Motion.member_id == tie.member_id,
            MotionVoter.user_id == tie.user_id,
            MotionVoter.recused.is_(False),
        )
    ).all()
    for voter in rows:
        mark_recused(voter, RecusalKind.TIE, tie.nature, clock.now())
        db.session.flush()
        audit.record(
            "committees.recused_by_tie",
            object_type="motions",
            object_id=voter.motion_id,
            actor=actor,
            payload={"voter_id": voter.user_id, "tie_id": tie.id},
        )


def withdraw_tie(actor, tie: CommitteeTie) -> CommitteeTie:
    """An administrator ends a tie (it no longer recuses from votes opened afterwards)."""
    require(has_role(actor, (Role.ADMIN,)), _("Only administrators withdraw a tie."))
    if tie.withdrawn_at is not None:
        return tie
    tie.withdrawn_at = clock.now()
    tie.withdrawn_by_id = actor.id
    db.session.flush()
    audit.record("committees.tie_withdrawn", tie, actor=actor, payload={"user_id": tie.user_id})
    return tie
