"""Administrators: the committees, their seats (category, term) and members' ties."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _

from portal.committees import roster, ties
from portal.committees.forms import (
    AdminTieForm,
    CommitteeCreateForm,
    EmptyForm,
    SeatEditForm,
    SeatForm,
    choices,
)
from portal.committees.states import CATEGORIES
from portal.committees.views import bp
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.security import Role, current_actor, roles_required


@bp.route("/admin/committees")
@roles_required(Role.ADMIN)
def admin_index():
    rows = [(c, roster.composition_of(c)) for c in roster.committees()]
    return render_template(
        "committees/admin/index.html",
        rows=rows,
        missing=roster.missing_kinds(),
        create_form=CommitteeCreateForm(),
    )


@bp.route("/admin/committees", methods=["POST"])
@roles_required(Role.ADMIN)
def admin_create():
    form = CommitteeCreateForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("committees.admin_index")
    committee = roster.create_committee(current_actor(), form.kind.data)
    db.session.commit()
    flash(_("The %(committee)s has been set up.", committee=committee.label), "success")
    return see_other("committees.admin_detail", committee_id=committee.id)


@bp.route("/admin/committees/<int:committee_id>")
@roles_required(Role.ADMIN)
def admin_detail(committee_id: int):
    committee = roster.get_committee(committee_id)
    in_office = roster.seats_in_office(committee)
    return render_template(
        "committees/admin/detail.html",
        committee=committee,
        in_office_ids={seat.id for seat in in_office},
        seats=roster.all_seats(committee),
        composition=roster.composition_of(committee),
        problem=roster.composition_problem(committee),
    )


def _people():
    return choices((u.id, f"{u.display_name} ({u.username})") for u in roster.committee_users())


def _seat_choices(form, committee) -> None:
    form.category.choices = choices((c.value, c.label) for c in CATEGORIES[committee.kind_enum])
    if hasattr(form, "user_id"):
        form.user_id.choices = _people()


@bp.route("/admin/committees/<int:committee_id>/seats/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def seat_new(committee_id: int):
    committee = roster.get_committee(committee_id)
    form = SeatForm()
    _seat_choices(form, committee)
    status = 200
    if form.validate_on_submit():
        try:
            roster.add_seat(
                current_actor(),
                committee,
                user_id=form.user_id.data,
                category=form.category.data,
                term_start=form.term_start.data,
                term_end=form.term_end.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Seat added."), "success")
            return see_other("committees.admin_detail", committee_id=committee.id)
    if form.errors:
        status = 422
    return render_template(
        "committees/admin/seat_form.html", form=form, committee=committee, seat=None
    ), status


@bp.route("/admin/committees/seats/<int:seat_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def seat_edit(seat_id: int):
    seat = roster.get_seat(seat_id)
    committee = seat.committee
    form = SeatEditForm(obj=seat)
    _seat_choices(form, committee)
    if form.validate_on_submit():
        try:
            roster.update_seat(
                current_actor(),
                seat,
                category=form.category.data,
                term_start=form.term_start.data,
                term_end=form.term_end.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Seat saved."), "success")
            return see_other("committees.admin_detail", committee_id=committee.id)
    return render_template(
        "committees/admin/seat_form.html", form=form, committee=committee, seat=seat
    ), 422 if form.errors else 200


@bp.route("/admin/committees/ties", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def admin_ties():
    form = AdminTieForm()
    form.user_id.choices = _people()
    form.member_id.choices = choices((m.id, m.name) for m in roster.member_choices())
    if form.validate_on_submit():
        try:
            ties.declare_tie(
                current_actor(),
                user_id=form.user_id.data,
                member_id=form.member_id.data,
                nature=form.nature.data,
                note=form.note.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Tie recorded. The member is recused from votes about that agency."), "success")
            return see_other("committees.admin_ties")
    show_all = request.args.get("all") == "1"
    return render_template(
        "committees/admin/ties.html",
        form=form,
        ties=ties.ties(active_only=not show_all),
        show_all=show_all,
        withdraw_form=EmptyForm(),
    ), 422 if form.errors else 200


@bp.route("/admin/committees/ties/<int:tie_id>/withdraw", methods=["POST"])
@roles_required(Role.ADMIN)
def tie_withdraw(tie_id: int):
    tie = ties.get_tie(tie_id)
    if EmptyForm().validate_on_submit():
        ties.withdraw_tie(current_actor(), tie)
        db.session.commit()
        flash(_("Tie withdrawn. It no longer recuses from votes opened from now on."), "success")
    return see_other("committees.admin_ties")
