"""chinesecalendar (what the calendar is seeded from) against the `holidays` package.

Both are compared on every day of every year that both cover: the years chinesecalendar
knows (2004-2026; `holidays` covers China from 1950 on). Each known disagreement is listed
here with what the State Council's notice says, so that a new one fails this test.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import holidays

from portal import calendar, calendar_edits

# date: (chinesecalendar says workday, holidays says workday)
KNOWN_DISAGREEMENTS = {
    # 国办发明电〔2005〕35号 (the 2006 schedule): "12月31日（星期六）上班" -- Saturday
    # 31 December 2005 was a make-up workday for New Year 2006. `holidays` has it;
    # chinesecalendar files its make-up days by year and misses this one in 2005. It is long
    # past, so no deadline depends on it; an administrator may correct it on the page.
    date(2005, 12, 31): (False, True),
}


def test_the_two_packages_cover_the_same_years_for_the_comparison():
    years = calendar_edits.package_years()
    assert years == tuple(range(2004, 2027))
    assert holidays.China.start_year <= years[0] and years[-1] <= holidays.China.end_year


def test_chinesecalendar_and_holidays_agree_except_the_known_days():
    disagreements = {}
    for year in calendar_edits.package_years():
        china = holidays.China(years=year)
        day = date(year, 1, 1)
        while day.year == year:
            ours, theirs = chinese_calendar.is_workday(day), china.is_working_day(day)
            if ours != theirs:
                disagreements[day] = (ours, theirs)
            day += timedelta(days=1)
    assert disagreements == KNOWN_DISAGREEMENTS


def test_the_seed_follows_chinesecalendar_on_the_disputed_days(seeded):
    for day, (package_says, _holidays_says) in KNOWN_DISAGREEMENTS.items():
        assert calendar.is_workday(day) is package_says
