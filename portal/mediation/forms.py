"""Forms of mediation. Field names match the services' error fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class EmptyForm(FlaskForm):
    """Only the CSRF token (consent, judicial mark)."""


class ProposeForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the case file (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class PanelForm(FlaskForm):
    panel = SelectMultipleField(
        _l("Panel members"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l(
            "At least one medical expert, one legal expert and one worker representative; "
            "nobody tied to the agency. Hold Ctrl (or ⌘) to choose several."
        ),
        render_kw={"size": 8},
    )
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Date and time (Beijing time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the date and time."))],
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_link = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=300)],
        description=_l("An https:// link, for a session held online."),
    )


class MinutesForm(FlaskForm):
    session_id = SelectField(_l("Session"), choices=[], validate_choice=False)
    complainant_present = BooleanField(_l("The complainant attended"))
    agency_present = BooleanField(_l("The agency attended"))
    panel_present = SelectMultipleField(
        _l("Panel members present"), coerce=int, choices=[], validate_choice=False
    )
    minutes = TextAreaField(
        _l("Minutes"),
        validators=[DataRequired(message=_l("Write the minutes.")), Length(max=20000)],
        render_kw={"rows": 6},
    )


class DocumentForm(FlaskForm):
    kind = RadioField(
        _l("Kind"),
        choices=[
            SelectChoice("evidence", _l("Evidence")),
            SelectChoice("document", _l("Document")),
        ],
        default="document",
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[Optional()], render_kw={"rows": 3})
    file = FileField(_l("File (optional)"), description=_l("PDF, PNG or JPEG, 10 MB at most."))


class CorrectionForm(FlaskForm):
    key = SelectField(_l("Document"), choices=[], validate_choice=False)
    note = StringField(_l("What the correction changes"), validators=[DataRequired()])
    text = TextAreaField(_l("Corrected text"), validators=[Optional()], render_kw={"rows": 3})
    file = FileField(_l("Corrected file (optional)"))


class AgreementForm(FlaskForm):
    text = TextAreaField(
        _l("Text of the agreement"),
        validators=[DataRequired(), Length(max=20000)],
        render_kw={"rows": 8},
        description=_l("Writing a new text cancels the confirmations given so far."),
    )


class ConfirmForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])


class FailForm(FlaskForm):
    reason = TextAreaField(
        _l("Why mediation failed"), validators=[DataRequired()], render_kw={"rows": 3}
    )
    complaint_after = SelectField(
        _l("The complaint then"),
        choices=[
            SelectChoice("resume", _l("goes back to the investigation")),
            SelectChoice("close", _l("is closed with the notice of the right to sue")),
        ],
    )


class TrackForm(FlaskForm):
    tracking_number = StringField(
        _l("Tracking number of the complaint"), validators=[DataRequired(), Length(max=30)]
    )
    receipt_code = StringField(
        _l("Receipt code"),
        validators=[DataRequired(), Length(max=30)],
        render_kw={"autocomplete": "off"},
    )
