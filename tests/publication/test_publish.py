"""publish_decision and withdraw_entry (the contract with discipline), and the facts that
ratings read."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal import audit
from portal.audit import AuditEntry
from portal.errors import Conflict, ValidationFailed
from portal.extensions import db
from portal.publication import facts
from portal.publication.services import publish_decision, term_bounds, withdraw_entry
from portal.publication.tasks import term_sweep
from tests.publication.factories import make_entry

TOOK = date(2026, 3, 1)


def args(member, **changes) -> dict:
    values = {
        "member_id": member.id,
        "decision_no": "OHA-D-2026-007",
        "level": "general",
        "measures": ["written_warning"],
        "title": "未履行告知义务",
        "summary": "未将体检结果告知劳动者本人。",
        "took_effect_on": TOOK,
        "published_until": date(2026, 9, 1),
        "blacklist": False,
        "appeal_outcome": None,
        "source_ref": "discipline_decision:17",
    }
    values.update(changes)
    return values


def actions(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        )
    )


def test_a_general_sanction_is_published_and_audited(member, now):
    entry = publish_decision("test", **args(member))
    assert entry.id and entry.in_force(date(2026, 6, 15))
    assert not entry.in_force(date(2026, 9, 2)) and not entry.in_force(date(2026, 2, 28))
    [record] = actions("publication.published")
    assert '"source_ref":"discipline_decision:17"' in record.payload
    assert audit.verify().ok


def test_publishing_the_same_source_again_returns_the_entry(member, now):
    first = publish_decision("test", **args(member))
    again = publish_decision("test", **args(member, title="other"))
    assert again.id == first.id and again.title == "未履行告知义务"
    assert len(actions("publication.published")) == 1


def test_the_same_decision_number_from_another_source_conflicts(member, now):
    publish_decision("test", **args(member))
    with pytest.raises(Conflict):
        publish_decision("test", **args(member, source_ref="discipline_decision:18"))


@pytest.mark.parametrize(
    ("level", "until", "ok"),
    [
        ("general", date(2026, 6, 1), True),  # 3 months
        ("general", date(2026, 5, 31), False),
        ("general", date(2027, 3, 1), True),  # 1 year
        ("general", date(2027, 3, 2), False),
        ("serious", date(2027, 3, 1), True),  # 1 year
        ("serious", date(2027, 2, 28), False),
        ("serious", date(2029, 3, 1), True),  # 3 years
        ("serious", date(2029, 3, 2), False),
    ],
)
def test_the_publication_term_must_fit_the_level(member, now, level, until, ok):
    values = args(member, level=level, published_until=until, blacklist=level == "serious")
    if ok:
        assert publish_decision("test", **values).published_until == until
    else:
        with pytest.raises(ValidationFailed) as error:
            publish_decision("test", **values)
        assert "published_until" in error.value.fields


def test_term_bounds_handle_month_ends():
    assert term_bounds("general", date(2026, 11, 30)) == (date(2027, 2, 28), date(2027, 11, 30))
    assert term_bounds("serious", date(2028, 2, 29)) == (date(2029, 2, 28), date(2031, 2, 28))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": "minor"}, "level"),
        ({"level": "severe"}, "level"),
        ({"blacklist": True}, "blacklist"),
        ({"measures": []}, "measures"),
        ({"title": "  "}, "title"),
        ({"decision_no": ""}, "decision_no"),
        ({"appeal_outcome": "revoked"}, "appeal_outcome"),
        ({"member_id": 999_999}, "member_id"),
    ],
)
def test_bad_decisions_are_refused_naming_the_field(member, now, changes, field):
    with pytest.raises(ValidationFailed) as error:
        publish_decision("test", **args(member, **changes))
    assert field in error.value.fields


def test_withdrawing_takes_the_entry_off_the_lists_and_keeps_it(member, now):
    entry = make_entry(member, took_effect_on=date(2026, 1, 10))
    assert facts.blacklisted_member_ids(date(2026, 6, 15)) == {member.id}
    withdrawn = withdraw_entry("test", source_ref=entry.source_ref, reason="申诉撤销")
    assert withdrawn is entry and entry.ended_on == date(2026, 6, 15)
    assert entry.end_reason == "withdrawn" and entry.end_note == "申诉撤销"
    assert facts.blacklisted_member_ids(date(2026, 6, 15)) == set()
    assert facts.blacklisted_member_ids(date(2026, 6, 14)) == {member.id}  # history holds
    assert withdraw_entry("test", source_ref=entry.source_ref, reason="again") is entry
    assert len(actions("publication.withdrawn")) == 1
    assert withdraw_entry("test", source_ref="discipline_decision:0", reason="x") is None
    with pytest.raises(ValidationFailed):
        withdraw_entry("test", source_ref=entry.source_ref, reason=" ")


def test_facts_answer_by_date(member, other_member, now):
    make_entry(member, took_effect_on=date(2026, 1, 10), months=12)
    make_entry(member, level="general", took_effect_on=date(2026, 2, 1), months=3)
    make_entry(other_member, level="general", took_effect_on=date(2026, 5, 1), months=6)
    on = date(2026, 6, 15)
    assert facts.blacklisted_member_ids(on) == {member.id}
    assert facts.levels_in_force(on) == {member.id: {"serious"}, other_member.id: {"general"}}
    assert facts.levels_in_force(date(2026, 3, 1)) == {member.id: {"serious", "general"}}
    assert facts.blacklisted_member_ids(date(2027, 1, 11)) == set()
    assert facts.levels_in_force(date(2025, 12, 31)) == {}


def test_a_serious_sanction_without_blacklist_counts_as_serious_only(member, now):
    make_entry(member, blacklist=False)
    assert facts.blacklisted_member_ids(date(2026, 6, 15)) == set()
    assert facts.levels_in_force(date(2026, 6, 15)) == {member.id: {"serious"}}


def test_the_end_of_a_term_is_recorded_once(member, now):
    ended = make_entry(member, level="general", took_effect_on=date(2025, 12, 1), months=3)
    running = make_entry(member, level="general", took_effect_on=date(2026, 5, 1), months=6)
    withdrawn = make_entry(member, level="general", took_effect_on=date(2025, 11, 1), months=3)
    withdraw_entry("test", source_ref=withdrawn.source_ref, reason="撤销")
    assert term_sweep() == 1
    assert term_sweep() == 0
    [record] = actions("publication.term_ended")
    assert record.object_id == str(ended.id)
    assert ended.term_end_recorded_at is not None and running.term_end_recorded_at is None
