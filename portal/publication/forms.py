"""The forms of publication. Field names are the ones the services name in their errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.publication import constants as c


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StatementForm(FlaskForm):
    statement = TextAreaField(
        _l("Your statement"),
        validators=[Optional(), Length(max=c.STATEMENT_MAX)],
        filters=[_strip],
        description=_l(
            "At most 500 characters, shown beside the entry. Leave it empty to remove it."
        ),
    )


class DisputeForm(FlaskForm):
    text = TextAreaField(
        _l("Which fact is wrong, and what is right"),
        validators=[DataRequired(message=_l("Describe the error.")), Length(max=c.DISPUTE_MAX)],
        filters=[_strip],
    )


class RepairForm(FlaskForm):
    rectification = TextAreaField(
        _l("What the agency has put right"),
        validators=[
            DataRequired(message=_l("Describe what the agency has put right.")),
            Length(max=c.RECTIFICATION_MAX),
        ],
        filters=[_strip],
    )
    files = MultipleFileField(
        _l("Proof of rectification"), description=_l("PDF, PNG or JPEG, at most 10 MB each.")
    )
    commitment_accepted = BooleanField(
        _l(
            "We commit to keep to the self-regulation code, to keep the rectification in place "
            "and to accept publication again if we break this commitment."
        ),
        validators=[DataRequired(message=_l("The credit commitment must be signed."))],
    )
    commitment_name = StringField(
        _l("Signed by (full name)"),
        validators=[
            DataRequired(message=_l("Type the name of the person who signs.")),
            Length(max=c.SIGNATURE_MAX),
        ],
        filters=[_strip],
    )


class DisputeAnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Answer to the agency"),
        validators=[DataRequired(message=_l("Write the answer.")), Length(max=c.ANSWER_MAX)],
        filters=[_strip],
    )
    corrected = BooleanField(_l("The agency is right: the entry is corrected"))
    corrected_summary = TextAreaField(
        _l("Corrected summary (optional)"),
        validators=[Optional(), Length(max=c.SUMMARY_MAX)],
        filters=[_strip],
        description=_l("Replaces the published summary when the agency is right."),
    )


class RepairDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("grant", _l("Grant: the publication ends today")),
            SelectChoice("refuse", _l("Refuse")),
        ],
        validators=[DataRequired(message=_l("Choose a decision."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=c.REASON_MAX)],
        filters=[_strip],
        description=_l("Required for a refusal; published with a granted repair."),
    )
