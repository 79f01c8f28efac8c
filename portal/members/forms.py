"""Page forms of the members domain (the wizard's steps are parsed in views/wizard.py, as
their fields are kept as typed in the draft rather than validated by WTForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.members.constants import StaffCertificate, StaffRole
from portal.members.models import PROFILE_TEXT_MAX
from portal.members.services.review import REASON_MAX
from portal.members.staff_models import CONTINUING, PRE_JOB


class EmptyForm(FlaskForm):
    """No fields: the CSRF token of a one-button form."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(), Length(max=REASON_MAX)],
        description=_l("The applicant reads this in the portal and in the e-mail."),
        render_kw={"rows": 4},
    )


class StaffForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=50)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(value, label) for value, label in StaffRole.choices()],
        validators=[InputRequired()],
    )
    experience_years = FloatField(
        _l("Years of relevant experience"),
        validators=[InputRequired(), NumberRange(min=0, max=60)],
        description=_l("At least 2 years are required to practise."),
    )
    first_assignment = DateField(
        _l("First assignment"),
        validators=[Optional()],
        description=_l("The day the person first worked on assignments; leave empty if not yet."),
    )
    active = BooleanField(_l("Works for the agency"), default=True)


def certificate_fields(form) -> list[tuple[StaffCertificate, object, object, object]]:
    """(certificate, held, number, valid_to) fields of a StaffForm, in definition order."""
    return [
        (
            certificate,
            form[f"cert_{certificate.value}"],
            form[f"cert_{certificate.value}_number"],
            form[f"cert_{certificate.value}_valid_to"],
        )
        for certificate in StaffCertificate
    ]


for _certificate in StaffCertificate:
    setattr(StaffForm, f"cert_{_certificate.value}", BooleanField(_certificate.label))
    setattr(
        StaffForm,
        f"cert_{_certificate.value}_number",
        StringField(_l("Certificate number"), validators=[Optional(), Length(max=60)]),
    )
    setattr(
        StaffForm,
        f"cert_{_certificate.value}_valid_to",
        DateField(
            _l("Valid until"),
            validators=[Optional()],
            description=_l("Leave empty if it does not expire."),
        ),
    )


class TrainingForm(FlaskForm):
    kind = RadioField(
        _l("Kind of training"),
        choices=[
            SelectChoice(PRE_JOB, _l("Pre-job training")),
            SelectChoice(CONTINUING, _l("Continuing education")),
        ],
        validators=[InputRequired(message=_l("Choose one."))],
    )
    hours = FloatField(_l("Hours"), validators=[InputRequired(), NumberRange(min=0.5, max=500)])
    completed_on = DateField(_l("Completed on"), validators=[InputRequired()])
    course = StringField(_l("Course or provider"), validators=[Optional(), Length(max=200)])


class ExamForm(FlaskForm):
    taken_on = DateField(_l("Examination date"), validators=[InputRequired()])
    result = RadioField(
        _l("Result (theory and practical)"),
        choices=[SelectChoice("passed", _l("Passed")), SelectChoice("failed", _l("Failed"))],
        validators=[InputRequired(message=_l("Choose one."))],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class ProfileTextForm(FlaskForm):
    profile_text = TextAreaField(
        _l("Profile text"),
        validators=[Length(max=PROFILE_TEXT_MAX)],
        description=_l(
            "Shown on your public profile. Absolute claims such as “国家级认证” or "
            "“100%治愈率” are not allowed."
        ),
        render_kw={"rows": 8},
    )


class PhraseForm(FlaskForm):
    phrase = StringField(
        _l("Phrase"),
        validators=[InputRequired(), Length(max=100)],
        description=_l("Matched regardless of spaces, full-width forms and letter case."),
    )
