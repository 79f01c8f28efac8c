"""The agency's own pages: its membership at a glance, starting an application, reading one,
and the public profile text."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.members import draft as drafts
from portal.members.forms import EmptyForm, ProfileTextForm
from portal.members.services import access, applications, profile, staff
from portal.members.services.directory import certifications, qualification, status_of
from portal.members.states import EDITABLE, ApplicationKind
from portal.members.views import bp
from portal.security import Role, current_actor, roles_required


@bp.route("/agency")
@roles_required(Role.MEMBER)
def agency_home():
    actor = current_actor()
    member = access.member_of(actor)
    current = applications.open_application(member)
    people = staff.compliance(member)
    return render_template(
        "members/agency_home.html",
        member=member,
        current=current,
        progress=applications.progress(current) if current else None,
        history=[a for a in applications.applications_of(member) if a is not current],
        people=people,
        not_compliant=[pair for pair in people if not pair[1].compliant],
        today=clock.today(),
        qualification=qualification(member) if member else None,
        certifications=certifications(member) if member else [],
        calibrations=[c for c in member.credentials if c.kind == "calibration"] if member else [],
        status=status_of(member) if member and member.is_member else None,
        form=EmptyForm(),
        kinds=ApplicationKind,
    )


@bp.route("/agency/applications", methods=["POST"])
@roles_required(Role.MEMBER)
def application_start():
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return see_other("members.agency_home")
    try:
        application = applications.start(current_actor(), request.form.get("kind") or None)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "info")
        return see_other(
            "members.application_view", application_id=int(error.fields["application_id"])
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return see_other("members.agency_home")
    db.session.commit()
    flash(_("Your application is started. Each step is saved as you go."), "success")
    return see_other("members.application_step", application_id=application.id, step="agency")


def first_open_step(application) -> str:
    states = applications.progress(application)
    last = application.last_step
    if last in drafts.STEP_KEYS and states.get(last) != "complete":
        return last
    return next((step for step in drafts.STEP_KEYS[:-1] if states[step] != "complete"), "summary")


@bp.route("/agency/applications/<int:application_id>")
@roles_required(Role.MEMBER)
def application_view(application_id: int):
    application = access.own_application(current_actor(), application_id)
    if application.status_enum in EDITABLE and request.args.get("read") != "1":
        return redirect(
            url_for(
                "members.application_step",
                application_id=application.id,
                step=first_open_step(application),
            )
        )
    return render_template(
        "members/application.html",
        application=application,
        checklist=applications.checklist(application),
        slots=applications.slots_of(application),
        people=staff.compliance(application.member),
    )


@bp.route("/agency/profile-text", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
def profile_text():
    actor = current_actor()
    member = access.member_of(actor)
    form = ProfileTextForm(data={"profile_text": member.profile_text if member else ""})
    if member is not None and form.validate_on_submit():
        try:
            profile.update_profile_text(actor, member, form.profile_text.data or "")
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile text is saved."), "success")
            return see_other("members.profile_text")
    return render_template("members/profile_text.html", form=form, member=member)
