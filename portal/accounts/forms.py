from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from portal.security import ROLE_LABELS, Role


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(FlaskForm):
    role = RadioField(
        _l("I am"),
        choices=[
            SelectChoice(Role.WORKER.value, _l("A worker")),
            SelectChoice(Role.MEMBER.value, _l("Staff of an occupational health agency")),
        ],
        default=Role.WORKER.value,
        validators=[DataRequired()],
    )
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=64)],
        description=_l("3 to 64 letters, digits, dots, dashes or underscores."),
        render_kw={"autocomplete": "username"},
    )
    display_name = StringField(
        _l("Name shown to others"), validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Length(max=254)],
        description=_l("Used only to tell you about your cases."),
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=64)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters."),
    )


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    active = BooleanField(_l("Account active"))


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        description=_l(
            "The 6-digit code your authenticator app shows, or one of your recovery codes."
        ),
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("Enter the 6-digit code your app shows now."),
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
        },
    )


class ConfirmForm(FlaskForm):
    """A button with its CSRF token (e.g. resetting a user's second factor)."""
