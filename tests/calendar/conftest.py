"""Calendar fixtures: the calendar seeded inside the test's transaction, a recording subscriber."""

from __future__ import annotations

from datetime import date

import pytest

from portal import calendar, calendar_edits


@pytest.fixture
def seeded(db):
    """Every day chinesecalendar knows (2004-2026), stored and official; rolled back after."""
    return calendar_edits.seed_from_chinesecalendar(actor="test")


class Recorder:
    """A stand-in for a domain that stores deadlines: remembers every call."""

    def __init__(self) -> None:
        self.calls: list[set[date]] = []

    def __call__(self, changed_dates: set[date]) -> int:
        self.calls.append(set(changed_dates))
        return 1

    @property
    def dates(self) -> set[date]:
        return set().union(*self.calls) if self.calls else set()


@pytest.fixture
def subscriber():
    recorder = Recorder()
    calendar.on_calendar_change(recorder)
    yield recorder
    calendar.off_calendar_change(recorder)
