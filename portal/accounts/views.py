"""Sign-in, registration, password change, and each role's home page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import navigation
from portal.accounts import services
from portal.accounts.forms import ChangePasswordForm, LoginForm, RegisterForm
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms_support import safe_next, see_other, show_domain_error
from portal.security import Role, logged_in, public

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            db.session.commit()
            flash(_("The username or password is wrong."), "danger")
        else:
            db.session.commit()
            session.clear()  # a fresh session at sign-in
            login_user(user)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")), code=303)
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@logged_in
def logout():
    services.logout(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return see_other("public.home")


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                role=Role(form.role.data),
                email=form.email.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Your account is ready."), "success")
            return see_other("accounts.dashboard")
    return render_template("accounts/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@logged_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            login_user(current_user)  # this session carries the new session version
            flash(
                _("Your password has been changed. Other sessions have been signed out."), "success"
            )
            return see_other("accounts.dashboard")
    return render_template("accounts/password.html", form=form)


@bp.route("/dashboard")
@logged_in
def dashboard():
    heading, tiles = navigation.workspace(current_user.role)
    return render_template("accounts/home.html", workspace_heading=heading, workspace_tiles=tiles)
