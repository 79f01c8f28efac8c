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

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Boolean, CheckConstraint, Date, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import clock
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
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )

    __table_args__ = (CheckConstraint(f"source IN {SOURCES!r}", name="source"),)

    def __repr__(self) -> str:
        return f"<CalendarDay {self.date} {'work' if self.is_workday else 'off'} {self.source}>"


class CalendarYear(db.Model):
    """A year whose calendar is official: when it became so, and from which source."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(16))
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (CheckConstraint(f"source IN {SOURCES!r}", name="source"),)


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
            select(CalendarDay.date, CalendarDay.is_workday).where(
                CalendarDay.date.between(date(year, 1, 1), date(year, 12, 31))
            )
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


def _plain_date(value: date) -> date:
    # A datetime is a date too, but it would never match a stored day and its date depends
    # on the time zone: instants go through deadline_from_instant or clock.shanghai().
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date, not {type(value).__name__}")
    return value


def is_workday(d: date) -> bool:
    """Whether `d` is a working day (its stored status, else Monday to Friday)."""
    stored = _year_rows(_plain_date(d).year).get(d)
    return rule_workday(d) if stored is None else stored


def _check_count(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"the number of working days must be an int >= 0, not {n!r}")


def _walk(start: date, n: int) -> tuple[date, bool]:
    """The Nth working day after `start`, and whether any day looked at is unofficial."""
    _check_count(n)
    day, counted, provisional = _plain_date(start), 0, False
    official = official_years()
    while counted < n:
        day += timedelta(days=1)
        if day.year not in official:
            provisional = True
        if is_workday(day):
            counted += 1
    return day, provisional


def add_working_days(d: date, n: int) -> date:
    """The Nth working day after `d` (`d` itself is never counted); n=0 gives `d`."""
    return _walk(d, n)[0]


def working_days_between(a: date, b: date) -> int:
    """How many working days lie in (a, b]; negative when b is before a."""
    a, b = _plain_date(a), _plain_date(b)
    if b < a:
        return -working_days_between(b, a)
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def end_of_day(d: date) -> datetime:
    """23:59:59 of `d` in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(_plain_date(d), END_OF_DAY, tzinfo=clock.SHANGHAI)


@dataclass(frozen=True)
class Deadline:
    due: date
    due_at: datetime  # end of `due` in Asia/Shanghai (23:59:59+08:00), aware
    provisional: bool  # a counted day lies in a year without official data


def due_date(start_date: date, n_working_days: int) -> Deadline:
    """The deadline N working days after `start_date` (the day of the event is not counted).

    With 0 working days the deadline is the end of `start_date` itself, and it is never
    provisional (no day was counted).
    """
    due, provisional = _walk(start_date, n_working_days)
    return Deadline(due=due, due_at=end_of_day(due), provisional=provisional)


def deadline_from_instant(instant_utc: datetime, n: int) -> Deadline:
    """The deadline N working days after the Asia/Shanghai date of an aware instant."""
    if not isinstance(instant_utc, datetime) or instant_utc.tzinfo is None:
        raise ValueError("deadline_from_instant takes timezone-aware instants only")
    return due_date(instant_utc.astimezone(clock.SHANGHAI).date(), n)


@dataclass(frozen=True)
class DayInfo:
    date: date
    workday: bool
    note: str
    source: str | None  # None: no row, the Monday-to-Friday rule applies

    @property
    def kind(self) -> str:
        """'workday'; 'makeup' (a weekend day worked); 'holiday' (a weekday off, or a weekend
        day off with a note, such as a Sunday inside the Spring Festival); or 'weekend'."""
        if self.workday:
            return "workday" if rule_workday(self.date) else "makeup"
        return "holiday" if rule_workday(self.date) or self.note else "weekend"


def year_days(year: int) -> list[DayInfo]:
    """Every day of `year` with its status, note and source (one query)."""
    check_year(year)
    rows = {
        row.date: row
        for row in db.session.execute(
            select(
                CalendarDay.date, CalendarDay.is_workday, CalendarDay.note, CalendarDay.source
            ).where(CalendarDay.date.between(date(year, 1, 1), date(year, 12, 31)))
        )
    }
    days, day = [], date(year, 1, 1)
    while day.year == year:
        row = rows.get(day)
        days.append(
            DayInfo(day, rule_workday(day), "", None)
            if row is None
            else DayInfo(day, bool(row.is_workday), row.note or "", row.source)
        )
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


def check_year(year: int, field_name: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        why = _(
            "The calendar covers the years %(first)d to %(last)d.", first=MIN_YEAR, last=MAX_YEAR
        )
        raise ValidationFailed(why, {field_name: why})
