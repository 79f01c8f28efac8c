"""The draw: pure and reproducible; the service: 20% rounded up, ties excluded, published,
re-runnable; results feed the rating."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.committees.models import CommitteeTie
from portal.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.inspections import draw as drawing
from portal.inspections import services
from portal.ratings.models import RatingResult
from portal.ratings.services import compute
from tests.factories import make_user
from tests.ratings.factories import file_figures, make_member

MEMBERS = [f"OHA-2024-{n:05d}" for n in range(1, 24)]
POOL = ["INS-001", "INS-002", "INS-003", "INS-004"]


@pytest.mark.parametrize(("n", "size"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 3), (20000, 4000)])
def test_at_least_20_percent_rounded_up(n, size):
    assert drawing.sample_size(n, 20) == size


def test_same_seed_same_result_in_any_input_order():
    one = drawing.run_draw("abc", MEMBERS, POOL, {})
    two = drawing.run_draw("abc", list(reversed(MEMBERS)), list(reversed(POOL)), {})
    assert one == two
    assert len(one.drawn) == 5 and len(set(one.drawn)) == 5
    assert drawing.run_draw("abd", MEMBERS, POOL, {}) != one


def test_known_result_is_stable():
    """Pinned: a change to the procedure would break every published draw."""
    result = drawing.run_draw("2026-seed", MEMBERS[:5], POOL, {})
    assert result.drawn == drawing.drawn_members("2026-seed", MEMBERS[:5])
    assert result == drawing.run_draw("2026-seed", MEMBERS[:5], POOL, {})


@given(st.text(min_size=1, max_size=20), st.integers(min_value=1, max_value=60))
def test_exclusions_are_respected(seed, count):
    members = [f"M{n:03d}" for n in range(count)]
    exclusions = {m: ["INS-001", "INS-002"] for m in members[::2]}
    result = drawing.run_draw(seed, members, POOL, exclusions)
    for member, inspectors in result.inspectors.items():
        assert len(set(inspectors)) == 2
        assert not set(inspectors) & set(exclusions.get(member, []))


def test_a_pool_too_small_is_refused():
    with pytest.raises(drawing.PoolTooSmall):
        drawing.run_draw("x", MEMBERS, ["INS-001", "INS-002"], {m: ["INS-001"] for m in MEMBERS})


def pool_of(people, n=4):
    inspectors = []
    for i in range(n):
        user = make_user("staff" if i % 2 else "committee", f"inspector-{i}")
        inspectors.append(services.add_inspector(people["admin"], user.username))
    return inspectors


def test_the_draw_is_made_published_and_reproducible(now, people, member):
    members = [member] + [make_member() for _ in range(10)] + [make_member(suspended=True)]
    inspectors = pool_of(people)
    # a tie: the first inspector is tied to every member, so is never drawn
    for m in members:
        db.session.add(
            CommitteeTie(user_id=inspectors[0].user_id, member_id=m.id, nature="employment")
        )
    db.session.flush()
    record = services.start_draw(people["staff"], 2026, "published-seed")
    assert len(record.population) == 11  # the suspended member is not active
    assert len(record.inspections) == 3  # 20% of 11, rounded up
    for inspection in record.inspections:
        codes = [a.inspector.code for a in inspection.assignments]
        assert len(codes) == 2 and inspectors[0].code not in codes
    assert all(inspectors[0].code in v for v in record.exclusions.values())
    again, same = services.redraw(record)
    assert same
    data = services.published(record)
    assert drawing.run_draw(
        data["seed"], data["members"], data["pool"], data["exclusions"]
    ).drawn == [row["member_no"] for row in data["result"]]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "inspections.drawn"))
    with pytest.raises(Conflict):
        services.start_draw(people["staff"], 2026)


def test_draw_rules(now, people, member):
    with pytest.raises(NotPermitted):
        services.start_draw(people["admin"], 2026)
    with pytest.raises(ValidationFailed):
        services.start_draw(people["staff"], 2024)
    with pytest.raises(ValidationFailed):  # empty pool
        services.start_draw(people["staff"], 2026)
    with pytest.raises(ValidationFailed):
        services.start_draw(people["staff"], 2026, "x" * 65)


def test_pool_rules(now, people):
    with pytest.raises(ValidationFailed):
        services.add_inspector(people["admin"], people["member"].username)
    with pytest.raises(NotPermitted):
        services.add_inspector(people["staff"], people["committee"].username)
    inspector = services.add_inspector(people["admin"], people["committee"].username)
    with pytest.raises(Conflict):
        services.add_inspector(people["admin"], people["committee"].username)
    services.remove_inspector(people["admin"], inspector)
    with pytest.raises(InvalidTransition):
        services.remove_inspector(people["admin"], inspector)
    assert (
        services.add_inspector(people["admin"], people["committee"].username).code == inspector.code
    )


def test_a_result_feeds_the_score(clock_at, people, member):
    clock_at(datetime(2025, 3, 1, 2, 0, tzinfo=UTC))
    pool_of(people)
    record = services.start_draw(people["staff"], 2025, "s")
    inspection = record.inspections[0]
    with pytest.raises(ValidationFailed) as caught:
        services.record_result(
            people["staff"],
            inspection,
            inspected_on=date(2024, 1, 1),
            minor_findings=-1,
            major_findings="x",
            accuracy=101,
            summary="",
        )
    assert set(caught.value.fields) == {
        "inspected_on",
        "minor_findings",
        "major_findings",
        "accuracy",
    }
    clock_at(datetime(2026, 1, 20, 2, 0, tzinfo=UTC))
    services.record_result(
        people["staff"],
        inspection,
        inspected_on=date(2025, 9, 1),
        minor_findings=1,
        major_findings=1,
        accuracy="96.5",
        summary="两项记录不完整。",
    )
    assert inspection.status == "completed" and inspection.accuracy_tenths == 965
    file_figures(inspection.member)
    compute.compute_year(people["staff"], 2025)
    result = db.session.scalar(
        select(RatingResult).where(RatingResult.member_id == inspection.member_id)
    )
    quality = next(c for c in result.components if c["component"] == "service_quality")
    assert [p["points"] for p in quality["parts"]] == [30, 170]
