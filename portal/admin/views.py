from __future__ import annotations

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _

from portal.accounts import services
from portal.accounts.forms import UserCreateForm, UserEditForm
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.security import ROLE_LABELS, Role, current_actor, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("role") if request.args.get("role") in set(Role) else None
    page = db.paginate(services.search_users(query, role), per_page=25, error_out=False)
    return render_template(
        "admin/users.html", page=page, q=query, role=role, role_labels=ROLE_LABELS
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                role=Role(form.role.data),
                email=form.email.data,
                actor=current_actor(),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("User %(name)s created.", name=user.username), "success")
            return see_other("admin.users")
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id: int):
    user = services.get_user(user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(
                current_actor(),
                user,
                role=Role(form.role.data),
                active=form.active.data,
                display_name=form.display_name.data,
                email=form.email.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return see_other("admin.users")
    return render_template("admin/user_form.html", form=form, user=user)


from portal.admin import calendar_views  # noqa: E402,F401
