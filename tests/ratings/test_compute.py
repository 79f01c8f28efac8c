"""The yearly run: bulk, idempotent, audited, history kept, facts from every domain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from portal.audit import AuditEntry
from portal.complaints.models import Complaint
from portal.errors import NotPermitted, ValidationFailed
from portal.extensions import db
from portal.ratings import sources
from portal.ratings.models import RatingResult, RatingRun
from portal.ratings.rules import SanctionLike
from portal.ratings.services import compute
from portal.ratings.services import figures as figures_service
from tests.ratings.factories import file_figures, make_member


def result_of(member, year=2025) -> RatingResult:
    return db.session.scalar(
        select(RatingResult).where(RatingResult.member_id == member.id, RatingResult.year == year)
    )


def test_a_complete_member_scores_100_and_gets_aa(now, member, people):
    file_figures(member)
    run = compute.compute_year(people["staff"], 2025)
    result = result_of(member)
    assert run.members == 1 and run.created == 1 and run.rated == 1
    assert (result.rated, result.score_tenths, result.stars, result.grade) == (True, 1000, 5, "AA")
    assert [c["points"] for c in result.components] == [200, 300, 200, 200, 100]
    assert result.reference_day == "2025-12-31"


def test_no_figures_is_not_rated(now, member, people):
    compute.compute_year(people["staff"], 2025)
    result = result_of(member)
    assert result.rated is False and result.stars is None and result.grade == "not_rated"
    assert result.score is None


def test_recomputing_is_idempotent_and_audited(now, member, people):
    file_figures(member)
    first = compute.compute_year(people["staff"], 2025)
    second = compute.compute_year(people["staff"], 2025)
    assert (second.created, second.changed) == (0, 0)
    assert first.digest == second.digest
    assert db.session.scalar(select(RatingResult.id).where(RatingResult.member_id == member.id))
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "ratings.computed").order_by(AuditEntry.seq)
    ).all()
    assert len(entries) == 2
    assert '"changed":0' in entries[1].payload


def test_a_correction_changes_the_result_on_the_next_run(now, member, people):
    figures = file_figures(member)
    compute.compute_year(people["staff"], 2025)
    figures_service.correct(
        people["staff"],
        figures,
        {**figures.values(), "reports_issued": 20},
        "Checked against the invoices: only 20 reports.",
    )
    run = compute.compute_year(people["staff"], 2025)
    assert run.changed == 1
    assert result_of(member).rated is False


def test_history_is_one_row_per_year(now, member, people):
    file_figures(member, 2024)
    file_figures(member, 2025)
    compute.compute_year(people["staff"], 2024)
    compute.compute_year(people["staff"], 2025)
    years = db.session.scalars(
        select(RatingResult.year).where(RatingResult.member_id == member.id)
    ).all()
    assert sorted(years) == [2024, 2025]


def test_aaa_after_three_consecutive_years(now, member, people):
    for year in (2023, 2024, 2025):
        file_figures(member, year)
    compute.compute_year(people["staff"], 2023)
    compute.compute_year(people["staff"], 2024)
    compute.compute_year(people["staff"], 2025)
    assert result_of(member, 2023).grade == "AA"
    assert result_of(member, 2025).grade == "AAA"


def test_complaints_inspections_and_sanctions_are_read(now, member, people, monkeypatch):
    file_figures(member)
    for n, finding in enumerate(("substantiated", "partly_substantiated", "not_substantiated")):
        db.session.add(
            Complaint(
                tracking_number=f"TS-2025-9{n:05d}",
                status="closed",
                channel="online",
                category="service_quality",
                subtype="wrong_report",
                description="x",
                member_id=member.id,
                agency_name=member.name,
                submission_key=f"k{n}",
                received_at=datetime(2025, 3, 1, tzinfo=UTC),
                resolved_at=datetime(2025, 4, 1, tzinfo=UTC),
                finding=finding,
            )
        )
    monkeypatch.setattr(
        sources,
        "sanctions_since",
        lambda since, ids=None: {
            member.id: [SanctionLike("minor", date(2025, 5, 1), "OHA-D-2025-001")]
        },
    )
    compute.compute_year(people["staff"], 2025)
    result = result_of(member)
    parts = {c["component"]: c for c in result.components}
    assert parts["complaints"]["points"] == 50  # 1.5 per 1,000: 20 - 15
    assert parts["discipline"]["points"] == 150
    assert parts["discipline"]["parts"][0]["values"]["decisions"] == ["OHA-D-2025-001"]
    assert result.grade == "B"  # a sanction this year


def test_the_blacklist_removes_the_stars(now, member, people):
    from tests.publication.factories import make_entry

    file_figures(member)
    make_entry(member, level="serious", took_effect_on=date(2025, 6, 1), months=24)
    compute.compute_year(people["staff"], 2025)
    result = result_of(member)
    assert result.stars is None and result.grade == "D" and result.blacklisted


def test_only_the_secretariat_computes(now, people):
    with pytest.raises(NotPermitted):
        compute.compute_year(people["member"], 2025)


@pytest.mark.parametrize("year", [1999, 2027, "x"])
def test_the_year_is_checked(now, people, year):
    with pytest.raises(ValidationFailed):
        compute.compute_year(people["staff"], year)


def count_statements(run) -> int:
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def test_the_computation_is_bulk(now, people):
    """The number of statements does not grow with the number of members."""
    members = [make_member() for _ in range(3)]
    for m in members:
        file_figures(m)
    few = count_statements(lambda: compute.compute_year(people["staff"], 2025))
    members = [make_member() for _ in range(30)]
    for m in members:
        file_figures(m)
    many = count_statements(lambda: compute.compute_year(people["staff"], 2025))
    assert many == few
    assert few < 40
    assert (
        db.session.scalar(select(RatingRun.members).order_by(RatingRun.id.desc())) == 34
    )  # with the fixture member


def test_the_scheduled_job_rates_last_year_once(now, member, people):
    from portal.ratings import tasks

    file_figures(member)
    assert tasks.yearly() == 1
    assert tasks.yearly() == 0
    assert result_of(member).rated


def test_the_database_counts_training_as_the_rule_does(now, db):
    """`gather._training` (SQL) and `rules.training_counts` (Python) agree person by person."""
    from portal.members.staff_models import ExamRecord, StaffMember, TrainingRecord
    from portal.ratings import rules
    from portal.ratings.rules import RatingFacts, StaffTraining
    from portal.ratings.services import gather

    cases = [  # (pre-job, continuing 2025, continuing 2024, first assignment, exams)
        (60, 40, 0, date(2020, 1, 1), [(date(2025, 6, 1), True)]),
        (59, 40, 0, date(2020, 1, 1), []),
        (60, 39, 50, date(2020, 1, 1), []),
        (60, 0, 0, date(2025, 3, 1), []),
        (60, 40, 0, date(2020, 1, 1), [(date(2025, 1, 1), True), (date(2025, 6, 1), False)]),
        (60, 40, 0, date(2020, 1, 1), [(date(2025, 1, 1), False), (date(2025, 6, 1), True)]),
        (60, 40, 0, date(2020, 1, 1), [(date(2026, 1, 5), False)]),  # after the day
        (0, 0, 0, None, []),
        (60, 40, 0, date(2026, 1, 2), []),  # assigned after the reference day
    ]
    member = make_member(complete=False)
    people = []
    for pre, cont, old, first, exams in cases:
        person = StaffMember(
            member_id=member.id, name="x", role="physician", first_assignment=first
        )
        db.session.add(person)
        db.session.flush()
        for kind, hours, day in (
            ("pre_job", pre, date(2019, 1, 1)),
            ("continuing", cont, date(2025, 4, 1)),
            ("continuing", old, date(2024, 4, 1)),
        ):
            if hours:
                db.session.add(
                    TrainingRecord(staff_id=person.id, kind=kind, hours=hours, completed_on=day)
                )
        for taken_on, passed in exams:
            db.session.add(ExamRecord(staff_id=person.id, taken_on=taken_on, passed=passed))
        day = date(2025, 12, 31)
        failed = [p for t, p in exams if t <= day]
        people.append(StaffTraining(pre, cont, first, bool(failed) and not failed[-1]))
    db.session.flush()
    by_sql = gather._training(2025, date(2025, 12, 31))[member.id]
    by_rule = rules.training_counts(RatingFacts(2025, date(2025, 12, 31), staff=tuple(people)))
    assert by_sql == by_rule == (4, 7)


def test_a_result_row_and_its_run_values_name_every_column_of_the_table_once():
    run = RatingRun(id=1, started_at=datetime(2026, 1, 5, tzinfo=UTC))
    names = compute.RESULT_COLUMNS + list(compute._run_values(2025, date(2025, 12, 31), run))
    columns = {column.name for column in RatingResult.__table__.columns} - {"id"}
    assert sorted(names) == sorted(columns)
