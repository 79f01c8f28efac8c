"""Voting: who may vote (`can_vote`), casting a vote, declaring a recusal, and what each
person may see of a vote before and after it closes.

- One person, one vote: the vote is one inserted row, unique per (motion, voter), never a
  counter that is read and written back, so two members voting at the same moment are
  both counted. A vote re-reads the motion's row with a share lock first, so a closing
  waits for votes under way and a vote never slips in after the count.
- Voting needs the voter's password again (a fresh login), checked here.
- Until the motion closes nobody sees any count or anyone else's choice (staff and
  administrators see participation only: who has voted, not how); a voter sees their own
  vote. After it closes the tally is public for published subjects; the names with their
  votes and the reasons go to committee members, staff and administrators only.
- The audit log records that someone voted, never the choice; the tally is audited when
  the motion closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from portal import audit, clock
from portal.accounts.passwords import verify_password
from portal.committees.models import REASON_MAX, Motion, MotionVoter, Vote
from portal.committees.motions import mark_recused
from portal.committees.states import REASONED_CHOICES, Choice, MotionStatus, RecusalKind
from portal.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from portal.extensions import db
from portal.security import Role, has_role, require

# Who sees, after closing, the names of the voters with their votes and reasons.
BALLOT_ROLES = (Role.COMMITTEE, Role.STAFF, Role.ADMIN)
PARTICIPATION_ROLES = (Role.STAFF, Role.ADMIN)


def voter_row(user, motion: Motion) -> MotionVoter | None:
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(
        select(MotionVoter).where(
            MotionVoter.motion_id == motion.id, MotionVoter.user_id == user.id
        )
    )


def own_vote(user, motion: Motion) -> Vote | None:
    """The user's own vote on the motion (each voter may always see theirs)."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(
        select(Vote).where(Vote.motion_id == motion.id, Vote.voter_id == user.id)
    )


def vote_refusal(user, motion: Motion, now: datetime | None = None) -> DomainError | None:
    """Why `user` may not vote on `motion` now, as the error to raise; None if they may."""
    now = now or clock.now()
    if not has_role(user, (Role.COMMITTEE,)):
        return NotPermitted(_("Only committee members vote."))
    if motion.status != MotionStatus.OPEN:
        return InvalidTransition(_("This motion is not open for voting."))
    if motion.closes_at <= now:
        return DeadlinePassed(_("The vote closed at its closing time."))
    voter = voter_row(user, motion)
    if voter is None:
        return NotPermitted(_("You are not among the voters on this motion."))
    if voter.recused:
        return NotPermitted(_("You are recused from this motion and may not vote on it."))
    if own_vote(user, motion) is not None:
        return Conflict(_("You have voted on this motion already. One person, one vote."))
    return None


def can_vote(user, motion: Motion) -> bool:
    """The recusal and eligibility predicate: pages and the API both ask this."""
    return vote_refusal(user, motion) is None


def _lock_motion(motion: Motion) -> None:
    """Share-lock the motion's row (PostgreSQL) and read its current state."""
    db.session.execute(select(Motion.id).where(Motion.id == motion.id).with_for_update(read=True))
    db.session.refresh(motion)


def cast_vote(
    actor, motion: Motion, *, choice: str, reason: str | None = None, password: str
) -> Vote:
    """Record `actor`'s vote after checking eligibility and their password."""
    _lock_motion(motion)
    refusal = vote_refusal(actor, motion)
    if refusal is not None:
        raise refusal
    if not verify_password(actor.password_hash, password or ""):
        raise ValidationFailed(
            _("Your password is needed to vote."),
            {"password": _("The password is wrong.")},
        )
    try:
        choice_enum = Choice(choice)
    except ValueError:
        raise ValidationFailed(
            _("Choose yes, no or abstain."), {"choice": _("Choose yes, no or abstain.")}
        ) from None
    reason = (reason or "").strip() or None
    if reason and choice_enum not in REASONED_CHOICES:
        raise ValidationFailed(
            _("A reason goes with a vote against or an abstention only."),
            {"reason": _("Leave the reason empty when you vote yes.")},
        )
    if reason and len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long."), {"reason": _("At most %(n)d characters.", n=REASON_MAX)}
        )
    vote = Vote(
        motion_id=motion.id,
        voter_id=actor.id,
        choice=choice_enum.value,
        reason=reason,
        cast_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(vote)
    except IntegrityError:
        raise Conflict(_("You have voted on this motion already. One person, one vote.")) from None
    # The fact of voting, never the choice, until the motion closes.
    audit.record("committees.vote_cast", motion, actor=actor, payload={"voter_id": actor.id})
    return vote


def declare_recusal(actor, motion: Motion, reason: str) -> MotionVoter:
    """A voter declares a conflict of interest and steps out of the vote (before voting)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why you recuse yourself."), {"reason": _("Required.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long."), {"reason": _("At most %(n)d characters.", n=REASON_MAX)}
        )
    _lock_motion(motion)
    refusal = vote_refusal(actor, motion)
    if isinstance(refusal, Conflict):
        raise Conflict(_("You have voted already; a vote cannot be taken back."))
    if refusal is not None:
        raise refusal
    voter = voter_row(actor, motion)
    mark_recused(voter, RecusalKind.DECLARED, reason, clock.now())
    db.session.flush()
    audit.record("committees.recusal_declared", motion, actor=actor, payload={"voter_id": actor.id})
    return voter


# -- what people see -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ballot:
    voter: MotionVoter
    vote: Vote | None

    @property
    def counted(self) -> bool:
        return self.vote is not None and not self.voter.recused


def _require_closed(motion: Motion) -> None:
    if motion.status != MotionStatus.CLOSED:
        raise InvalidTransition(_("The results stay hidden until the vote closes."))


def ballots(actor, motion: Motion) -> list[Ballot]:
    """Every voter with their vote, after closing, for committee members and staff."""
    _require_closed(motion)
    require(
        has_role(actor, BALLOT_ROLES),
        _("Only committee members and the secretariat see how each member voted."),
    )
    votes = {
        vote.voter_id: vote
        for vote in db.session.scalars(select(Vote).where(Vote.motion_id == motion.id))
    }
    return [Ballot(voter, votes.get(voter.user_id)) for voter in motion.voters]


@dataclass(frozen=True)
class Participation:
    voters: list[tuple[MotionVoter, bool]]  # (voter, has voted)
    eligible: int
    voted: int
    recused: int

    @property
    def not_voted(self) -> int:
        return self.eligible - self.voted


def participation(actor, motion: Motion) -> Participation:
    """Who has voted and who has not (never how), for the secretariat and administrators."""
    require(
        has_role(actor, PARTICIPATION_ROLES),
        _("Only the secretariat and administrators follow participation."),
    )
    has_voted = exists().where(
        Vote.motion_id == MotionVoter.motion_id, Vote.voter_id == MotionVoter.user_id
    )
    rows = db.session.execute(
        select(MotionVoter, has_voted)
        .where(MotionVoter.motion_id == motion.id)
        .order_by(MotionVoter.recused, MotionVoter.id)
    ).all()
    voters = [(voter, bool(voted)) for voter, voted in rows]
    eligible = [(v, voted) for v, voted in voters if not v.recused]
    return Participation(
        voters=voters,
        eligible=len(eligible),
        voted=sum(1 for _v, voted in eligible if voted),
        recused=len(voters) - len(eligible),
    )


@dataclass(frozen=True)
class MyMotion:
    motion: Motion
    voter: MotionVoter
    vote: Vote | None


def my_motions(user) -> tuple[list[MyMotion], list[MyMotion]]:
    """(open motions where the user is in the electorate, soonest closing first;
    closed ones, latest first)."""
    rows = db.session.execute(
        select(Motion, MotionVoter, Vote)
        .join(MotionVoter, MotionVoter.motion_id == Motion.id)
        .outerjoin(Vote, (Vote.motion_id == Motion.id) & (Vote.voter_id == MotionVoter.user_id))
        .where(
            MotionVoter.user_id == user.id,
            Motion.status.in_([MotionStatus.OPEN.value, MotionStatus.CLOSED.value]),
        )
    ).all()
    items = [MyMotion(motion, voter, vote) for motion, voter, vote in rows]
    open_items = sorted(
        (i for i in items if i.motion.status == MotionStatus.OPEN),
        key=lambda i: (i.motion.closes_at, i.motion.id),
    )
    closed_items = sorted(
        (i for i in items if i.motion.status == MotionStatus.CLOSED),
        key=lambda i: (i.motion.closed_at, i.motion.id),
        reverse=True,
    )
    return open_items, closed_items


def may_view(user, motion: Motion) -> bool:
    """A committee member sees a motion they vote on (or are recused from), and any closed
    motion; never a draft or a withdrawn one they had no part in."""
    if not has_role(user, (Role.COMMITTEE,)):
        return False
    if motion.status == MotionStatus.CLOSED:
        return True
    if motion.status == MotionStatus.DRAFT:
        return False
    return voter_row(user, motion) is not None
