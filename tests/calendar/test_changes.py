"""Changing the calendar: seeding, CSV loads, single days, official years, subscribers, audit."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from portal import audit, calendar, calendar_edits
from portal.calendar import CalendarDay, CalendarYear
from portal.errors import ValidationFailed
from portal.extensions import db as _db

SHANGHAI = timezone(timedelta(hours=8))

CSV_2027 = """date,workday,note
2027-01-01,否,元旦
2027-02-06,是,春节调休上班
2027-02-08,no,春节
2027-02-09,No,春节
2027-02-10,0,春节
2027-02-11,false,春节
2027-02-12,FALSE,春节
"""


def count_days() -> int:
    return _db.session.scalar(select(func.count()).select_from(CalendarDay))


def entries(action: str) -> list[audit.AuditEntry]:
    return list(
        _db.session.scalars(
            select(audit.AuditEntry)
            .where(audit.AuditEntry.action == action)
            .order_by(audit.AuditEntry.seq)
        )
    )


# --- seeding -----------------------------------------------------------------------------------


def test_seed_stores_every_known_day_fast_and_once(db, subscriber):
    started = time.perf_counter()
    result = calendar_edits.seed_from_chinesecalendar(actor="test")
    elapsed = time.perf_counter() - started
    assert result.years == tuple(range(2004, 2027))
    assert result.inserted == (date(2027, 1, 1) - date(2004, 1, 1)).days == 8401
    assert count_days() == 8401
    assert elapsed < 5  # one bulk insert; about 0.2 s on a laptop
    assert calendar.official_years() >= set(range(2004, 2027))
    assert _db.session.get(CalendarYear, 2026).source == "chinesecalendar"
    assert len(subscriber.calls) == 1 and len(subscriber.dates) == 8401
    [entry] = entries("calendar.seeded")
    assert json.loads(entry.payload)["inserted"] == 8401

    again = calendar_edits.seed_from_chinesecalendar(actor="test")
    assert (again.inserted, again.updated, again.newly_official) == (0, 0, ())
    assert count_days() == 8401
    assert len(entries("calendar.seeded")) == 1  # nothing changed, nothing recorded
    assert len(subscriber.calls) == 1


def test_seed_notes_name_the_festival(seeded):
    assert calendar.day_info(date(2026, 10, 1)).note == "国庆节"
    assert calendar.day_info(date(2026, 10, 10)).note == "国庆节调休上班"
    assert calendar.day_info(date(2026, 10, 12)).note == ""
    assert calendar.day_info(date(2026, 10, 1)).source == "chinesecalendar"


def test_seed_keeps_admin_corrections_and_refreshes_stale_package_rows(seeded, subscriber):
    calendar_edits.set_day(date(2026, 12, 31), workday=False, note="test closure", actor="test")
    # a row from an older package that said otherwise
    _db.session.execute(
        update(CalendarDay).where(CalendarDay.date == date(2026, 10, 9)).values(is_workday=False)
    )
    calendar.invalidate_cache()
    assert calendar.is_workday(date(2026, 10, 9)) is False
    subscriber.calls.clear()

    result = calendar_edits.seed_from_chinesecalendar(actor="test")
    assert (result.inserted, result.updated) == (0, 1)
    assert calendar.is_workday(date(2026, 10, 9)) is True
    assert calendar.day_info(date(2026, 12, 31)).source == "admin"
    assert calendar.is_workday(date(2026, 12, 31)) is False
    assert subscriber.calls == [{date(2026, 10, 9)}]


def test_seed_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "seed"])
    assert result.exit_code == 0, result.output
    assert "8401 day(s) added" in result.output
    assert calendar.is_official(2026)
    result = runner.invoke(args=["calendar", "seed"])
    assert "0 day(s) added" in result.output


# --- official years and the 2027 scenario --------------------------------------------------


def test_2027_is_provisional_until_its_csv_is_loaded(seeded, subscriber):
    before = calendar.due_date(date(2026, 12, 30), 3)
    assert (before.due, before.provisional) == (date(2027, 1, 4), True)

    result = calendar_edits.load_csv(CSV_2027, actor="test")

    assert result.years == (2027,) and result.newly_official == (2027,)
    assert result.stored == 7
    assert calendar.is_official(2027)
    assert _db.session.get(CalendarYear, 2027).source == "csv"
    after = calendar.due_date(date(2026, 12, 30), 3)
    # 31 Dec, then 1 Jan 2027 is off: Monday 4 and Tuesday 5 January
    assert (after.due, after.provisional) == (date(2027, 1, 5), False)
    assert calendar.is_workday(date(2027, 2, 6)) is True  # a make-up Saturday
    assert calendar.due_date(date(2027, 2, 5), 2).due == date(2027, 2, 15)
    # the subscriber was told, in the same transaction, about every day of the new year
    assert len(subscriber.calls) == 1
    assert subscriber.dates == {date(2027, 1, 1) + timedelta(days=i) for i in range(365)}
    assert result.recomputed == 1
    [entry] = entries("calendar.loaded")
    payload = json.loads(entry.payload)
    assert payload["newly_official"] == [2027]
    assert payload["workday_changed"] == {
        "2027-01-01": False,
        "2027-02-06": True,
        "2027-02-08": False,
        "2027-02-09": False,
        "2027-02-10": False,
        "2027-02-11": False,
        "2027-02-12": False,
    }
    assert entry.actor == "test"


def test_a_single_edit_does_not_make_a_year_official(seeded, subscriber):
    calendar_edits.set_day(date(2028, 1, 3), workday=False, note="", actor="test")
    assert not calendar.is_official(2028)
    deadline = calendar.due_date(date(2027, 12, 31), 1)
    assert (deadline.due, deadline.provisional) == (date(2028, 1, 4), True)
    assert subscriber.calls == [{date(2028, 1, 3)}]

    calendar_edits.declare_official(2028, actor="test")
    assert calendar.is_official(2028)
    assert _db.session.get(CalendarYear, 2028).source == "admin"
    assert calendar.due_date(date(2027, 12, 31), 1).provisional is False  # counts 2028 only
    assert calendar.due_date(date(2027, 12, 30), 2).provisional is True  # 31 Dec 2027 counted
    assert len(subscriber.calls[-1]) == 366  # 2028 is a leap year
    assert len(entries("calendar.year_official")) == 1
    calendar_edits.declare_official(2028, actor="test")  # again: nothing more
    assert len(entries("calendar.year_official")) == 1


# --- single days -----------------------------------------------------------------------------


def test_set_day_is_audited_and_notifies(seeded, subscriber, clock_at):
    clock_at(datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    assert calendar.due_date(date(2026, 10, 8), 1).due == date(2026, 10, 9)
    row = calendar_edits.set_day(
        date(2026, 10, 9), workday=False, note="  typhoon   closure ", actor="test"
    )
    assert (row.is_workday, row.note, row.source) == (False, "typhoon closure", "admin")
    assert row.updated_at == datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    assert calendar.due_date(date(2026, 10, 8), 1).due == date(2026, 10, 10)  # cache dropped
    assert subscriber.calls == [{date(2026, 10, 9)}]
    [entry] = entries("calendar.day_set")
    assert entry.object_type == "calendar_day" and entry.object_id == "2026-10-09"
    assert json.loads(entry.payload) == {
        "date": "2026-10-09",
        "workday": False,
        "was_workday": True,
        "previous_source": "chinesecalendar",
    }

    # only the note changes: audited, but no deadline depends on it
    calendar_edits.set_day(date(2026, 10, 9), workday=False, note="typhoon", actor="test")
    assert len(subscriber.calls) == 1
    assert len(entries("calendar.day_set")) == 2
    # nothing changes: nothing recorded
    calendar_edits.set_day(date(2026, 10, 9), workday=False, note="typhoon", actor="test")
    assert len(entries("calendar.day_set")) == 2
    assert audit.verify().ok


def test_set_day_refuses_long_notes_and_far_years(seeded):
    with pytest.raises(ValidationFailed) as error:
        calendar_edits.set_day(date(2026, 10, 9), workday=False, note="x" * 201, actor="test")
    assert "note" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        calendar_edits.set_day(date(1999, 10, 9), workday=False, note="", actor="test")
    assert "date" in error.value.fields


def test_cache_follows_a_rolled_back_change(seeded):
    assert calendar.is_workday(date(2026, 10, 9)) is True
    savepoint = _db.session.begin_nested()
    calendar_edits.set_day(date(2026, 10, 9), workday=False, note="", actor="test")
    assert calendar.is_workday(date(2026, 10, 9)) is False
    savepoint.rollback()
    assert calendar.is_workday(date(2026, 10, 9)) is True


def test_notify_change_sums_subscribers_and_skips_empty_sets(db):
    seen: list[set[date]] = []

    def first(dates: set[date]) -> int:
        seen.append(dates)
        return 2

    def second(dates: set[date]) -> int:
        dates.clear()  # a subscriber cannot spoil what the next one gets
        return 3

    calendar.on_calendar_change(first)
    calendar.on_calendar_change(second)
    calendar.on_calendar_change(first)  # registering twice counts once
    try:
        assert calendar.notify_change(set()) == 0
        assert seen == []
        assert calendar.notify_change({date(2026, 10, 9)}) == 5
        assert calendar.notify_change([date(2026, 10, 9), date(2026, 10, 10)]) == 5
        assert seen == [{date(2026, 10, 9)}, {date(2026, 10, 9), date(2026, 10, 10)}]
    finally:
        calendar.off_calendar_change(first)
        calendar.off_calendar_change(second)
    assert first not in calendar.SUBSCRIBERS and second not in calendar.SUBSCRIBERS


# --- CSV files ---------------------------------------------------------------------------------


def test_csv_accepts_every_spelling_of_yes_and_no(db):
    text = (
        "\ufeffDate, Workday ,NOTE\r\n"
        "2027-01-01,是,元旦\r\n2027-01-02,否,\r\n2027-01-03,yes,\r\n2027-01-04,NO,\r\n"
        "\r\n"
        '2027-01-05,1,\r\n2027-01-06,0,\r\n2027-01-07,True,\r\n2027-01-08,false,"a, b"\r\n'
    )
    days = calendar_edits.parse_csv(text)
    assert [(d.date.day, d.workday) for d in days] == [
        (1, True),
        (2, False),
        (3, True),
        (4, False),
        (5, True),
        (6, False),
        (7, True),
        (8, False),
    ]
    assert days[0].note == "元旦" and days[-1].note == "a, b"
    assert days[0].line == 2 and days[-1].line == 10


def test_csv_columns_may_come_in_any_order_and_note_is_optional(db):
    assert calendar_edits.parse_csv("workday,date\nno,2027-01-01\n")[0].date == date(2027, 1, 1)


def test_csv_without_header_is_refused(db):
    with pytest.raises(calendar_edits.CalendarInputInvalid) as error:
        calendar_edits.parse_csv("2027-01-01,no,元旦\n")
    assert [(p.line, p.field) for p in error.value.problems] == [(1, "header")]
    assert list(error.value.fields) == ["line 1, header"]
    assert "date,workday,note" in error.value.fields["line 1, header"]


def test_a_bad_line_stores_nothing(seeded, subscriber):
    before_days, before_audit = count_days(), audit.head().seq
    text = (
        "date,workday,note\n"
        "2027-01-01,no,元旦\n"
        "2027-02-06,maybe,春节调休上班\n"
        "2027-02-30,no,\n"
        "2027/02/08,no,\n"
        "2027-01-01,yes,again\n"
        "1999-01-01,no,\n"
        f"2027-03-01,no,{'x' * 201}\n"
        "2027-03-02,no,,extra\n"
    )
    with pytest.raises(calendar_edits.CalendarInputInvalid) as error:
        calendar_edits.load_csv(text, actor="test")
    problems = {(p.line, p.field) for p in error.value.problems}
    assert problems == {
        (3, "workday"),
        (4, "date"),
        (5, "date"),
        (6, "date"),
        (7, "date"),
        (8, "note"),
        (9, "line"),
    }
    assert "maybe" in error.value.fields["line 3, workday"]  # the message quotes the value
    assert "2" in error.value.fields["line 6, date"]  # the duplicate names the first line
    assert error.value.status == 422
    assert count_days() == before_days
    assert audit.head().seq == before_audit
    assert not calendar.is_official(2027)
    assert calendar.is_workday(date(2027, 1, 1)) is True
    assert subscriber.calls == []


def test_an_empty_file_is_refused(db):
    with pytest.raises(calendar_edits.CalendarInputInvalid) as error:
        calendar_edits.parse_csv("date,workday,note\n\n")
    assert list(error.value.fields) == ["line 1, file"]


def test_files_from_excel_in_gb18030_are_read(db):
    raw = "date,workday,note\n2027-01-01,否,元旦\n".encode("gb18030")
    assert calendar_edits.parse_csv(calendar_edits.decode_file(raw))[0].note == "元旦"
    assert calendar_edits.decode_file(b"\xef\xbb\xbfdate") == "date"


def test_reloading_the_same_file_changes_nothing(seeded, subscriber):
    calendar_edits.load_csv(CSV_2027, actor="test")
    again = calendar_edits.load_csv(CSV_2027, actor="test")
    assert (again.stored, again.unchanged, again.newly_official) == (0, 7, ())
    assert len(entries("calendar.loaded")) == 1
    assert len(subscriber.calls) == 1


def test_a_file_corrects_a_seeded_day(seeded, subscriber):
    result = calendar_edits.load_csv("date,workday,note\n2026-10-09,no,closure\n", actor="test")
    assert result.newly_official == () and result.changed_dates == {date(2026, 10, 9)}
    assert calendar.day_info(date(2026, 10, 9)).source == "csv"
    assert subscriber.calls == [{date(2026, 10, 9)}]


def test_load_command(app, seeded, tmp_path):
    good = tmp_path / "2027.csv"
    good.write_text(CSV_2027, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,workday,note\n2028-01-03,no,元旦\n2028-01-04,perhaps,\n", encoding="utf-8")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["calendar", "load", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv: line 3, workday: " in result.output and "perhaps" in result.output
    assert not calendar.is_official(2028)
    assert calendar.is_workday(date(2028, 1, 3)) is True

    result = runner.invoke(args=["calendar", "load", str(good)])
    assert result.exit_code == 0, result.output
    assert "7 day(s) stored" in result.output
    assert calendar.is_official(2027)
    [entry] = entries("calendar.loaded")
    assert entry.actor == "cli"
