"""The forms of complaints. Fields carry the names the services use in their errors, so a
service's field error lands on the right input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.complaints.constants import (
    AGENCY_NAME_MAX,
    CATEGORY_LABELS,
    COMPLEXITY_LABELS,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    FINDING_LABELS,
    HEALTH_MAX,
    NAME_MAX,
    PHONE_MAX,
    SUBTYPE_LABELS,
    SUBTYPES,
    TEXT_MAX,
    Channel,
)
from portal.validators import ResidentId, normalize_resident_id

NOT_A_MEMBER = "none"


def subtype_choices() -> list[SelectChoice]:
    """Sub-types grouped by category (rendered as <optgroup>s)."""
    return [SelectChoice("", str(_l("— Choose —")))] + [
        SelectChoice(sub, str(SUBTYPE_LABELS[sub]), optgroup=str(CATEGORY_LABELS[category]))
        for category, subs in SUBTYPES.items()
        for sub in subs
    ]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ComplaintForm(FlaskForm):
    submission_token = HiddenField()
    member_no = SelectField(
        _l("The agency you complain about"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Choose it from the member directory. If it is not listed, choose "
            "“Not a member / not listed” and write its name below."
        ),
    )
    agency_name = StringField(
        _l("Name of the agency, if it is not a member"),
        validators=[Optional(), Length(max=AGENCY_NAME_MAX)],
        filters=[_strip],
    )
    subtype = SelectField(
        _l("What kind of problem is it?"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose what kind of problem it is."))],
    )
    description = TextAreaField(
        _l("What happened"),
        validators=[
            DataRequired(message=_l("Describe what happened.")),
            Length(max=DESCRIPTION_MAX),
            Length(
                min=DESCRIPTION_MIN,
                message=_l(
                    "Describe what happened in at least %(n)d characters.", n=DESCRIPTION_MIN
                ),
            ),
        ],
        description=_l(
            "When and where, what the agency did, and what you expect. The text "
            "cannot be changed after filing (you can add material later). The "
            "agency reads it once the complaint is accepted: put your name, ID "
            "number and health details in the fields below instead."
        ),
        render_kw={"rows": 7},
    )
    evidence = MultipleFileField(
        _l("Evidence (optional)"),
        description=_l("Up to 5 files: PDF, PNG or JPEG, 10 MB each."),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )
    name = StringField(
        _l("Your name (optional)"),
        validators=[Optional(), Length(max=NAME_MAX)],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    id_number = StringField(
        _l("Resident ID number (optional)"),
        validators=[Optional(), ResidentId()],
        filters=[normalize_resident_id],
        description=_l(
            "18 characters. Helps the agency find your examination records if you allow it below."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=PHONE_MAX)],
        filters=[_strip],
        render_kw={"autocomplete": "tel"},
    )
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Length(max=254)],
        filters=[_strip],
        description=_l("We send the acknowledgment and the outcome here."),
        render_kw={"autocomplete": "email"},
    )
    health = TextAreaField(
        _l("Health details that matter to the complaint (optional)"),
        validators=[Optional(), Length(max=HEALTH_MAX)],
        description=_l("Stored encrypted; read only by the secretariat."),
        render_kw={"rows": 3},
    )
    share_identity_with_agency = BooleanField(
        _l(
            "I agree that the agency may see my name and ID number, so that it can find my records."
        ),
        description=_l("Without this, the agency never learns who complained."),
    )

    def validate(self, extra_validators=None) -> bool:
        """Every problem at once: the agency is checked with the other fields (the service
        checks it again, with the directory)."""
        valid = super().validate(extra_validators)
        chosen = self.member_no.data or ""
        if not chosen:
            self.member_no.errors = [*self.member_no.errors, str(_l("Choose the agency."))]
            valid = False
        elif chosen == NOT_A_MEMBER and not (self.agency_name.data or "").strip():
            self.agency_name.errors = [
                *self.agency_name.errors,
                str(_l("Give the name of the agency that is not a member.")),
            ]
            valid = False
        return valid


class StaffComplaintForm(ComplaintForm):
    channel = RadioField(
        _l("How did the complaint arrive?"),
        choices=[
            SelectChoice(Channel.HOTLINE.value, _l("Hotline")),
            SelectChoice(Channel.WALK_IN.value, _l("Walk-in window")),
        ],
        default=Channel.HOTLINE.value,
        validators=[DataRequired()],
    )


class TrackForm(FlaskForm):
    tracking_number = StringField(
        _l("Tracking number"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("For example TS-2026-000123."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    receipt_code = StringField(
        _l("Receipt code"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("The 12 characters shown when the complaint was filed."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class MaterialForm(FlaskForm):
    submission_token = HiddenField()
    text = TextAreaField(
        _l("Material"), validators=[Optional(), Length(max=TEXT_MAX)], render_kw={"rows": 4}
    )
    files = MultipleFileField(
        _l("Files (optional)"), description=_l("Up to 5 files: PDF, PNG or JPEG, 10 MB each.")
    )


class TrackMaterialForm(MaterialForm):
    tracking_number = HiddenField()
    receipt_code = HiddenField()


class AcceptForm(FlaskForm):
    complexity = RadioField(
        _l("Classification"),
        choices=[SelectChoice(k.value, v) for k, v in COMPLEXITY_LABELS.items()],
        validators=[DataRequired(message=_l("Choose simple or complex."))],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for not accepting"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l("The complainant reads this reason."),
        render_kw={"rows": 3},
    )


class RequestMaterialForm(FlaskForm):
    message = TextAreaField(
        _l("What is missing"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l(
            "The complainant reads this. The deadline is paused until the material arrives."
        ),
        render_kw={"rows": 3},
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token (start, close, reveal)."""


class PanelForm(FlaskForm):
    clinical = SelectField(_l("Clinical expert"), coerce=int, choices=[], validate_choice=False)
    legal = SelectField(_l("Legal expert"), coerce=int, choices=[], validate_choice=False)
    industry = SelectField(_l("Industry expert"), coerce=int, choices=[], validate_choice=False)


class ResolveForm(FlaskForm):
    finding = RadioField(
        _l("Finding"),
        choices=[SelectChoice(k.value, v) for k, v in FINDING_LABELS.items()],
        validators=[DataRequired(message=_l("Choose the finding."))],
    )
    outcome = TextAreaField(
        _l("Outcome"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l("Sent to the complainant. Published only as statistics."),
        render_kw={"rows": 4},
    )


class HandlerForm(FlaskForm):
    handler_id = SelectField(_l("Handler"), coerce=int, choices=[], validate_choice=False)


class ResponseForm(FlaskForm):
    text = TextAreaField(
        _l("Your agency's response"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l("The secretariat reads it with the complaint."),
        render_kw={"rows": 5},
    )
