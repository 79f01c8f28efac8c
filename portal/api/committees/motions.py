"""Motions and votes through the API, with the same services and predicates as the pages:
results never before the vote closes, a voter's own vote only, the password with every
vote, `can_vote` deciding who votes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal.api.committees.schemas import (
    BallotOut,
    ElectorateOut,
    MotionIn,
    MotionList,
    MotionOut,
    MotionPatchIn,
    MotionQuery,
    MyMotionList,
    MyPartOut,
    PublicResolutionOut,
    ReasonIn,
    ResolutionList,
    ResultOut,
    TallyOut,
    VoteIn,
    VoteOut,
    VoterOut,
    page_info,
)
from portal.api.registry import api_route
from portal.api.schemas import PageQuery
from portal.api.validation import parse_body, parse_query
from portal.committees import motions, public, roster, voting
from portal.committees.models import Motion
from portal.errors import NotFound
from portal.extensions import db
from portal.open_data import cacheable
from portal.security import Role, current_actor, has_role, roles_required
from portal.security import public as public_access

TAGS = ["committees"]
STAFF = (Role.STAFF, Role.ADMIN)


def _me(actor, motion: Motion) -> MyPartOut | None:
    if not has_role(actor, (Role.COMMITTEE,)):
        return None
    voter = voting.voter_row(actor, motion)
    vote = voting.own_vote(actor, motion)
    refusal = voting.vote_refusal(actor, motion)
    return MyPartOut(
        in_electorate=voter is not None,
        recused=bool(voter and voter.recused),
        recusal_kind=voter.recusal_kind if voter else None,
        can_vote=refusal is None,
        why_not=refusal.message if refusal else None,
        my_vote=vote.choice if vote else None,
        my_reason=vote.reason if vote else None,
    )


def _out(motion: Motion) -> dict:
    return MotionOut.of(motion, _me(current_actor(), motion)).model_dump(mode="json")


def _load(motion_id: int) -> Motion:
    """The motion, if the caller may see it (a committee member: see voting.may_view)."""
    motion = motions.get_motion(motion_id)
    actor = current_actor()
    if has_role(actor, (Role.COMMITTEE,)) and not voting.may_view(actor, motion):
        raise NotFound(_("No such motion."))
    return motion


# --- public ---------------------------------------------------------------------------------


@api_route(
    "/public/resolutions",
    summary="Published resolutions with their tally",
    tags=["public"],
    query=PageQuery,
    response=ResolutionList,
)
@public_access
@cacheable()
def public_resolutions():
    query = parse_query(PageQuery)
    page = db.paginate(
        public.resolutions_query(), page=query.page, per_page=query.per_page, error_out=False
    )
    return ResolutionList(
        items=[PublicResolutionOut.of(m) for m in page.items], page=page_info(page)
    ).model_dump(mode="json")


@api_route(
    "/public/resolutions/<int:motion_id>",
    summary="One published resolution",
    tags=["public"],
    response=PublicResolutionOut,
    errors=(404,),
)
@public_access
@cacheable()
def public_resolution(motion_id: int):
    motion = public.published_resolution(motion_id)
    if motion is None:
        raise NotFound(_("No such motion."))
    return PublicResolutionOut.of(motion).model_dump(mode="json")


# --- the secretariat ------------------------------------------------------------------------


@api_route(
    "/motions",
    summary="Motions, newest first (secretariat, administrators)",
    tags=TAGS,
    query=MotionQuery,
    response=MotionList,
)
@roles_required(*STAFF)
def list_motions():
    query = parse_query(MotionQuery)
    stmt = select(Motion).order_by(Motion.created_at.desc(), Motion.id.desc())
    if query.status:
        stmt = stmt.where(Motion.status == query.status)
    if query.committee_id:
        stmt = stmt.where(Motion.committee_id == query.committee_id)
    page = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return MotionList(items=[MotionOut.of(m) for m in page.items], page=page_info(page)).model_dump(
        mode="json"
    )


@api_route(
    "/motions",
    methods=["POST"],
    summary="Draft a motion",
    tags=TAGS,
    body=MotionIn,
    response=MotionOut,
    status=201,
    errors=(404, 422),
)
@roles_required(*STAFF)
def draft_motion():
    data = parse_body(MotionIn)
    committee = roster.get_committee(data.committee_id)
    motion = motions.draft_motion(
        current_actor(),
        committee,
        title=data.title,
        body=data.body,
        kind=data.kind,
        subject_type=data.subject_type,
        subject_ref=data.subject_ref,
        member_id=data.member_id,
        closes_at=data.closes_at,
    )
    db.session.commit()
    return _out(motion), 201


@api_route(
    "/motions/<int:motion_id>",
    summary="A motion; its result and tally only once "
    "closed; for a committee member, their own part and vote",
    tags=TAGS,
    response=MotionOut,
    errors=(404,),
)
@roles_required(Role.STAFF, Role.ADMIN, Role.COMMITTEE)
def get_motion(motion_id: int):
    return _out(_load(motion_id))


@api_route(
    "/motions/<int:motion_id>",
    methods=["PATCH"],
    summary="Change a draft",
    tags=TAGS,
    body=MotionPatchIn,
    response=MotionOut,
    errors=(404, 409, 422),
)
@roles_required(*STAFF)
def update_motion(motion_id: int):
    motion = motions.get_motion(motion_id)
    data = parse_body(MotionPatchIn)
    changes = {name: getattr(data, name) for name in data.model_fields_set}
    motions.update_draft(current_actor(), motion, **changes)
    db.session.commit()
    return _out(motion)


@api_route(
    "/motions/<int:motion_id>/open",
    methods=["POST"],
    summary="Open the vote: the "
    "members in office form the electorate, the tied are recused; refused (409) while "
    "the self-regulation committee misses its composition rule",
    tags=TAGS,
    response=MotionOut,
    errors=(404, 409, 422),
)
@roles_required(*STAFF)
def open_motion(motion_id: int):
    motion = motions.open_draft(current_actor(), motions.get_motion(motion_id))
    db.session.commit()
    return _out(motion)


@api_route(
    "/motions/<int:motion_id>/withdraw",
    methods=["POST"],
    summary="Withdraw a draft or an open motion; its votes are never counted",
    tags=TAGS,
    body=ReasonIn,
    response=MotionOut,
    errors=(404, 409, 422),
)
@roles_required(*STAFF)
def withdraw_motion(motion_id: int):
    motion = motions.get_motion(motion_id)
    data = parse_body(ReasonIn)
    motions.withdraw(current_actor(), motion, data.reason)
    db.session.commit()
    return _out(motion)


@api_route(
    "/motions/<int:motion_id>/electorate",
    summary="The electorate and participation: who has voted, never how",
    tags=TAGS,
    response=ElectorateOut,
    errors=(404,),
)
@roles_required(*STAFF)
def motion_electorate(motion_id: int):
    seen = voting.participation(current_actor(), motions.get_motion(motion_id))
    return ElectorateOut(
        eligible=seen.eligible,
        voted=seen.voted,
        not_voted=seen.not_voted,
        recused=seen.recused,
        voters=[
            VoterOut(
                user_id=v.user_id,
                display_name=v.user.display_name,
                category=v.category,
                recused=v.recused,
                recusal_kind=v.recusal_kind,
                has_voted=voted,
            )
            for v, voted in seen.voters
        ],
    ).model_dump(mode="json")


@api_route(
    "/motions/<int:motion_id>/result",
    summary="The tally with every vote and reason "
    "(committee members, secretariat, administrators); 409 until the vote closes",
    tags=TAGS,
    response=ResultOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF, Role.ADMIN, Role.COMMITTEE)
def motion_result(motion_id: int):
    motion = _load(motion_id)
    ballots = voting.ballots(current_actor(), motion)
    return ResultOut(
        motion_id=motion.id,
        tally=TallyOut.of(motion),
        ballots=[
            BallotOut(
                user_id=b.voter.user_id,
                display_name=b.voter.user.display_name,
                category=b.voter.category,
                recused=b.voter.recused,
                choice=b.vote.choice if b.vote else None,
                reason=b.vote.reason if b.vote else None,
                counted=b.counted,
            )
            for b in ballots
        ],
    ).model_dump(mode="json")


# --- committee members ----------------------------------------------------------------------


@api_route(
    "/me/motions",
    summary="My votes: open motions where I vote (soonest closing "
    "first) and closed ones with their results",
    tags=TAGS,
    response=MyMotionList,
)
@roles_required(Role.COMMITTEE)
def my_motions():
    actor = current_actor()
    open_items, closed_items = voting.my_motions(actor)
    return MyMotionList(
        open=[MotionOut.of(i.motion, _me(actor, i.motion)) for i in open_items],
        closed=[MotionOut.of(i.motion, _me(actor, i.motion)) for i in closed_items],
    ).model_dump(mode="json")


@api_route(
    "/motions/<int:motion_id>/votes",
    methods=["POST"],
    summary="Vote (committee "
    "members): yes, no or abstain, a reason with no or abstain, and the password "
    "again; 403 when recused or not a voter, 409 when voted already or closed",
    tags=TAGS,
    body=VoteIn,
    response=VoteOut,
    status=201,
    errors=(403, 404, 409, 422),
)
@roles_required(Role.COMMITTEE)
def cast_vote(motion_id: int):
    motion = _load(motion_id)
    data = parse_body(VoteIn)
    vote = voting.cast_vote(
        current_actor(), motion, choice=data.choice, reason=data.reason, password=data.password
    )
    db.session.commit()
    return VoteOut(
        motion_id=motion.id, choice=vote.choice, reason=vote.reason, cast_at=vote.cast_at
    ).model_dump(mode="json"), 201


@api_route(
    "/motions/<int:motion_id>/recusal",
    methods=["POST"],
    summary="Declare a conflict "
    "of interest and step out of the vote (committee members, before voting)",
    tags=TAGS,
    body=ReasonIn,
    response=MotionOut,
    errors=(403, 404, 409, 422),
)
@roles_required(Role.COMMITTEE)
def declare_recusal(motion_id: int):
    motion = _load(motion_id)
    data = parse_body(ReasonIn)
    voting.declare_recusal(current_actor(), motion, data.reason)
    db.session.commit()
    return _out(motion)
