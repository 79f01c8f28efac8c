"""The forms of discipline. Field names are those the services use in their errors, so a
service's field error lands on the right input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.discipline.constants import (
    LEVEL_LABELS,
    MEASURE_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    SOURCE_REF_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    Source,
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


LEVEL_CHOICES = [SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()]
MEASURE_CHOICES = [SelectChoice(m.value, label) for m, label in MEASURE_LABELS.items()]


class EmptyForm(FlaskForm):
    """Only the CSRF token (decide, accept)."""


class OpenCaseForm(FlaskForm):
    member_id = SelectField(_l("Member agency"), coerce=int, choices=[], validate_choice=False)
    source = SelectField(
        _l("Where the case comes from"),
        choices=[SelectChoice(s.value, SOURCE_LABELS[s]) for s in Source if s is not Source.BREACH],
    )
    source_ref = StringField(
        _l("Reference"),
        description=_l(
            "For a complaint: its tracking number (it must be substantiated). For an "
            "inspection: its reference."
        ),
        filters=[_strip],
        validators=[Optional(), Length(max=SOURCE_REF_MAX)],
    )
    summary = StringField(
        _l("Summary"), filters=[_strip], validators=[DataRequired(), Length(max=SUMMARY_MAX)]
    )
    findings = TextAreaField(
        _l("Findings so far"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)]
    )


class FindingsForm(FlaskForm):
    findings = TextAreaField(
        _l("Findings"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )


class EvidenceForm(FlaskForm):
    note = TextAreaField(
        _l("Note"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)]
    )
    files = MultipleFileField(
        _l("Files"), description=_l("PDF, PNG or JPEG; each is kept with its SHA-256.")
    )


class SanctionFields:
    level = RadioField(_l("Level"), choices=LEVEL_CHOICES, validate_choice=False)
    measures = SelectMultipleField(_l("Sanctions"), choices=MEASURE_CHOICES, validate_choice=False)
    publication_months = IntegerField(
        _l("Publication term (months)"),
        description=_l("General: 3 to 12 months. Serious: 12 to 36 months. Minor: none."),
        validators=[Optional()],
    )
    rectify_due_on = DateField(
        _l("Rectify by"), description=_l("For an order to rectify."), validators=[Optional()]
    )
    reasons = TextAreaField(
        _l("Reasons"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )


class ProposeForm(SanctionFields, FlaskForm):
    pass


class SubmitForm(FlaskForm):
    voting_days = IntegerField(
        _l("Voting stays open for (days)"),
        default=5,
        validators=[DataRequired(), NumberRange(min=1, max=30)],
    )


class DismissForm(FlaskForm):
    reason = TextAreaField(
        _l("Why no sanction"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )


class OutcomeForm(SanctionFields, FlaskForm):
    outcome = RadioField(
        _l("Outcome put to the appeal committee"),
        choices=[SelectChoice(o.value, label) for o, label in OUTCOME_LABELS.items()],
        validate_choice=False,
    )
    voting_days = IntegerField(
        _l("Voting stays open for (days)"),
        default=3,
        validators=[DataRequired(), NumberRange(min=1, max=15)],
    )


class AppealForm(FlaskForm):
    grounds = TextAreaField(
        _l("Grounds of the appeal"),
        filters=[_strip],
        validators=[DataRequired(), Length(max=TEXT_MAX)],
    )
    files = MultipleFileField(_l("Supporting files"), description=_l("PDF, PNG or JPEG."))


class RectificationForm(FlaskForm):
    report = TextAreaField(
        _l("What was done"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )
    files = MultipleFileField(_l("Proof"), description=_l("PDF, PNG or JPEG."))


class BreachForm(FlaskForm):
    discovered_at = DateTimeLocalField(
        _l("Discovered at (Beijing time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired()],
    )
    description = TextAreaField(
        _l("What happened"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )
    affected_count = IntegerField(
        _l("People affected (estimate)"), validators=[Optional(), NumberRange(min=0)]
    )
    measures_taken = TextAreaField(
        _l("Measures taken"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)]
    )


class NoCaseForm(FlaskForm):
    note = TextAreaField(
        _l("Why no case"), filters=[_strip], validators=[DataRequired(), Length(max=TEXT_MAX)]
    )
