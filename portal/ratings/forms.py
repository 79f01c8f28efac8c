"""Page forms of ratings and inspections. They only parse; the services check every rule,
and their error `fields` carry these field names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

FIGURE_HINTS = {
    "enterprises_served": _l("Employers whose workplaces or workers you served in the year."),
    "workers_examined": _l("Workers given an occupational health examination in the year."),
    "reports_issued": _l("Examination, detection and evaluation reports issued in the year."),
    "reports_corrected": _l("Reports reissued or corrected after issue because of an error."),
    "abnormal_results": _l(
        "Workers with an abnormal result, or measurements over the exposure limit."
    ),
}


class EmptyForm(FlaskForm):
    pass


class FiguresForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired()])
    enterprises_served = IntegerField(
        _l("Enterprises served"),
        validators=[InputRequired()],
        description=FIGURE_HINTS["enterprises_served"],
    )
    workers_examined = IntegerField(
        _l("Workers examined"),
        validators=[InputRequired()],
        description=FIGURE_HINTS["workers_examined"],
    )
    reports_issued = IntegerField(
        _l("Reports issued"),
        validators=[InputRequired()],
        description=FIGURE_HINTS["reports_issued"],
    )
    reports_corrected = IntegerField(
        _l("Reports corrected after issue"),
        validators=[Optional()],
        description=FIGURE_HINTS["reports_corrected"],
    )
    abnormal_results = IntegerField(
        _l("Abnormal results"),
        validators=[Optional()],
        description=FIGURE_HINTS["abnormal_results"],
    )


class CorrectionForm(FiguresForm):
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[InputRequired(), Length(max=1000)],
        description=_l("Shown to the member and kept in the audit log."),
    )


class ComputeForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired()])


class DrawForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired()])
    seed = StringField(
        _l("Seed (optional)"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Leave empty for a random seed, or give a public number drawn beforehand "
            "(e.g. a lottery result)."
        ),
    )


class ResultForm(FlaskForm):
    inspected_on = DateField(_l("Date of the inspection"), validators=[InputRequired()])
    minor_findings = IntegerField(_l("Minor findings"), validators=[InputRequired()])
    major_findings = IntegerField(_l("Major findings"), validators=[InputRequired()])
    accuracy = StringField(
        _l("Report accuracy (%)"),
        validators=[InputRequired()],
        description=_l("Share of the sampled reports found correct, e.g. 98.5."),
    )
    summary = TextAreaField(
        _l("Public summary of the findings"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Published with the result. No personal data."),
    )


class InspectorForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=80)])
