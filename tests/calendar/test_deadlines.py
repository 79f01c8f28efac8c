"""Deadlines on the statutory calendar: real 2026 dates, provisional years, the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from portal import calendar, clock
from portal.extensions import db as _db

SHANGHAI = timezone(timedelta(hours=8))


def due(start: date, n: int) -> date:
    return calendar.due_date(start, n).due


def test_spec_example_national_day(seeded):
    deadline = calendar.due_date(date(2026, 9, 30), 5)
    assert deadline.due == date(2026, 10, 13)  # 8, 9, Sat 10 (make-up), 12, 13
    assert deadline.due_at == datetime(2026, 10, 13, 23, 59, 59, tzinfo=SHANGHAI)
    assert deadline.due_at.isoformat() == "2026-10-13T23:59:59+08:00"
    assert deadline.due_at.utcoffset() == timedelta(hours=8)
    assert deadline.provisional is False


def test_deadline_is_frozen(seeded):
    deadline = calendar.due_date(date(2026, 9, 30), 5)
    with pytest.raises(AttributeError):
        deadline.due = date(2026, 10, 14)


def statuses(first: date, last: date) -> dict[date, bool]:
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return {day: calendar.is_workday(day) for day in days}


def test_spring_festival_2026(seeded):
    # 15-23 February off; Saturday 14 and Saturday 28 February are make-up workdays.
    expected = {date(2026, 2, d): True for d in (9, 10, 11, 12, 13, 14)}
    expected |= {date(2026, 2, d): False for d in range(15, 24)}
    expected |= {date(2026, 2, d): True for d in (24, 25, 26, 27, 28)}
    expected |= {date(2026, 3, 1): False, date(2026, 3, 2): True}
    assert statuses(date(2026, 2, 9), date(2026, 3, 2)) == expected


def test_national_day_2026(seeded):
    # 1-7 October off; Sunday 20 September and Saturday 10 October are make-up workdays;
    # Mid-autumn Festival 25-27 September off.
    expected = {date(2026, 9, 19): False, date(2026, 9, 20): True}
    expected |= {date(2026, 9, d): True for d in (21, 22, 23, 24)}
    expected |= {date(2026, 9, d): False for d in (25, 26, 27)}
    expected |= {date(2026, 9, d): True for d in (28, 29, 30)}
    expected |= {date(2026, 10, d): False for d in range(1, 8)}
    expected |= {
        date(2026, 10, 8): True,
        date(2026, 10, 9): True,
        date(2026, 10, 10): True,
        date(2026, 10, 11): False,
        date(2026, 10, 12): True,
    }
    assert statuses(date(2026, 9, 19), date(2026, 10, 12)) == expected


FESTIVAL_DEADLINES = [
    # Spring Festival week
    (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Friday -> make-up Saturday
    (date(2026, 2, 13), 2, date(2026, 2, 24)),  # then the whole festival is skipped
    (date(2026, 2, 12), 5, date(2026, 2, 26)),
    (date(2026, 2, 26), 2, date(2026, 2, 28)),  # the second make-up Saturday counts
    (date(2026, 2, 26), 3, date(2026, 3, 2)),
    # National Day week (and Mid-autumn, 25-27 September)
    (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Friday -> make-up Sunday
    (date(2026, 9, 24), 1, date(2026, 9, 28)),
    (date(2026, 9, 30), 1, date(2026, 10, 8)),
    (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Friday -> make-up Saturday
    (date(2026, 9, 30), 30, date(2026, 11, 17)),  # a complex complaint
]


def test_deadlines_around_festivals(seeded):
    got = [(start, n, due(start, n)) for start, n, _expected in FESTIVAL_DEADLINES]
    assert got == FESTIVAL_DEADLINES
    for start, n, expected in FESTIVAL_DEADLINES:
        assert calendar.add_working_days(start, n) == expected
        assert calendar.working_days_between(start, expected) == n


def test_zero_working_days_is_the_end_of_the_start_day(seeded):
    for start in (date(2026, 10, 1), date(2026, 10, 10), date(2026, 3, 2), date(2027, 6, 5)):
        deadline = calendar.due_date(start, 0)
        assert deadline.due == start
        assert deadline.due_at == datetime(
            start.year, start.month, start.day, 23, 59, 59, tzinfo=SHANGHAI
        )
        assert deadline.provisional is False  # no day was counted


def test_start_on_a_holiday(seeded):
    assert due(date(2026, 10, 1), 1) == date(2026, 10, 8)
    assert due(date(2026, 10, 3), 1) == date(2026, 10, 8)  # a Saturday inside the holiday
    assert due(date(2026, 2, 18), 1) == date(2026, 2, 24)
    assert due(date(2026, 10, 1), 5) == date(2026, 10, 13)


def test_start_on_a_make_up_saturday(seeded):
    assert due(date(2026, 10, 10), 1) == date(2026, 10, 12)  # the Saturday itself is not counted
    assert due(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert due(date(2026, 2, 28), 1) == date(2026, 3, 2)
    assert due(date(2026, 9, 20), 1) == date(2026, 9, 21)


def test_working_days_between(seeded):
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert calendar.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5
    assert calendar.working_days_between(date(2026, 10, 13), date(2026, 10, 13)) == 0
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_negative_counts_are_refused(seeded):
    with pytest.raises(ValueError):
        calendar.due_date(date(2026, 10, 1), -1)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 10, 1), -3)


def test_a_year_without_data_is_provisional_and_counts_monday_to_friday(seeded):
    assert not calendar.is_official(2027)
    deadline = calendar.due_date(date(2026, 12, 30), 3)
    # 31 December (official), then Friday 1 January 2027 and Monday 4 January by the plain rule
    assert deadline.due == date(2027, 1, 4)
    assert deadline.provisional is True
    assert calendar.due_date(date(2026, 12, 30), 1).provisional is False  # 31 Dec only
    assert calendar.is_workday(date(2027, 1, 1)) is True
    assert calendar.is_workday(date(2027, 1, 2)) is False


def test_years_before_the_package_are_provisional(seeded):
    assert calendar.due_date(date(2003, 12, 30), 1).provisional is True
    assert calendar.due_date(date(2004, 1, 5), 1).provisional is False


def test_deadline_from_instant_uses_the_shanghai_date(seeded):
    # 16:30 UTC on Friday 9 October is 00:30 on Saturday 10 October (a make-up workday) in
    # Shanghai: that Saturday is the day of the event and is not counted.
    late = calendar.deadline_from_instant(datetime(2026, 10, 9, 16, 30, tzinfo=UTC), 1)
    assert late.due == date(2026, 10, 12)
    early = calendar.deadline_from_instant(datetime(2026, 10, 9, 15, 59, 59, tzinfo=UTC), 1)
    assert early.due == date(2026, 10, 10)
    with pytest.raises(ValueError):
        calendar.deadline_from_instant(datetime(2026, 10, 9, 12, 0), 1)


def test_deadline_from_the_frozen_clock(seeded, clock_at):
    clock_at(datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI))
    deadline = calendar.deadline_from_instant(clock.now(), 5)
    assert deadline.due == date(2026, 10, 13)
    assert clock.now() < deadline.due_at
    clock_at(datetime(2026, 10, 13, 15, 59, 59, tzinfo=UTC))  # 23:59:59 in Shanghai
    assert clock.now() == deadline.due_at
    clock_at(datetime(2026, 10, 13, 16, 0, tzinfo=UTC))  # the next second: overdue
    assert clock.now() > deadline.due_at


class QueryCounter:
    def __init__(self, connection) -> None:
        self.connection = connection
        self.count = 0

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.connection, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs) -> None:
        self.count += 1


def test_a_long_deadline_reads_each_year_once(seeded):
    connection = _db.session.connection()
    with QueryCounter(connection) as first:
        assert calendar.add_working_days(date(2026, 6, 1), 366) > date(2027, 6, 1)
    assert first.count <= 3  # the official years, then 2026 and 2027 once each
    with QueryCounter(connection) as second:
        calendar.due_date(date(2026, 6, 1), 366)
        calendar.working_days_between(date(2026, 6, 1), date(2027, 6, 1))
    assert second.count == 0  # cached for the transaction


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(min_value=date(2003, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=0, max_value=365),
)
def test_property_one_more_day_is_later_and_always_a_workday(seeded, start, n):
    this, following = calendar.due_date(start, n), calendar.due_date(start, n + 1)
    assert following.due > this.due
    assert calendar.is_workday(following.due)
    if n >= 1:
        assert calendar.is_workday(this.due)
    assert calendar.working_days_between(start, this.due) == n


def test_instants_are_not_taken_for_dates(seeded):
    with pytest.raises(TypeError):
        calendar.is_workday(datetime(2026, 10, 10, 12, 0, tzinfo=UTC))
    with pytest.raises(TypeError):
        calendar.due_date(datetime(2026, 10, 10, 12, 0, tzinfo=UTC), 1)
