"""/admin/calendar: the working-day calendar, a year at a time; one day's edit; CSV upload."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, render_template, request
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length

from portal import calendar as cal
from portal import calendar_edits, clock
from portal.admin.views import bp
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.navigation import Section, add_tile
from portal.security import Role, current_actor, roles_required

UPLOAD_MAX_BYTES = 1024 * 1024

SOURCE_LABELS = {
    cal.SOURCE_PACKAGE: _l("chinesecalendar package"),
    cal.SOURCE_ADMIN: _l("Administrator"),
    cal.SOURCE_CSV: _l("File upload"),
    None: _l("Monday-to-Friday rule"),
}

KIND_LABELS = {
    "workday": _l("Workday"),
    "weekend": _l("Weekend"),
    "holiday": _l("Public holiday"),
    "makeup": _l("Make-up workday"),
}

add_tile(
    "admin",
    Section(
        "admin.calendar",
        _l("Working-day calendar"),
        _l("Public holidays and make-up workdays that complaint deadlines are counted on."),
        order=20,
    ),
)


class DayForm(FlaskForm):
    workday = RadioField(
        _l("This day is"),
        choices=[
            SelectChoice("1", _l("A workday")),
            SelectChoice("0", _l("A day off (public holiday or weekend)")),
        ],
        validators=[InputRequired(message=_l("Choose one."))],
    )
    note = StringField(
        _l("Note"),
        validators=[Length(max=cal.NOTE_MAX)],
        description=_l("For example the festival, or the notice that moved it."),
    )


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file.")),
        ],
        description=_l(
            "Columns date,workday,note with a header row; workday is yes/no, 1/0, "
            "true/false or 是/否. Nothing is stored if any line is wrong."
        ),
    )


class DeclareForm(FlaskForm):
    """No fields: the CSRF token of the "declare official" button."""


def _year_or_404(raw: int | None) -> int:
    year = raw if raw is not None else clock.today().year
    if not cal.MIN_YEAR <= year <= cal.MAX_YEAR:
        abort(404)
    return year


def _weekday_names() -> list[tuple[str, str]]:
    monday = date(2024, 1, 1)  # a Monday
    return [
        (
            format_date(monday + timedelta(days=i), "EEE"),
            format_date(monday + timedelta(days=i), "EEEE"),
        )
        for i in range(7)
    ]


def _months(days: list[cal.DayInfo]) -> list[dict]:
    """Each month as a caption and weeks of seven cells (None outside the month)."""
    months = []
    for month in range(1, 13):
        in_month = [d for d in days if d.date.month == month]
        cells: list[cal.DayInfo | None] = [None] * in_month[0].date.weekday() + in_month
        cells += [None] * (-len(cells) % 7)
        months.append(
            {
                "title": format_date(in_month[0].date, "LLLL"),
                "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
                "special": sum(1 for d in in_month if d.kind in ("holiday", "makeup")),
            }
        )
    return months


def _render_calendar(year: int, upload_form: UploadForm, status: int = 200):
    days = cal.year_days(year)
    return render_template(
        "admin/calendar.html",
        year=year,
        months=_months(days),
        special=[d for d in days if d.kind in ("holiday", "makeup")],
        record=cal.year_record(year),
        upload_form=upload_form,
        declare_form=DeclareForm(),
        weekday_names=_weekday_names(),
        source_labels=SOURCE_LABELS,
        kind_labels=KIND_LABELS,
        min_year=cal.MIN_YEAR,
        max_year=cal.MAX_YEAR,
    ), status


@bp.route("/calendar")
@roles_required(Role.ADMIN)
def calendar():
    return _render_calendar(_year_or_404(request.args.get("year", type=int)), UploadForm())


@bp.route("/calendar/days/<day>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def calendar_day(day: str):
    when = calendar_edits.parse_iso_date(day)
    if when is None or not cal.MIN_YEAR <= when.year <= cal.MAX_YEAR:
        abort(404)
    info = cal.day_info(when)
    form = DayForm(data={"workday": "1" if info.workday else "0", "note": info.note})
    if form.validate_on_submit():
        try:
            calendar_edits.set_day(
                when, workday=form.workday.data == "1", note=form.note.data, actor=current_actor()
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(date)s saved.", date=format_date(when, "long")), "success")
            return see_other("admin.calendar", year=when.year, _anchor=f"m{when.month}")
    return render_template(
        "admin/calendar_day.html",
        form=form,
        info=info,
        official=cal.is_official(when.year),
        source_labels=SOURCE_LABELS,
        kind_labels=KIND_LABELS,
    )


@bp.route("/calendar/upload", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_upload():
    form = UploadForm()
    year = request.form.get("year", type=int)
    year = year if year and cal.MIN_YEAR <= year <= cal.MAX_YEAR else clock.today().year
    if form.validate_on_submit():
        raw = form.file.data.read(UPLOAD_MAX_BYTES + 1)
        if len(raw) > UPLOAD_MAX_BYTES:
            form.file.errors = [_("The file is larger than %(n)d KB.", n=UPLOAD_MAX_BYTES // 1024)]
        else:
            try:
                result = calendar_edits.load_csv(
                    calendar_edits.decode_file(raw), actor=current_actor()
                )
            except calendar_edits.CalendarInputInvalid as error:
                db.session.rollback()
                form.file.errors = [str(problem) for problem in error.problems]
                flash(error.message, "danger")
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "%(num)d day stored from the file.",
                        "%(num)d days stored from the file.",
                        result.stored,
                    )
                    + " "
                    + _("Years: %(years)s.", years=", ".join(map(str, result.years))),
                    "success",
                )
                return see_other("admin.calendar", year=result.years[0])
    return _render_calendar(year, form)


@bp.route("/calendar/<int:year>/official", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_declare(year: int):
    year = _year_or_404(year)
    form = DeclareForm()
    if form.validate_on_submit():
        try:
            calendar_edits.declare_official(year, actor=current_actor())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The calendar of %(year)d is now official.", year=year), "success")
    return see_other("admin.calendar", year=year)
