"""Committee members: my votes, a motion's page (read, vote with the password again, or
recuse), and my declared ties to agencies."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _

from portal.committees import motions, roster, ties, voting
from portal.committees.forms import ReasonForm, TieForm, VoteForm, choices
from portal.committees.models import Motion
from portal.committees.rules import yes_needed
from portal.committees.states import MotionStatus
from portal.committees.views import bp
from portal.errors import DomainError, NotFound
from portal.extensions import db, limiter
from portal.forms_support import see_other, show_domain_error
from portal.security import Role, current_actor, roles_required


def _vote_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]  # the password is checked again


@bp.route("/committee/votes")
@roles_required(Role.COMMITTEE)
def my_votes():
    open_items, closed_items = voting.my_motions(current_actor())
    return render_template(
        "committees/member/votes.html", open_items=open_items, closed_items=closed_items
    )


def _visible_motion(motion_id: int) -> Motion:
    motion = motions.get_motion(motion_id)
    if not voting.may_view(current_actor(), motion):
        raise NotFound(_("No such motion."))
    return motion


def _render_motion(motion: Motion, vote_form=None, recuse_form=None, status: int = 200):
    actor = current_actor()
    closed = motion.status == MotionStatus.CLOSED
    return render_template(
        "committees/member/motion.html",
        motion=motion,
        voter=voting.voter_row(actor, motion),
        my_vote=voting.own_vote(actor, motion),
        can_vote=voting.can_vote(actor, motion),
        refusal=voting.vote_refusal(actor, motion),
        ballots=voting.ballots(actor, motion) if closed else [],
        needed=yes_needed(motion.kind, motion.eligible_count or 0) if closed else None,
        vote_form=vote_form or VoteForm(formdata=None),
        recuse_form=recuse_form or ReasonForm(formdata=None, prefix="recuse"),
    ), status


@bp.route("/committee/motions/<int:motion_id>")
@roles_required(Role.COMMITTEE)
def vote_page(motion_id: int):
    return _render_motion(_visible_motion(motion_id))


@bp.route("/committee/motions/<int:motion_id>/vote", methods=["POST"])
@roles_required(Role.COMMITTEE)
@limiter.limit(_vote_limit)
def vote(motion_id: int):
    motion = _visible_motion(motion_id)
    form = VoteForm()
    status = 422
    if form.validate_on_submit():
        try:
            voting.cast_vote(
                current_actor(),
                motion,
                choice=form.choice.data,
                reason=form.reason.data,
                password=form.password.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            status = error.status  # 403 recused or not a voter, 409 voted or closed, 422
        else:
            db.session.commit()
            flash(
                _("Your vote has been recorded. Results are published when the vote closes."),
                "success",
            )
            return see_other("committees.vote_page", motion_id=motion_id)
    form.password.data = ""
    return _render_motion(motions.get_motion(motion_id), vote_form=form, status=status)


@bp.route("/committee/motions/<int:motion_id>/recuse", methods=["POST"])
@roles_required(Role.COMMITTEE)
def recuse(motion_id: int):
    motion = _visible_motion(motion_id)
    form = ReasonForm(prefix="recuse")
    status = 422
    if form.validate_on_submit():
        try:
            voting.declare_recusal(current_actor(), motion, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("You are recused from this motion."), "success")
            return see_other("committees.vote_page", motion_id=motion_id)
    return _render_motion(motions.get_motion(motion_id), recuse_form=form, status=status)


@bp.route("/committee/ties", methods=["GET", "POST"])
@roles_required(Role.COMMITTEE)
def my_ties():
    actor = current_actor()
    form = TieForm()
    form.member_id.choices = choices((m.id, m.name) for m in roster.member_choices())
    if form.validate_on_submit():
        try:
            ties.declare_tie(
                actor,
                member_id=form.member_id.data,
                nature=form.nature.data,
                note=form.note.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Tie declared. You will be recused from votes about this agency."), "success")
            return see_other("committees.my_ties")
    return render_template(
        "committees/member/ties.html",
        form=form,
        ties=ties.ties(user_id=actor.id),
        seats=roster.seats_of(actor),
    ), 422 if form.errors else 200
