"""Motions: drafting, opening (the electorate snapshot), withdrawing and closing.

Other domains open motions with `open_motion(...)` and act on the result with
`portal.committees.hooks.on_motion_closed(subject_type, callback)`.

- Drafts are written and opened by the secretariat (staff) or administrators.
- Opening snapshots the electorate: the committee's members in office that day
  (`MotionVoter` rows). Members tied to the agency concerned are recused automatically;
  the caller may exclude others with a reason (an appeal excludes the first decision's
  voters). The self-regulation committee opens no vote while its composition rule fails.
- Closing (the `committees.close_due` sweep, once the closing time has passed) counts the
  votes of the non-recused voters with one grouped COUNT, stores the tally and the result,
  audits the tally and runs the hooks, all in one transaction. A conditional UPDATE
  (`open` -> `closed`) makes it happen once, however many sweeps run.

Row locks are always taken before the audit chain's lock (flush first, then audit), so a
vote and a closing never wait on each other in opposite orders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal import audit, clock, notifications
from portal.committees import hooks, roster
from portal.committees.models import (
    BODY_MAX,
    REASON_MAX,
    SUBJECT_REF_MAX,
    TITLE_MAX,
    Committee,
    Motion,
    MotionVoter,
    Vote,
)
from portal.committees.rules import result_of
from portal.committees.states import (
    ALWAYS_MAJOR,
    Action,
    Choice,
    MotionKind,
    MotionStatus,
    RecusalKind,
    SubjectType,
    next_status,
)
from portal.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from portal.extensions import db
from portal.security import Role, has_role, require

MOTION_ROLES = (Role.STAFF, Role.ADMIN)
MIN_VOTING = timedelta(hours=1)
MAX_VOTING = timedelta(days=90)
NOTICE_LOCALE = "zh_CN"
SWEEP_ACTOR = "scheduler:committees.close_due"


def motion_path(motion_id: int) -> str:
    """The committee member's page of a motion (notification links are paths)."""
    return f"/committee/motions/{motion_id}"


def _require_motion_role(actor) -> None:
    require(
        has_role(actor, MOTION_ROLES),
        _("Only the secretariat and administrators draft and open motions."),
    )


def get_motion(motion_id: int) -> Motion:
    motion = db.session.get(Motion, motion_id)
    if motion is None:
        raise NotFound(_("No such motion."))
    return motion


# -- drafting ------------------------------------------------------------------------------


def _clean(
    *,
    title: str,
    body: str,
    kind: str | None,
    subject_type: str,
    subject_ref: str | None,
    member_id: int | None,
    closes_at: datetime | None,
) -> dict:
    fields: dict[str, str] = {}
    title = " ".join((title or "").split())
    body = (body or "").strip()
    subject_ref = (subject_ref or "").strip() or None
    if not title:
        fields["title"] = _("Required.")
    elif len(title) > TITLE_MAX:
        fields["title"] = _("At most %(n)d characters.", n=TITLE_MAX)
    if len(body) > BODY_MAX:
        fields["body"] = _("At most %(n)d characters.", n=BODY_MAX)
    subject = None
    try:
        subject = SubjectType(subject_type)
    except ValueError:
        fields["subject_type"] = _("Choose what the motion is about.")
    kind_enum = None
    if kind:
        try:
            kind_enum = MotionKind(kind)
        except ValueError:
            fields["kind"] = _("Choose ordinary or major.")
    if subject is not None and "kind" not in fields:
        if subject in ALWAYS_MAJOR and kind_enum is MotionKind.ORDINARY:
            fields["kind"] = _("Sanctions and revisions of the code are always major matters.")
        kind_enum = kind_enum or (
            MotionKind.MAJOR if subject in ALWAYS_MAJOR else MotionKind.ORDINARY
        )
    if subject_ref and len(subject_ref) > SUBJECT_REF_MAX:
        fields["subject_ref"] = _("At most %(n)d characters.", n=SUBJECT_REF_MAX)
    if member_id is not None and roster.get_member(member_id) is None:
        fields["member_id"] = _("No such agency.")
    if subject is SubjectType.SANCTION and member_id is None:
        fields["member_id"] = _("A sanction is about an agency: name it.")
    if closes_at is None:
        fields["closes_at"] = _("Required.")
    elif closes_at.tzinfo is None:
        fields["closes_at"] = _("Give the time with its time zone.")
    elif closes_at <= clock.now():
        fields["closes_at"] = _("The closing time must be in the future.")
    elif closes_at > clock.now() + MAX_VOTING:
        fields["closes_at"] = _("A vote stays open at most %(n)d days.", n=MAX_VOTING.days)
    if fields:
        raise ValidationFailed(_("The motion cannot be saved."), fields)
    return {
        "title": title,
        "body": body,
        "kind": kind_enum.value,
        "subject_type": subject.value,
        "subject_ref": subject_ref,
        "member_id": member_id,
        "closes_at": closes_at,
    }


def draft_motion(
    actor,
    committee: Committee,
    *,
    title: str,
    body: str = "",
    kind: str | None = None,
    subject_type: str = SubjectType.OTHER.value,
    subject_ref: str | None = None,
    member_id: int | None = None,
    closes_at: datetime | None,
) -> Motion:
    """A new motion in `draft`. `kind` None: major for sanctions and code revisions, else
    ordinary."""
    _require_motion_role(actor)
    values = _clean(
        title=title,
        body=body,
        kind=kind,
        subject_type=subject_type,
        subject_ref=subject_ref,
        member_id=member_id,
        closes_at=closes_at,
    )
    motion = Motion(
        committee_id=committee.id,
        status=MotionStatus.DRAFT.value,
        created_by_id=getattr(actor, "id", None),
        created_at=clock.now(),
        **values,
    )
    db.session.add(motion)
    db.session.flush()
    audit.record(
        "committees.motion_drafted",
        motion,
        actor=actor,
        payload={
            "committee_id": committee.id,
            "kind": motion.kind,
            "subject_type": motion.subject_type,
            "subject_ref": motion.subject_ref,
            "member_id": motion.member_id,
        },
    )
    return motion


def update_draft(actor, motion: Motion, **changes) -> Motion:
    """Change a draft's text, kind, subject, agency or closing time."""
    _require_motion_role(actor)
    if motion.status != MotionStatus.DRAFT:
        raise InvalidTransition(_("Only a draft can be changed."))
    current = {
        "title": motion.title,
        "body": motion.body,
        "kind": motion.kind,
        "subject_type": motion.subject_type,
        "subject_ref": motion.subject_ref,
        "member_id": motion.member_id,
        "closes_at": motion.closes_at,
    }
    if "subject_type" in changes and "kind" not in changes:
        current["kind"] = None  # derived again from the new subject
    values = _clean(**{**current, **changes})
    changed = sorted(key for key, value in values.items() if getattr(motion, key) != value)
    for key in changed:
        setattr(motion, key, values[key])
    if changed:
        db.session.flush()
        audit.record("committees.motion_updated", motion, actor=actor, payload={"changed": changed})
    return motion


# -- opening -------------------------------------------------------------------------------


def preview_electorate(motion: Motion) -> list[tuple[object, str | None]]:
    """(seat, why recused or None) for the members who would vote if it opened today."""
    ties = roster.tied_user_ids(motion.member_id)
    return [
        (seat, ties[seat.user_id].nature_enum.label if seat.user_id in ties else None)
        for seat in roster.seats_in_office(motion.committee)
    ]


def open_draft(actor, motion: Motion, *, also_recused: Mapping[int, str] | None = None) -> Motion:
    """Open the vote: snapshot the electorate, recuse the tied, notify the voters.

    `also_recused` maps user ids to the reason they may not vote on this motion."""
    _require_motion_role(actor)
    target = next_status(motion.status, Action.OPEN)
    committee = motion.committee
    now = clock.now()
    problem = roster.composition_problem(committee)  # the quota (self-regulation), or empty
    if problem:
        raise Conflict(problem, {"committee_id": problem})
    if motion.closes_at < now + MIN_VOTING:
        raise ValidationFailed(
            _("The vote must stay open at least an hour."),
            {"closes_at": _("Choose a closing time at least an hour from now.")},
        )
    ties = roster.tied_user_ids(motion.member_id)
    excluded = dict(also_recused or {})
    voters: list[MotionVoter] = []
    for seat in roster.seats_in_office(committee):
        if any(v.user_id == seat.user_id for v in voters):
            continue
        voter = MotionVoter(
            motion_id=motion.id, user_id=seat.user_id, seat_id=seat.id, category=seat.category
        )
        if seat.user_id in ties:
            mark_recused(voter, RecusalKind.TIE, ties[seat.user_id].nature, now)
        elif seat.user_id in excluded:
            mark_recused(voter, RecusalKind.EXCLUDED, str(excluded[seat.user_id])[:REASON_MAX], now)
        voters.append(voter)
    eligible = [v for v in voters if not v.recused]
    if not eligible:
        raise Conflict(
            _("Every member in office is recused from this motion: nobody could vote."),
            {"member_id": _("Every member in office is tied to this agency.")},
        )
    db.session.add_all(voters)
    motion.status = target.value
    motion.opened_at = now
    db.session.flush()
    audit.record(
        "committees.motion_opened",
        motion,
        actor=actor,
        payload={
            "committee_id": committee.id,
            "electorate": len(voters),
            "recused": len(voters) - len(eligible),
            "recused_user_ids": [v.user_id for v in voters if v.recused],
            "closes_at": motion.closes_at.isoformat(),
        },
    )
    _tell_opened(motion, voters)
    return motion


def open_motion(
    actor,
    committee: Committee,
    *,
    title: str,
    body: str = "",
    kind: str | None = None,
    subject_type: str,
    subject_ref: str | None = None,
    member_id: int | None = None,
    closes_at: datetime,
    also_recused: Mapping[int, str] | None = None,
) -> Motion:
    """Draft and open a motion in one step (for other domains, e.g. discipline)."""
    motion = draft_motion(
        actor,
        committee,
        title=title,
        body=body,
        kind=kind,
        subject_type=subject_type,
        subject_ref=subject_ref,
        member_id=member_id,
        closes_at=closes_at,
    )
    return open_draft(actor, motion, also_recused=also_recused)


def mark_recused(voter: MotionVoter, kind: RecusalKind, reason: str | None, now: datetime) -> None:
    voter.recused = True
    voter.recusal_kind = kind.value
    voter.recusal_reason = reason
    voter.recused_at = now


def _tell_opened(motion: Motion, voters: list[MotionVoter]) -> None:
    with force_locale(NOTICE_LOCALE):
        when = clock.shanghai(motion.closes_at).strftime("%Y-%m-%d %H:%M")
        open_title = _("Vote open: %(title)s", title=motion.title)
        open_body = _(
            "The %(committee)s votes on “%(title)s”. The vote closes at %(when)s (Beijing "
            "time). Sign in to read the motion and vote.",
            committee=motion.committee.label,
            title=motion.title,
            when=when,
        )
        recused_title = _("You are recused: %(title)s", title=motion.title)
        recused_body = _(
            "You may not vote on “%(title)s”, because of a declared tie or an exclusion.",
            title=motion.title,
        )
    for voter in voters:
        notifications.notify(
            voter.user,
            kind="committees.vote_open" if not voter.recused else "committees.recused",
            title=open_title if not voter.recused else recused_title,
            body=open_body if not voter.recused else recused_body,
            link=motion_path(motion.id),
        )


# -- withdrawing ---------------------------------------------------------------------------


def withdraw(actor, motion: Motion, reason: str) -> Motion:
    """Withdraw a draft or an open motion; votes already cast are never counted or shown."""
    _require_motion_role(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), {"reason": _("Required.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long."), {"reason": _("At most %(n)d characters.", n=REASON_MAX)}
        )
    target = next_status(motion.status, Action.WITHDRAW)
    claimed = db.session.execute(
        update(Motion)
        .where(Motion.id == motion.id, Motion.status == motion.status)
        .values(status=target.value, withdrawn_at=clock.now(), withdraw_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvalidTransition(_("The motion changed meanwhile; reload it."))
    db.session.refresh(motion)
    audit.record("committees.motion_withdrawn", motion, actor=actor)
    return motion


# -- closing -------------------------------------------------------------------------------


def count_votes(motion: Motion) -> dict[str, int]:
    """Votes of the non-recused voters by choice, and the number of eligible voters."""
    rows = db.session.execute(
        select(Vote.choice, func.count())
        .join(
            MotionVoter,
            (MotionVoter.motion_id == Vote.motion_id) & (MotionVoter.user_id == Vote.voter_id),
        )
        .where(Vote.motion_id == motion.id, MotionVoter.recused.is_(False))
        .group_by(Vote.choice)
    ).all()
    counts = {choice.value: 0 for choice in Choice}
    counts.update({choice: number for choice, number in rows})
    counts["eligible"] = (
        db.session.scalar(
            select(func.count())
            .select_from(MotionVoter)
            .where(MotionVoter.motion_id == motion.id, MotionVoter.recused.is_(False))
        )
        or 0
    )
    return counts


def close_motion(motion: Motion, *, actor=SWEEP_ACTOR) -> bool:
    """Close an open motion whose closing time has passed: count, store, audit, run the hooks.
    False when another process closed it first (nothing is done twice)."""
    target = next_status(motion.status, Action.CLOSE)
    now = clock.now()
    if motion.closes_at > now:
        raise InvalidTransition(_("The vote is still open; it closes at its closing time."))
    claimed = db.session.execute(
        update(Motion)
        .where(Motion.id == motion.id, Motion.status == MotionStatus.OPEN.value)
        .values(status=target.value, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.refresh(motion)
        return False
    counts = count_votes(motion)
    db.session.refresh(motion)
    motion.eligible_count = counts["eligible"]
    motion.yes_count = counts[Choice.YES]
    motion.no_count = counts[Choice.NO]
    motion.abstain_count = counts[Choice.ABSTAIN]
    motion.result = result_of(motion.kind, motion.yes_count, motion.eligible_count).value
    db.session.flush()
    audit.record(
        "committees.motion_closed",
        motion,
        actor=actor,
        payload={
            "result": motion.result,
            "kind": motion.kind,
            "eligible": motion.eligible_count,
            "yes": motion.yes_count,
            "no": motion.no_count,
            "abstain": motion.abstain_count,
            "recused": db.session.scalar(
                select(func.count())
                .select_from(MotionVoter)
                .where(MotionVoter.motion_id == motion.id, MotionVoter.recused.is_(True))
            ),
        },
    )
    _tell_closed(motion)
    hooks.run_motion_closed(motion)
    return True


def _tell_closed(motion: Motion) -> None:
    with force_locale(NOTICE_LOCALE):
        title = _("Vote closed: %(title)s", title=motion.title)
        body = _(
            "The vote on “%(title)s” has closed: %(result)s (%(yes)d yes of %(eligible)d "
            "eligible voters).",
            title=motion.title,
            result=motion.result_enum.label,
            yes=motion.yes_count,
            eligible=motion.eligible_count,
        )
    for voter in motion.voters:
        notifications.notify(
            voter.user,
            kind="committees.vote_closed",
            title=title,
            body=body,
            link=motion_path(motion.id),
            email=False,
        )


def due_for_closing(now: datetime | None = None) -> list[int]:
    now = now or clock.now()
    return list(
        db.session.scalars(
            select(Motion.id)
            .where(Motion.status == MotionStatus.OPEN.value, Motion.closes_at <= now)
            .order_by(Motion.closes_at, Motion.id)
        )
    )
