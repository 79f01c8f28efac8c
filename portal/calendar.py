"""The working-day calendar of the People's Republic of China, and deadlines counted on it.

Data
    `CalendarDay` holds one row per date whose status is known: seeded from the
    `chinesecalendar` package for the years it knows (every day of 2004-2026), and
    added or corrected by administrators one day at a time ('admin') or in bulk from
    a CSV file or the API ('csv'). A date without a row follows the plain rule:
    Monday to Friday are workdays, Saturday and Sunday are not.

    `CalendarYear` says which years are *official*: a year is official when it has
    a `CalendarYear` row. The row is written, once, when the year's data first
    arrives as a whole: by the seed (every year chinesecalendar knows), by a bulk
    load (every year with at least one line in the file or request: loading a file
    for a year is publishing that year's calendar), or by an administrator declaring
    the year official after entering its days one by one. A single-day edit alone
    does not make a year official. Official years never go back to unofficial.

Deadlines
    `due_date(start, n)`: the day of the event is not counted; the deadline is the end
    (23:59:59 Asia/Shanghai) of the Nth working day after `start`. A deadline is
    *provisional* when any day it counted (any day in (start, due]) lies in a year
    that is not official; such days follow the Monday-to-Friday rule.

Changes
    Every change (seed, bulk load, single-day edit, declaring a year official) calls
    `notify_change(dates)` in the caller's transaction. Domains that store deadlines
    register `on_calendar_change(callback)`; the callback gets the set of dates whose
    status may have changed and recomputes what depends on them, returning a count.

Reading is cached per session and transaction: a year's rows are loaded with one query
on first use, and the cache is dropped when the transaction ends and on every change
made through this module. Change the tables only through the functions here.

Services take an explicit actor and never commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Boolean, CheckConstraint, Date, String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import audit, clock
from portal.errors import ValidationFailed
from portal.extensions import db
from portal.types import UTCDateTime

SOURCE_PACKAGE = "chinesecalendar"
SOURCE_ADMIN = "admin"
SOURCE_CSV = "csv"
SOURCES = (SOURCE_PACKAGE, SOURCE_ADMIN, SOURCE_CSV)

MIN_YEAR = 2000  # dates the calendar accepts from administrators
MAX_YEAR = 2099
NOTE_MAX = 200
MAX_LOAD_ROWS = 4000  # about ten years of one row a day
MAX_PROBLEMS = 50  # a file with more problems than this reports the first ones
MAX_WORKING_DAYS = 366

END_OF_DAY = time(23, 59, 59)

TRUE_WORDS = frozenset({"yes", "1", "true", "是"})
FALSE_WORDS = frozenset({"no", "0", "false", "否"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- Models ---------------------------------------------------------------------------------


class CalendarDay(db.Model):
    """The status of one date: a workday or not, why (note) and who said so (source)."""

    __tablename__ = "calendar_days"

    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    source: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now,
                                                    onupdate=clock.now)

    __table_args__ = (
        CheckConstraint(f"source IN {SOURCES!r}", name="source"),
    )

    def __repr__(self) -> str:
        return f"<CalendarDay {self.date} {'work' if self.is_workday else 'off'} {self.source}>"


class CalendarYear(db.Model):
    """A year whose calendar is official: when it became so, and from which source."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(16))
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        CheckConstraint(f"source IN {SOURCES!r}", name="source"),
    )


# --- Reading, with a per-transaction cache ----------------------------------------------------

_CACHE_KEY = "portal.calendar"


@dataclass
class _Cache:
    years: dict[int, dict[date, bool]] = field(default_factory=dict)
    official: frozenset[int] | None = None


def _cache() -> _Cache:
    info = db.session.info
    cache = info.get(_CACHE_KEY)
    if cache is None:
        cache = info[_CACHE_KEY] = _Cache()
    return cache


def invalidate_cache() -> None:
    """Forget what this session read; the next question reads the tables again."""
    db.session.info.pop(_CACHE_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session: Session, _transaction) -> None:
    # Another process may change the calendar once our transaction is over, and a rollback
    # may undo our own change: the cache never outlives the transaction that filled it.
    session.info.pop(_CACHE_KEY, None)


def _year_rows(year: int) -> dict[date, bool]:
    cache = _cache()
    rows = cache.years.get(year)
    if rows is None:
        result = db.session.execute(
            select(CalendarDay.date, CalendarDay.is_workday)
            .where(CalendarDay.date.between(date(year, 1, 1), date(year, 12, 31)))
        )
        rows = cache.years[year] = {d: bool(w) for d, w in result}
    return rows


def official_years() -> frozenset[int]:
    """Every year whose calendar is official."""
    cache = _cache()
    if cache.official is None:
        cache.official = frozenset(db.session.scalars(select(CalendarYear.year)))
    return cache.official


def is_official(year: int) -> bool:
    return year in official_years()


def rule_workday(day: date) -> bool:
    """The plain rule for days without data: Monday to Friday."""
    return day.weekday() < 5


def is_workday(day: date) -> bool:
    """Whether `day` is a working day (stored status, else Monday to Friday)."""
    stored = _year_rows(day.year).get(day)
    return rule_workday(day) if stored is None else stored


def _check_count(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"the number of working days must be an int >= 0, not {n!r}")


def _walk(start: date, n: int) -> tuple[date, bool]:
    """The Nth working day after `start`, and whether any day looked at is unofficial."""
    _check_count(n)
    day, counted, provisional = start, 0, False
    official = official_years()
    while counted < n:
        day += timedelta(days=1)
        if day.year not in official:
            provisional = True
        if is_workday(day):
            counted += 1
    return day, provisional


def add_working_days(start: date, n: int) -> date:
    """The Nth working day after `start` (`start` itself is never counted); n=0 gives `start`."""
    return _walk(start, n)[0]


def working_days_between(a: date, b: date) -> int:
    """How many working days lie in (a, b]; negative when b is before a."""
    if b < a:
        return -working_days_between(b, a)
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def end_of_day(day: date) -> datetime:
    """23:59:59 of `day` in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(day, END_OF_DAY, tzinfo=clock.SHANGHAI)


@dataclass(frozen=True)
class Deadline:
    due: date
    due_at: datetime  # end of `due` in Asia/Shanghai, aware
    provisional: bool  # a counted day lies in a year without official data


def due_date(start: date, n_working_days: int) -> Deadline:
    """The deadline N working days after `start` (the day of the event is not counted).

    With 0 working days the deadline is the end of `start` itself, and it is never
    provisional (no day was counted).
    """
    due, provisional = _walk(start, n_working_days)
    return Deadline(due=due, due_at=end_of_day(due), provisional=provisional)


def deadline_from_instant(instant: datetime, n_working_days: int) -> Deadline:
    """The deadline N working days after the Asia/Shanghai date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("deadline_from_instant takes timezone-aware instants only")
    return due_date(instant.astimezone(clock.SHANGHAI).date(), n_working_days)


@dataclass(frozen=True)
class DayInfo:
    date: date
    workday: bool
    note: str
    source: str | None  # None: no row, the Monday-to-Friday rule applies

    @property
    def kind(self) -> str:
        """'workday', 'weekend', 'holiday' (a weekday off) or 'makeup' (a weekend workday)."""
        if self.workday:
            return "workday" if rule_workday(self.date) else "makeup"
        return "holiday" if rule_workday(self.date) else "weekend"


def year_days(year: int) -> list[DayInfo]:
    """Every day of `year` with its status, note and source (one query)."""
    _check_year(year)
    rows = {
        row.date: row for row in db.session.execute(
            select(CalendarDay.date, CalendarDay.is_workday, CalendarDay.note, CalendarDay.source)
            .where(CalendarDay.date.between(date(year, 1, 1), date(year, 12, 31)))
        )
    }
    days, day = [], date(year, 1, 1)
    while day.year == year:
        row = rows.get(day)
        days.append(DayInfo(day, rule_workday(day), "", None) if row is None
                    else DayInfo(day, bool(row.is_workday), row.note or "", row.source))
        day += timedelta(days=1)
    return days


def day_info(day: date) -> DayInfo:
    row = db.session.get(CalendarDay, day)
    if row is None:
        return DayInfo(day, rule_workday(day), "", None)
    return DayInfo(day, row.is_workday, row.note or "", row.source)


def year_record(year: int) -> CalendarYear | None:
    return db.session.get(CalendarYear, year)


# --- Subscribers: stored deadlines that depend on the calendar ---------------------------------

CalendarCallback = Callable[[set[date]], int]
SUBSCRIBERS: list[CalendarCallback] = []


def on_calendar_change(callback: CalendarCallback) -> CalendarCallback:
    """Register `callback(changed_dates) -> int`, called in the transaction of every change.

    It recomputes what it stored from the calendar (open deadlines) for the dates given
    and returns how many items it changed. It must not commit. Usable as a decorator.
    """
    if callback not in SUBSCRIBERS:
        SUBSCRIBERS.append(callback)
    return callback


def off_calendar_change(callback: CalendarCallback) -> None:
    if callback in SUBSCRIBERS:
        SUBSCRIBERS.remove(callback)


def notify_change(changed_dates: Iterable[date]) -> int:
    """Tell every subscriber which dates changed; the total of what they recomputed.

    The dates are those whose workday status changed, plus every date of a year that
    became official (its deadlines stop being provisional). Nothing is called for none.
    """
    changed = set(changed_dates)
    invalidate_cache()
    if not changed:
        return 0
    return sum(int(callback(set(changed)) or 0) for callback in list(SUBSCRIBERS))


# --- Changing the calendar ---------------------------------------------------------------------


def _check_year(year: int, field_name: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        why = _("The calendar covers the years %(first)d to %(last)d.",
                first=MIN_YEAR, last=MAX_YEAR)
        raise ValidationFailed(why, {field_name: why})


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
        db.session.execute(insert(CalendarYear),
                           [{"year": y, "source": source, "loaded_at": now} for y in new])
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
        row.date: row for row in db.session.execute(
            select(CalendarDay.date, CalendarDay.is_workday, CalendarDay.note, CalendarDay.source)
            .where(CalendarDay.date.between(first, last))
        )
    }
    now = clock.now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed: set[date] = set()
    for day, workday, note in _package_days():
        row = existing.get(day)
        if row is None:
            inserts.append({"date": day, "is_workday": workday, "note": note,
                            "source": SOURCE_PACKAGE, "updated_at": now})
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
        audit.record("calendar.seeded", actor=actor, object_type="calendar",
                     object_id=SOURCE_PACKAGE, payload={
                         "years": [years[0], years[-1]],
                         "inserted": len(inserts),
                         "updated": {u["date"].isoformat(): u["is_workday"] for u in updates},
                         "newly_official": newly_official,
                     })
        recomputed = notify_change(changed)
    else:
        invalidate_cache()
    return SeedResult(len(inserts), len(updates), years, tuple(newly_official), recomputed)


def _clean_note(note: str | None) -> str:
    return " ".join((note or "").split())


def set_day(day: date, *, workday: bool, note: str | None, actor: Any) -> CalendarDay:
    """An administrator sets one day's status and note (source 'admin')."""
    _check_year(day.year, "date")
    note = _clean_note(note)
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("The note is too long."),
                               {"note": _("Use at most %(n)d characters.", n=NOTE_MAX)})
    was_workday = is_workday(day)
    row = db.session.get(CalendarDay, day)
    if row is not None and row.is_workday == workday and (row.note or "") == note:
        return row  # nothing to change
    previous_source = row.source if row is not None else None
    if row is None:
        row = CalendarDay(date=day, is_workday=workday, note=note, source=SOURCE_ADMIN,
                          updated_at=clock.now())
        db.session.add(row)
    else:
        row.is_workday, row.note, row.source = workday, note, SOURCE_ADMIN
        row.updated_at = clock.now()
    audit.record("calendar.day_set", actor=actor, object_type="calendar_day",
                 object_id=day.isoformat(), payload={
                     "date": day.isoformat(), "workday": workday, "was_workday": was_workday,
                     "previous_source": previous_source,
                 })
    notify_change({day} if was_workday != workday else set())
    return row


def declare_official(year: int, *, actor: Any) -> CalendarYear:
    """An administrator declares that `year`'s days are all entered (source 'admin')."""
    _check_year(year)
    record = db.session.get(CalendarYear, year)
    if record is not None:
        return record
    record = CalendarYear(year=year, source=SOURCE_ADMIN, loaded_at=clock.now())
    db.session.add(record)
    audit.record("calendar.year_official", actor=actor, object_type="calendar_year",
                 object_id=str(year), payload={"year": year, "source": SOURCE_ADMIN})
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
        super().__init__(message or ngettext(
            "Nothing was stored: %(num)d problem needs correcting.",
            "Nothing was stored: %(num)d problems need correcting.", len(self.problems)), fields)


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
            problems.append(_problem(item, None, 0, "date", _(
                "The year must be between %(first)d and %(last)d.",
                first=MIN_YEAR, last=MAX_YEAR)))
        if len(_clean_note(item.note)) > NOTE_MAX:
            problems.append(_problem(item, None, 0, "note", _(
                "Use at most %(n)d characters.", n=NOTE_MAX)))
        earlier = seen.get(item.date)
        if earlier is not None:
            where = (_("line %(n)d", n=earlier.line) if earlier.line is not None
                     else _("row %(n)d", n=earlier.index))
            problems.append(_problem(item, None, 0, "date", _(
                "This date is already given on %(where)s.", where=where)))
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
    if not header or not {"date", "workday"} <= set(columns) \
            or not set(columns) <= set(CSV_COLUMNS) or len(set(columns)) != len(columns):
        raise CalendarInputInvalid([Problem(1, 0, "header", _(
            "The first line must name the columns: date,workday,note."))])
    position = {name: columns.index(name) for name in columns}
    days: list[DayInput] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(days) >= MAX_LOAD_ROWS:
            problems.append(Problem(line, 0, "file", _(
                "A file may hold at most %(n)d lines.", n=MAX_LOAD_ROWS)))
            break
        if len(record) > len(columns):
            problems.append(Problem(line, 0, "line", _(
                "This line has more cells than the header.")))
            continue

        def cell(name: str, record=record) -> str:
            index = position.get(name)
            return record[index] if index is not None and index < len(record) else ""

        day = parse_iso_date(cell("date"))
        if day is None:
            problems.append(Problem(line, 0, "date", _(
                "'%(value)s' is not a valid date; write it as YYYY-MM-DD.",
                value=cell("date").strip())))
        workday = parse_workday(cell("workday"))
        if workday is None:
            problems.append(Problem(line, 0, "workday", _(
                "'%(value)s' is not one of yes, no, 1, 0, true, false, 是, 否.",
                value=cell("workday").strip())))
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
        raise CalendarInputInvalid([Problem(None, MAX_LOAD_ROWS, "rows", _(
            "Give at most %(n)d days at a time.", n=MAX_LOAD_ROWS))])
    problems = check_days(days)
    if problems:
        raise CalendarInputInvalid(problems[:MAX_PROBLEMS])
    first, last = min(d.date for d in days), max(d.date for d in days)
    existing = {
        row.date: row for row in db.session.scalars(
            select(CalendarDay).where(CalendarDay.date.between(first, last)))
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
            inserts.append({"date": item.date, "is_workday": item.workday, "note": note,
                            "source": source, "updated_at": now})
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
        audit.record("calendar.loaded", actor=actor, object_type="calendar",
                     object_id=",".join(str(y) for y in years)[:64], payload={
                         "source": source,
                         "rows": len(days),
                         "stored": stored,
                         "years": list(years),
                         "newly_official": newly_official,
                         "workday_changed": {d.isoformat(): not before[d]
                                             for d in sorted(flipped)},
                     })
    recomputed = notify_change(changed)
    return LoadResult(stored, unchanged, years, tuple(newly_official), frozenset(changed),
                      recomputed)


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
    click.echo(f"calendar seeded from chinesecalendar ({years}): {result.inserted} day(s) added, "
               f"{result.updated} updated, {len(result.newly_official)} year(s) newly official, "
               f"{result.recomputed} deadline(s) recomputed")


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
    click.echo(f"{path}: {result.stored} day(s) stored, {result.unchanged} unchanged; years "
               f"{', '.join(map(str, result.years))}; newly official: "
               f"{', '.join(map(str, result.newly_official)) or 'none'}; "
               f"{result.recomputed} deadline(s) recomputed")


def register(app: Flask) -> None:
    if "calendar" not in app.cli.commands:
        app.cli.add_command(calendar_cli)
