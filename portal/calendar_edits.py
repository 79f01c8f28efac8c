"""Changing the working-day calendar: the seed from `chinesecalendar`, single-day edits,
declaring a year official, bulk loads from CSV files and the API, and `flask calendar ...`.

Every change audits, drops the reading cache and calls `calendar.notify_change` in the
caller's transaction, so stored deadlines are recomputed with it. Services take an
explicit actor and never commit. Reading the calendar is in `portal/calendar.py`.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select, update

from portal import audit, clock
from portal.calendar import (
    FALSE_WORDS,
    ISO_DATE,
    MAX_LOAD_ROWS,
    MAX_PROBLEMS,
    MAX_YEAR,
    MIN_YEAR,
    NOTE_MAX,
    SOURCE_ADMIN,
    SOURCE_CSV,
    SOURCE_PACKAGE,
    TRUE_WORDS,
    CalendarDay,
    CalendarYear,
    check_year,
    invalidate_cache,
    is_workday,
    notify_change,
    official_years,
    rule_workday,
)
from portal.errors import ValidationFailed
from portal.extensions import db

# --- Changing the calendar ---------------------------------------------------------------------


def _whole_years(years: Iterable[int]) -> set[date]:
    dates: set[date] = set()
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            dates.add(day)
            day += timedelta(days=1)
    return dates


def _make_official(years: Iterable[int], source: str, now: datetime) -> list[int]:
    """Add a CalendarYear row for each year not yet official; the years added."""
    new = sorted(set(years) - official_years())
    if new:
        db.session.execute(
            insert(CalendarYear), [{"year": y, "source": source, "loaded_at": now} for y in new]
        )
    return new


@functools.cache
def package_years() -> tuple[int, ...]:
    """The years the installed chinesecalendar package has data for."""
    import chinese_calendar

    years = []
    for year in range(1990, 2101):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return tuple(years)


@functools.cache
def _package_days() -> tuple[tuple[date, bool, str], ...]:
    """(date, workday, note) for every day the package knows; the note names the festival."""
    import chinese_calendar

    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    days = []
    for year in package_years():
        day = date(year, 1, 1)
        while day.year == year:
            workday = chinese_calendar.is_workday(day)
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
            note = ""
            if name and not workday:
                note = names.get(name, name)
            elif name and workday and not rule_workday(day):
                note = names.get(name, name) + "调休上班"
            days.append((day, workday, note))
            day += timedelta(days=1)
    return tuple(days)


@dataclass(frozen=True)
class SeedResult:
    inserted: int
    updated: int
    years: tuple[int, ...]  # the years the package covers
    newly_official: tuple[int, ...]
    recomputed: int


def seed_from_chinesecalendar(*, actor: Any = "system") -> SeedResult:
    """Store every day chinesecalendar knows, and make those years official. Idempotent.

    Missing days are inserted in bulk. Days already seeded from the package are updated
    if a newer package says otherwise; days set by an administrator or a file are kept.
    """
    years = package_years()
    if not years:
        return SeedResult(0, 0, (), (), 0)
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    existing = {
        row.date: row
        for row in db.session.execute(
            select(
                CalendarDay.date, CalendarDay.is_workday, CalendarDay.note, CalendarDay.source
            ).where(CalendarDay.date.between(first, last))
        )
    }
    now = clock.now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed: set[date] = set()
    for day, workday, note in _package_days():
        row = existing.get(day)
        if row is None:
            inserts.append(
                {
                    "date": day,
                    "is_workday": workday,
                    "note": note,
                    "source": SOURCE_PACKAGE,
                    "updated_at": now,
                }
            )
            changed.add(day)
        elif row.source == SOURCE_PACKAGE and (bool(row.is_workday), row.note) != (workday, note):
            updates.append({"date": day, "is_workday": workday, "note": note, "updated_at": now})
            if bool(row.is_workday) != workday:
                changed.add(day)
    if inserts:
        db.session.execute(insert(CalendarDay), inserts)
    if updates:
        db.session.execute(update(CalendarDay), updates)
    newly_official = _make_official(years, SOURCE_PACKAGE, now)
    changed |= _whole_years(newly_official)
    recomputed = 0
    if inserts or updates or newly_official:
        audit.record(
            "calendar.seeded",
            actor=actor,
            object_type="calendar",
            object_id=SOURCE_PACKAGE,
            payload={
                "years": [years[0], years[-1]],
                "inserted": len(inserts),
                "updated": {u["date"].isoformat(): u["is_workday"] for u in updates},
                "newly_official": newly_official,
            },
        )
        recomputed = notify_change(changed)
    else:
        invalidate_cache()
    return SeedResult(len(inserts), len(updates), years, tuple(newly_official), recomputed)


def _clean_note(note: str | None) -> str:
    return " ".join((note or "").split())


def set_day(day: date, *, workday: bool, note: str | None, actor: Any) -> CalendarDay:
    """An administrator sets one day's status and note (source 'admin')."""
    check_year(day.year, "date")
    note = _clean_note(note)
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            _("The note is too long."), {"note": _("Use at most %(n)d characters.", n=NOTE_MAX)}
        )
    was_workday = is_workday(day)
    row = db.session.get(CalendarDay, day)
    if row is not None and row.is_workday == workday and (row.note or "") == note:
        return row  # nothing to change
    previous_source = row.source if row is not None else None
    if row is None:
        row = CalendarDay(
            date=day, is_workday=workday, note=note, source=SOURCE_ADMIN, updated_at=clock.now()
        )
        db.session.add(row)
    else:
        row.is_workday, row.note, row.source = workday, note, SOURCE_ADMIN
        row.updated_at = clock.now()
    audit.record(
        "calendar.day_set",
        actor=actor,
        object_type="calendar_day",
        object_id=day.isoformat(),
        payload={
            "date": day.isoformat(),
            "workday": workday,
            "was_workday": was_workday,
            "previous_source": previous_source,
        },
    )
    notify_change({day} if was_workday != workday else set())
    return row


def declare_official(year: int, *, actor: Any) -> CalendarYear:
    """An administrator declares that `year`'s days are all entered (source 'admin')."""
    check_year(year)
    record = db.session.get(CalendarYear, year)
    if record is not None:
        return record
    record = CalendarYear(year=year, source=SOURCE_ADMIN, loaded_at=clock.now())
    db.session.add(record)
    audit.record(
        "calendar.year_official",
        actor=actor,
        object_type="calendar_year",
        object_id=str(year),
        payload={"year": year, "source": SOURCE_ADMIN},
    )
    notify_change(_whole_years([year]))
    return record


# --- Bulk loads: CSV files and API rows --------------------------------------------------------


@dataclass(frozen=True)
class DayInput:
    """One day to load. `line` is the CSV line number; API rows have `index` only."""

    date: date
    workday: bool
    note: str = ""
    line: int | None = None
    index: int = 0


@dataclass(frozen=True)
class Problem:
    line: int | None
    index: int
    field: str
    message: str

    @property
    def key(self) -> str:
        if self.line is not None:
            return f"line {self.line}, {self.field}"
        return f"rows.{self.index}.{self.field}"

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


class CalendarInputInvalid(ValidationFailed):
    """A load refused as a whole; `problems` name each line (or row) and field."""

    def __init__(self, problems: Sequence[Problem], message: str | None = None):
        self.problems = list(problems)
        fields: dict[str, str] = {}
        for problem in self.problems:
            fields.setdefault(problem.key, problem.message)
        super().__init__(
            message
            or ngettext(
                "Nothing was stored: %(num)d problem needs correcting.",
                "Nothing was stored: %(num)d problems need correcting.",
                len(self.problems),
            ),
            fields,
        )


def _problem(item: DayInput | None, line: int | None, index: int, name: str, message: str):
    if item is not None:
        line, index = item.line, item.index
    return Problem(line, index, name, message)


def check_days(days: Sequence[DayInput]) -> list[Problem]:
    """Rules every load follows: years in range, short notes, each date once."""
    problems: list[Problem] = []
    seen: dict[date, DayInput] = {}
    for item in days:
        if not MIN_YEAR <= item.date.year <= MAX_YEAR:
            problems.append(
                _problem(
                    item,
                    None,
                    0,
                    "date",
                    _(
                        "The year must be between %(first)d and %(last)d.",
                        first=MIN_YEAR,
                        last=MAX_YEAR,
                    ),
                )
            )
        if len(_clean_note(item.note)) > NOTE_MAX:
            problems.append(
                _problem(item, None, 0, "note", _("Use at most %(n)d characters.", n=NOTE_MAX))
            )
        earlier = seen.get(item.date)
        if earlier is not None:
            where = (
                _("line %(n)d", n=earlier.line)
                if earlier.line is not None
                else _("row %(n)d", n=earlier.index)
            )
            problems.append(
                _problem(
                    item,
                    None,
                    0,
                    "date",
                    _("This date is already given on %(where)s.", where=where),
                )
            )
        else:
            seen[item.date] = item
    return problems


def parse_workday(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_iso_date(value: str) -> date | None:
    value = value.strip()
    if not ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def decode_file(raw: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030 (Excel in China)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarInputInvalid([Problem(1, 0, "file", _("The file is not UTF-8 text."))])


CSV_COLUMNS = ("date", "workday", "note")


def parse_csv(text: str) -> list[DayInput]:
    """Read `date,workday,note` lines (a header row first). Raises CalendarInputInvalid
    naming each bad line and field; returns the days only if every line is good."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    problems: list[Problem] = []
    header = next(reader, None)
    columns = [c.strip().lower() for c in header] if header else []
    if (
        not header
        or not {"date", "workday"} <= set(columns)
        or not set(columns) <= set(CSV_COLUMNS)
        or len(set(columns)) != len(columns)
    ):
        raise CalendarInputInvalid(
            [Problem(1, 0, "header", _("The first line must name the columns: date,workday,note."))]
        )
    position = {name: columns.index(name) for name in columns}
    days: list[DayInput] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(days) >= MAX_LOAD_ROWS:
            problems.append(
                Problem(line, 0, "file", _("A file may hold at most %(n)d lines.", n=MAX_LOAD_ROWS))
            )
            break
        if len(record) > len(columns):
            problems.append(
                Problem(line, 0, "line", _("This line has more cells than the header."))
            )
            continue

        def cell(name: str, record=record) -> str:
            index = position.get(name)
            return record[index] if index is not None and index < len(record) else ""

        day = parse_iso_date(cell("date"))
        if day is None:
            problems.append(
                Problem(
                    line,
                    0,
                    "date",
                    _(
                        "'%(value)s' is not a valid date; write it as YYYY-MM-DD.",
                        value=cell("date").strip(),
                    ),
                )
            )
        workday = parse_workday(cell("workday"))
        if workday is None:
            problems.append(
                Problem(
                    line,
                    0,
                    "workday",
                    _(
                        "'%(value)s' is not one of yes, no, 1, 0, true, false, 是, 否.",
                        value=cell("workday").strip(),
                    ),
                )
            )
        if day is not None and workday is not None:
            days.append(DayInput(day, workday, _clean_note(cell("note")), line=line))
    if not days and not problems:
        problems.append(Problem(1, 0, "file", _("The file has no lines after the header.")))
    problems.extend(check_days(days))
    if problems:
        raise CalendarInputInvalid(problems[:MAX_PROBLEMS])
    return days


@dataclass(frozen=True)
class LoadResult:
    stored: int  # rows inserted or changed
    unchanged: int
    years: tuple[int, ...]
    newly_official: tuple[int, ...]
    changed_dates: frozenset[date]
    recomputed: int


def load_days(days: Sequence[DayInput], *, actor: Any, source: str = SOURCE_CSV) -> LoadResult:
    """Store a set of days in one go (all or nothing) and make their years official."""
    if source not in (SOURCE_CSV, SOURCE_ADMIN):
        raise ValueError(f"unknown source {source!r}")
    if not days:
        raise CalendarInputInvalid([Problem(None, 0, "rows", _("Give at least one day."))])
    if len(days) > MAX_LOAD_ROWS:
        raise CalendarInputInvalid(
            [
                Problem(
                    None,
                    MAX_LOAD_ROWS,
                    "rows",
                    _("Give at most %(n)d days at a time.", n=MAX_LOAD_ROWS),
                )
            ]
        )
    problems = check_days(days)
    if problems:
        raise CalendarInputInvalid(problems[:MAX_PROBLEMS])
    first, last = min(d.date for d in days), max(d.date for d in days)
    existing = {
        row.date: row
        for row in db.session.scalars(
            select(CalendarDay).where(CalendarDay.date.between(first, last))
        )
    }
    before = {d.date: is_workday(d.date) for d in days}
    now = clock.now()
    inserts: list[dict[str, Any]] = []
    stored = unchanged = 0
    flipped: set[date] = set()  # dates whose workday status changed
    for item in days:
        note = _clean_note(item.note)
        row = existing.get(item.date)
        if row is None:
            inserts.append(
                {
                    "date": item.date,
                    "is_workday": item.workday,
                    "note": note,
                    "source": source,
                    "updated_at": now,
                }
            )
        elif (row.is_workday, row.note or "", row.source) == (item.workday, note, source):
            unchanged += 1
            continue
        else:
            row.is_workday, row.note, row.source, row.updated_at = item.workday, note, source, now
        stored += 1
        if before[item.date] != item.workday:
            flipped.add(item.date)
    if inserts:
        db.session.execute(insert(CalendarDay), inserts)
    years = tuple(sorted({d.date.year for d in days}))
    newly_official = _make_official(years, source, now)
    changed = flipped | _whole_years(newly_official)
    if stored or newly_official:
        audit.record(
            "calendar.loaded",
            actor=actor,
            object_type="calendar",
            object_id=",".join(str(y) for y in years)[:64],
            payload={
                "source": source,
                "rows": len(days),
                "stored": stored,
                "years": list(years),
                "newly_official": newly_official,
                "workday_changed": {d.isoformat(): not before[d] for d in sorted(flipped)},
            },
        )
    recomputed = notify_change(changed)
    return LoadResult(
        stored, unchanged, years, tuple(newly_official), frozenset(changed), recomputed
    )


def load_csv(text: str, *, actor: Any) -> LoadResult:
    """Parse and load a CSV file's text: nothing is stored if any line is bad."""
    return load_days(parse_csv(text), actor=actor, source=SOURCE_CSV)


# --- Command line ------------------------------------------------------------------------------

calendar_cli = AppGroup("calendar", help="The working-day calendar.")


@calendar_cli.command("seed")
def seed_command() -> None:
    """Store the holidays and make-up workdays chinesecalendar knows (safe to run again)."""
    result = seed_from_chinesecalendar(actor="cli")
    db.session.commit()
    years = f"{result.years[0]}-{result.years[-1]}" if result.years else "none"
    click.echo(
        f"calendar seeded from chinesecalendar ({years}): {result.inserted} day(s) added, "
        f"{result.updated} updated, {len(result.newly_official)} year(s) newly official, "
        f"{result.recomputed} deadline(s) recomputed"
    )


@calendar_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(path: Path) -> None:
    """Load a CSV file (date,workday,note with a header row); all lines or none."""
    try:
        result = load_csv(decode_file(path.read_bytes()), actor="cli")
    except CalendarInputInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"{path}: {problem}", err=True)
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(
        f"{path}: {result.stored} day(s) stored, {result.unchanged} unchanged; years "
        f"{', '.join(map(str, result.years))}; newly official: "
        f"{', '.join(map(str, result.newly_official)) or 'none'}; "
        f"{result.recomputed} deadline(s) recomputed"
    )


def register(app: Flask) -> None:
    app.cli.add_command(calendar_cli)
