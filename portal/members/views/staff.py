"""The agency's staff: the list with who is not compliant and why, a person's record with
their training and examinations, and the forms to add or change them."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.members.forms import ExamForm, StaffForm, TrainingForm, certificate_fields
from portal.members.services import access, staff
from portal.members.staff_rules import evaluate_staff
from portal.members.views import bp
from portal.security import Role, current_actor, roles_required


@bp.route("/agency/staff")
@roles_required(Role.MEMBER)
def staff_list():
    member = access.member_of(current_actor())
    people = staff.compliance(member)
    former = [p for p in staff.staff_of(member, include_inactive=True) if not p.active]
    return render_template(
        "members/staff/list.html",
        member=member,
        people=people,
        former=former,
        today=clock.today(),
        hours={p.id: staff.hours_summary(p, clock.today().year) for p, _v in people},
    )


def _certificates_from(form) -> list[staff.CertificateIn]:
    return [
        staff.CertificateIn(
            code=certificate.value, number=number.data or "", valid_to=valid_to.data
        )
        for certificate, held, number, valid_to in certificate_fields(form)
        if held.data
    ]


def _form_data(person) -> dict:
    data = {
        "name": person.name,
        "role": person.role,
        "experience_years": person.experience_years,
        "first_assignment": person.first_assignment,
        "active": person.active,
    }
    for row in person.certificates:
        data[f"cert_{row.code}"] = True
        data[f"cert_{row.code}_number"] = row.number
        data[f"cert_{row.code}_valid_to"] = row.valid_to
    return data


@bp.route("/agency/staff/new", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def staff_new():
    return _edit(None)


@bp.route("/agency/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def staff_edit(staff_id: int):
    return _edit(staff.staff_for(current_actor(), staff_id, write=True))


def _edit(person):
    actor = current_actor()
    member = access.member_of(actor)
    if member is None:
        flash(
            _("Start your agency's membership application first; staff belong to an agency."),
            "info",
        )
        return see_other("members.agency_home")
    form = StaffForm(data=_form_data(person) if person else None)
    if form.validate_on_submit():
        try:
            saved = staff.save_person(
                actor,
                member,
                person,
                name=form.name.data,
                role=form.role.data,
                experience_years=form.experience_years.data,
                first_assignment=form.first_assignment.data,
                certificates=_certificates_from(form),
                active=form.active.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Staff record saved."), "success")
            return see_other("members.staff_detail", staff_id=saved.id)
    return render_template(
        "members/staff/form.html", form=form, person=person, certificates=certificate_fields(form)
    )


@bp.route("/agency/staff/<int:staff_id>")
@roles_required(Role.MEMBER, Role.STAFF)
def staff_detail(staff_id: int):
    actor = current_actor()
    person = staff.staff_for(actor, staff_id)
    return _detail(person, TrainingForm(), ExamForm())


def _detail(person, training_form, exam_form, status: int = 200):
    actor = current_actor()
    today = clock.today()
    return render_template(
        "members/staff/detail.html",
        person=person,
        today=today,
        verdict=evaluate_staff(staff.staff_input(person), today),
        hours=staff.hours_summary(person, today.year),
        training_form=training_form,
        exam_form=exam_form,
        can_edit=access.belongs_to(actor, person.member_id),
    ), status


@bp.route("/agency/staff/<int:staff_id>/training", methods=["POST"])
@roles_required(Role.MEMBER)
def staff_training(staff_id: int):
    actor = current_actor()
    person = staff.staff_for(actor, staff_id, write=True)
    form = TrainingForm()
    if form.validate_on_submit():
        try:
            staff.add_training(
                actor,
                person,
                kind=form.kind.data,
                hours=form.hours.data,
                completed_on=form.completed_on.data,
                course=form.course.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Training hours recorded."), "success")
            return see_other("members.staff_detail", staff_id=person.id)
    return _detail(person, form, ExamForm(formdata=None), 422)


@bp.route("/agency/staff/<int:staff_id>/exams", methods=["POST"])
@roles_required(Role.MEMBER)
def staff_exam(staff_id: int):
    actor = current_actor()
    person = staff.staff_for(actor, staff_id, write=True)
    form = ExamForm()
    if form.validate_on_submit():
        try:
            staff.record_exam(
                actor,
                person,
                taken_on=form.taken_on.data,
                passed=form.result.data == "passed",
                note=form.note.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if person.practice_suspended:
                flash(
                    _(
                        "Examination recorded. The failed examination suspends this person's "
                        "practice until a pass is recorded."
                    ),
                    "warning",
                )
            else:
                flash(_("Examination recorded."), "success")
            return see_other("members.staff_detail", staff_id=person.id)
    return _detail(person, TrainingForm(formdata=None), form, 422)
