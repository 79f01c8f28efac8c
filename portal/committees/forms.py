"""Page forms of the committees domain. The services check every rule again; these forms only
parse. Field names match the services' error `fields`, so errors land on the right input."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal import clock
from portal.committees.models import BODY_MAX, NOTE_MAX, REASON_MAX, SUBJECT_REF_MAX, TITLE_MAX
from portal.committees.states import Choice, MotionKind, SubjectType, TieNature


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_shanghai(value: datetime | None) -> datetime | None:
    """A datetime-local value (no zone) read as Beijing time."""
    return value.replace(tzinfo=clock.SHANGHAI) if value is not None else None


def choices(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (labels may be lazy: translated when shown)."""
    return [SelectChoice("" if value is None else value, label) for value, label in pairs]


class EmptyForm(FlaskForm):
    """No fields: the CSRF token of a one-button form."""


class CommitteeCreateForm(FlaskForm):
    kind = HiddenField(validators=[InputRequired()])


class SeatForm(FlaskForm):
    user_id = SelectField(_l("Committee member"), coerce=_int_or_none, validators=[InputRequired()])
    category = SelectField(_l("Seat category"), validators=[InputRequired()])
    term_start = DateField(_l("Term of office starts"), validators=[InputRequired()])
    term_end = DateField(
        _l("Term of office ends"),
        validators=[InputRequired()],
        description=_l("To end a term early, set its last day."),
    )


class SeatEditForm(FlaskForm):
    category = SelectField(_l("Seat category"), validators=[InputRequired()])
    term_start = DateField(_l("Term of office starts"), validators=[InputRequired()])
    term_end = DateField(
        _l("Term of office ends"),
        validators=[InputRequired()],
        description=_l("To end a term early, set its last day."),
    )


class TieForm(FlaskForm):
    """A committee member declares their own tie."""

    member_id = SelectField(_l("Agency"), coerce=_int_or_none, validators=[InputRequired()])
    nature = SelectField(
        _l("Nature of the tie"), choices=choices(TieNature.choices()), validators=[InputRequired()]
    )
    note = StringField(
        _l("Details"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("For example the position held or the period; no personal data."),
    )


class AdminTieForm(TieForm):
    """An administrator records anyone's tie (the template shows the member first)."""

    user_id = SelectField(_l("Committee member"), coerce=_int_or_none, validators=[InputRequired()])


class MotionForm(FlaskForm):
    committee_id = SelectField(_l("Committee"), coerce=_int_or_none, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Text of the motion"),
        validators=[Optional(), Length(max=BODY_MAX)],
        render_kw={"rows": 8},
    )
    subject_type = SelectField(
        _l("Subject"),
        choices=choices(SubjectType.choices()),
        default=SubjectType.OTHER.value,
        validators=[InputRequired()],
    )
    kind = SelectField(
        _l("Majority needed"),
        choices=choices([("", _l("Decided by the subject")), *MotionKind.choices()]),
        validators=[Optional()],
        description=_l(
            "Sanctions and revisions of the code are always major matters (two-thirds of "
            "the eligible voters); other matters pass with more than half."
        ),
    )
    member_id = SelectField(
        _l("Agency concerned"),
        coerce=_int_or_none,
        validators=[Optional()],
        description=_l("Members tied to this agency are recused automatically."),
    )
    subject_ref = StringField(
        _l("Reference"),
        validators=[Optional(), Length(max=SUBJECT_REF_MAX)],
        description=_l("The case or document the motion is about, e.g. discipline_case:12."),
    )
    closes_at = DateTimeLocalField(
        _l("Voting closes at (Beijing time)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired()],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[InputRequired(), Length(max=REASON_MAX)], render_kw={"rows": 3}
    )


class VoteForm(FlaskForm):
    choice = RadioField(
        _l("Your vote"),
        choices=choices(Choice.choices()),
        validators=[InputRequired(message=_l("Choose yes, no or abstain."))],
    )
    reason = TextAreaField(
        _l("Reason (optional, with a vote against or an abstention)"),
        validators=[Optional(), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired()],
        description=_l("Voting needs your password again, to confirm it is you."),
        render_kw={"autocomplete": "current-password"},
    )
