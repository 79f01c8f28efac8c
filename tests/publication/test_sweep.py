"""The credit-repair watch: a warning at 70% of the 10 working days, an escalation once the
deadline has passed; each once, whatever how often the sweep runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.extensions import db
from portal.notifications import Notification
from portal.publication import agency, secretariat
from portal.publication.tasks import repair_sweep
from tests.files.samples import PDF
from tests.publication.factories import make_entry


@pytest.fixture
def repair(people, member, now, upload_dir):
    entry = make_entry(member, level="general", took_effect_on=date(2026, 2, 1), months=12)
    return agency.apply_for_repair(
        people["member"],
        entry,
        rectification="已整改",
        commitment_accepted=True,
        commitment_name="张建国",
        files=[agency.Upload(PDF, "proof.pdf")],
    )


def count(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


def staff_notes(people, kind: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == people["staff"].id, Notification.kind == kind)
    )


def test_nothing_happens_before_70_percent(repair, clock_at):
    clock_at(datetime(2026, 6, 22, 2, tzinfo=UTC))
    assert repair_sweep() == 0


def test_a_warning_at_70_percent_then_an_escalation_each_once(repair, people, clock_at):
    clock_at(repair.warn_at)
    assert repair_sweep() == 1
    assert repair_sweep() == 0
    assert staff_notes(people, "publication.repair_warning") == 1
    clock_at(datetime(2026, 7, 1, 2, tzinfo=UTC))  # past 30 June, the due day
    assert repair.overdue
    assert repair_sweep() == 1
    assert repair_sweep() == 0
    assert staff_notes(people, "publication.repair_escalated") == 1
    assert count("publication.repair_escalated") == 1


def test_found_overdue_it_is_escalated_without_a_late_warning(repair, people, clock_at):
    clock_at(datetime(2026, 7, 3, 2, tzinfo=UTC))
    assert repair_sweep() == 1
    assert staff_notes(people, "publication.repair_warning") == 0
    assert repair.warned_at is not None and repair.escalated_at is not None


def test_a_decided_application_is_left_alone(repair, people, clock_at):
    secretariat.decide_repair(people["staff"], repair, grant=False, reason="证据不足")
    clock_at(datetime(2026, 7, 3, 2, tzinfo=UTC))
    assert repair_sweep() == 0


def test_the_overdue_queue_is_shown_to_staff(repair, client, login, people, clock_at):
    from tests.publication.conftest import commit

    commit()
    clock_at(datetime(2026, 7, 3, 2, tzinfo=UTC))
    login(people["staff"])
    page = client.get("/staff/publication/repairs").get_data(as_text=True)
    assert "Overdue" in page


def test_a_calendar_change_moves_an_open_deadline(repair, people):
    from portal import calendar_edits

    assert repair.due_date == date(2026, 6, 30)
    calendar_edits.set_day(date(2026, 6, 22), workday=False, note="临时休息日", actor="test")
    assert repair.due_date == date(2026, 7, 1)
    assert repair.warn_at < repair.due_at
    assert count("publication.repair_deadline_recomputed") == 1
