"""Sign-in, registration, password change, and each role's home page."""

from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from portal import clock, navigation
from portal.accounts import services, throttle, two_factor
from portal.accounts.auth import start_session
from portal.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    EnrolForm,
    LoginForm,
    RegisterForm,
    SecondFactorForm,
)
from portal.accounts.models import User
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms_support import safe_next, see_other, show_domain_error
from portal.security import Role, log_security_event, logged_in, public, roles_required

bp = Blueprint("accounts", __name__)
bp.add_app_template_global(two_factor.requires_two_factor, "requires_two_factor")


PENDING_SECONDS = 5 * 60  # between the password and the second step


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(throttle.address_limit, methods=["POST"], on_breach=throttle.log_throttled)
@limiter.limit(
    throttle.account_limit,
    key_func=throttle.account_key,
    methods=["POST"],
    deduct_when=throttle.attempt_failed,
    on_breach=throttle.log_throttled,
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.check_password(form.username.data, form.password.data)
        if user is None:
            throttle.mark_failed()
            log_security_event("login.failed", username=form.username.data)
            flash(_("The username or password is wrong."), "danger")
        elif two_factor.requires_two_factor(user):
            db.session.commit()  # a rehashed password
            return _start_second_step(user)
        else:
            services.record_login(user)
            db.session.commit()
            start_session(user)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")), code=303)
    return render_template("accounts/login.html", form=form)


def _start_second_step(user):
    """The password was right: the session holds only a short-lived pending state."""
    session.clear()
    session["pending_2fa"] = {
        "uid": user.id,
        "sv": user.session_version,
        "at": int(clock.now().timestamp()),
        "next": safe_next(request.args.get("next")),
    }
    step = "accounts.login_verify" if two_factor.is_enrolled(user) else "accounts.login_enrol"
    return see_other(step)


def _pending_user():
    """The user waiting for their second step, or None (none, expired, or changed since)."""
    pending = session.get("pending_2fa")
    if not isinstance(pending, dict):
        return None
    elapsed = clock.now().timestamp() - pending.get("at", 0)
    user = db.session.get(User, pending.get("uid", 0))
    if (
        not 0 <= elapsed <= PENDING_SECONDS
        or user is None
        or not user.active
        or user.session_version != pending.get("sv")
        or not two_factor.requires_two_factor(user)
    ):
        session.pop("pending_2fa", None)
        return None
    return user


def _back_to_password():
    flash(_("Your sign-in has expired. Please enter your password again."), "warning")
    return see_other("accounts.login")


# Wrong codes on either second-step page count against the pending user's account.
second_step_limit = limiter.limit(
    throttle.account_limit,
    key_func=throttle.pending_user_key,
    methods=["POST"],
    deduct_when=throttle.attempt_failed,
    on_breach=throttle.log_throttled,
)


def _refused(user, form) -> None:
    throttle.mark_failed()
    two_factor.record_refusal(user)
    db.session.commit()
    log_security_event("login.second_factor_refused", user_id=user.id)
    form.code.errors = [*form.code.errors, _("The code is wrong or has already been used.")]


@bp.route("/login/verify", methods=["GET", "POST"])
@public
@second_step_limit
def login_verify():
    user = _pending_user()
    if user is None:
        return _back_to_password()
    if not two_factor.is_enrolled(user):
        return see_other("accounts.login_enrol")
    form = SecondFactorForm()
    if form.validate_on_submit():
        method = two_factor.verify_second_factor(user, form.code.data)
        if method is None:
            _refused(user, form)
        else:
            next_url = session["pending_2fa"]["next"]
            services.record_login(user, method)
            db.session.commit()
            start_session(user)
            if method == "recovery_code":
                flash(
                    _(
                        "You used a recovery code; %(n)s remain.",
                        n=two_factor.remaining_recovery_codes(user),
                    ),
                    "warning",
                )
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(next_url, code=303)
    return render_template("accounts/verify.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
@public
@second_step_limit
def login_enrol():
    user = _pending_user()
    if user is None:
        return _back_to_password()
    if two_factor.is_enrolled(user):
        return see_other("accounts.login_verify")
    two_factor.start_enrolment(user)
    db.session.commit()  # the secret stays the same while the user sets up the app
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(user, form.code.data)
        except DomainError:
            db.session.rollback()
            _refused(user, form)
        else:
            next_url = session["pending_2fa"]["next"]
            services.record_login(user, "totp")
            db.session.commit()
            start_session(user)
            # Shown once, in this answer only (no-store): only their hashes are kept.
            return render_template("accounts/recovery_codes.html", codes=codes, next_url=next_url)
    secret = two_factor.totp_of(user).secret
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "accounts/enrol.html",
        form=form,
        grouped_secret=two_factor.group_secret(secret),
        otpauth_uri=uri,
        qr_svg=_qr_svg(uri),
    )


def _qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG (no script, no data: URL; segno escapes the title)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=2, light="#fff", title=_("QR code for your authenticator app")
    )
    return Markup(svg)  # noqa: S704 (segno's own markup, built from escaped text)


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@roles_required(Role.ADMIN)
def reset_two_factor(user_id: int):
    form = ConfirmForm()
    user = services.get_user(user_id)
    if form.validate_on_submit():
        try:
            two_factor.reset_two_factor(current_user, user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Two-factor sign-in of %(name)s was reset.", name=user.username), "success")
    return see_other("admin.user_edit", user_id=user.id)


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
@limiter.limit(throttle.address_limit, methods=["POST"])
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
            start_session(user)
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


@bp.route("/account/two-factor", methods=["GET", "POST"])
@roles_required(*two_factor.TWO_FACTOR_ROLES)
@throttle.renewal_limit
def two_factor_settings():
    """Two-factor sign-in of the signed-in user: the recovery codes left, and new ones."""
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(current_user, form.code.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            log_security_event("account.recovery_codes_renewed", user_id=current_user.id)
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                renewed=True,
                next_url=url_for("accounts.two_factor_settings"),
            )
    page = render_template(
        "accounts/two_factor.html",
        form=form,
        totp=two_factor.totp_of(current_user),
        remaining=two_factor.remaining_recovery_codes(current_user),
    )
    return page, 422 if form.errors else 200


@bp.route("/dashboard")
@logged_in
def dashboard():
    heading, tiles = navigation.workspace(current_user.role)
    return render_template("accounts/home.html", workspace_heading=heading, workspace_tiles=tiles)
