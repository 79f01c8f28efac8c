"""A member agency's own public entries: statement, dispute, credit repair."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _

from portal import uploads
from portal.complaints.views.common import private_page
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.publication import access
from portal.publication import agency as actions
from portal.publication.forms import DisputeForm, RepairForm, StatementForm
from portal.publication.views import bp
from portal.security import Role, current_actor, roles_required

PER_PAGE = 20


@bp.route("/agency/publication")
@roles_required(Role.MEMBER)
def agency_list():
    actor = current_actor()
    page = db.paginate(access.own_entries(actor), per_page=PER_PAGE, error_out=False)
    return render_template(
        "publication/agency_list.html",
        page=page,
        has_agency=access.agency_id_of(actor) is not None,
    )


def _page(entry, *, statement=None, dispute=None, repair=None, status: int = 200):
    return private_page(
        "publication/agency_entry.html",
        status=status,
        entry=entry,
        statement_form=statement or StatementForm(formdata=None, statement=entry.statement),
        dispute_form=dispute or DisputeForm(formdata=None),
        repair_form=repair or RepairForm(formdata=None),
        disputes=actions.disputes_of(entry),
        repairs=actions.repairs_of(entry),
        proofs={
            r.id: uploads.files_of(access.REPAIR_FILES, r.id) for r in actions.repairs_of(entry)
        },
        repair_refusal=actions.repair_refusal(entry),
        repair_opens_on=actions.repair_opens_on(entry),
    )


@bp.route("/agency/publication/<int:entry_id>")
@roles_required(Role.MEMBER)
def agency_entry(entry_id: int):
    return _page(access.own_entry(current_actor(), entry_id))


def _act(form, entry, form_key: str, do, done_message: str):
    if form.validate_on_submit():
        try:
            do()
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(done_message, "success")
            return see_other("publication.agency_entry", entry_id=entry.id)
    return _page(entry, status=422, **{form_key: form})


@bp.route("/agency/publication/<int:entry_id>/statement", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_statement(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    form = StatementForm()
    return _act(
        form,
        entry,
        "statement",
        lambda: actions.set_statement(actor, entry, form.statement.data),
        _("Your statement has been saved."),
    )


@bp.route("/agency/publication/<int:entry_id>/dispute", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_dispute(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    form = DisputeForm()
    return _act(
        form,
        entry,
        "dispute",
        lambda: actions.file_dispute(actor, entry, form.text.data),
        _("Your dispute has been sent to the secretariat."),
    )


@bp.route("/agency/publication/<int:entry_id>/repair", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_repair(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    form = RepairForm()
    files = [
        actions.Upload(item, item.filename)
        for item in (form.files.data or [])
        if item is not None and getattr(item, "filename", None)
    ]
    return _act(
        form,
        entry,
        "repair",
        lambda: actions.apply_for_repair(
            actor,
            entry,
            rectification=form.rectification.data,
            commitment_accepted=bool(form.commitment_accepted.data),
            commitment_name=form.commitment_name.data,
            files=files,
        ),
        _("Your application for credit repair has been sent."),
    )
