"""/admin/forbidden-phrases: the built-in absolute claims and the ones administrators add."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.members.advertising import DEFAULT_FORBIDDEN_PHRASES
from portal.members.forms import EmptyForm, PhraseForm
from portal.members.models import ForbiddenPhrase
from portal.members.services import profile
from portal.members.views import bp
from portal.security import Role, current_actor, roles_required


def _render(form, status: int = 200):
    extras = db.session.scalars(select(ForbiddenPhrase).order_by(ForbiddenPhrase.id)).all()
    return render_template(
        "members/admin/phrases.html",
        form=form,
        extras=extras,
        builtin=DEFAULT_FORBIDDEN_PHRASES,
        delete_form=EmptyForm(),
    ), status


@bp.route("/admin/forbidden-phrases", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def phrases():
    form = PhraseForm()
    if form.validate_on_submit():
        try:
            profile.add_phrase(current_actor(), form.phrase.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _render(form, 422)
        db.session.commit()
        flash(_("Phrase added. Profile texts containing it are refused from now on."), "success")
        return see_other("members.phrases")
    return _render(form, 422 if form.errors else 200)


@bp.route("/admin/forbidden-phrases/<int:phrase_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def phrase_delete(phrase_id: int):
    if EmptyForm().validate_on_submit():
        profile.remove_phrase(current_actor(), phrase_id)
        db.session.commit()
        flash(_("Phrase removed."), "success")
    return see_other("members.phrases")
