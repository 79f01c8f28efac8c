"""Cases: opening from each source, the sanction table, who decides which level."""

from __future__ import annotations

from datetime import date

import pytest

from portal.discipline.services import cases
from portal.discipline.services.sanctions import check_sanction
from portal.errors import InvalidTransition, NotPermitted, ValidationFailed
from tests.discipline.factories import open_case, proposed

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("level", "measures"),
    [
        ("minor", ["written_warning"]),
        ("minor", ["expulsion"]),
        ("general", ["verbal_warning"]),
        ("general", ["blacklist"]),
        ("serious", ["public_criticism"]),
        ("serious", ["order_to_rectify"]),
    ],
)
def test_a_sanction_outside_its_level_is_refused(level, measures):
    months = {"minor": None, "general": 6, "serious": 24}[level]
    with pytest.raises(ValidationFailed) as refused:
        check_sanction(level, measures, months, date(2026, 7, 1), TODAY)
    assert "measures" in refused.value.fields


@pytest.mark.parametrize(
    ("level", "months", "ok"),
    [
        ("minor", None, True),
        ("minor", 3, False),
        ("general", 2, False),
        ("general", 3, True),
        ("general", 12, True),
        ("general", 13, False),
        ("general", None, False),
        ("serious", 11, False),
        ("serious", 12, True),
        ("serious", 36, True),
        ("serious", 37, False),
    ],
)
def test_publication_terms_follow_the_level(level, months, ok):
    measures = {
        "minor": ["verbal_warning"],
        "general": ["written_warning"],
        "serious": ["expulsion"],
    }
    if ok:
        assert check_sanction(level, measures[level], months, None, TODAY).publication_months == (
            months
        )
    else:
        with pytest.raises(ValidationFailed) as refused:
            check_sanction(level, measures[level], months, None, TODAY)
        assert "publication_months" in refused.value.fields


def test_an_order_to_rectify_needs_a_future_due_date():
    with pytest.raises(ValidationFailed) as refused:
        check_sanction("minor", ["order_to_rectify"], None, None, TODAY)
    assert "rectify_due_on" in refused.value.fields
    with pytest.raises(ValidationFailed):
        check_sanction("minor", ["order_to_rectify"], None, TODAY, TODAY)
    ok = check_sanction(
        "minor", ["order_to_rectify", "verbal_warning"], None, date(2026, 7, 1), TODAY
    )
    assert ok.measures == ("verbal_warning", "order_to_rectify")  # in the table's order


def test_unknown_levels_and_empty_measures_are_named():
    with pytest.raises(ValidationFailed) as refused:
        check_sanction("grave", [], None, None, TODAY)
    assert set(refused.value.fields) >= {"level", "measures"}


def test_only_the_secretariat_opens_cases(now, agency, agency_user, committees):
    with pytest.raises(NotPermitted):
        cases.open_case(agency_user, member_id=agency.id, source="direct", summary="x")


def test_a_complaint_source_must_be_substantiated_and_about_the_agency(now, staff, agency):
    with pytest.raises(ValidationFailed) as refused:
        open_case(staff, agency, source="complaint", source_ref="TS-2026-000001")
    assert "source_ref" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        open_case(staff, agency, source="inspection", source_ref="")
    assert "source_ref" in refused.value.fields
    case = open_case(staff, agency, source="inspection", source_ref="INS-2026-014")
    assert case.status == "open" and case.source_ref == "INS-2026-014"


def test_a_case_from_a_substantiated_complaint(now, staff, agency):
    from portal.complaints.services import workflow
    from tests.complaints.conftest import file

    filed = file(None, agency)
    complaint = filed.complaint
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    with pytest.raises(ValidationFailed):
        open_case(staff, agency, source="complaint", source_ref=complaint.tracking_number)
    workflow.resolve(staff, complaint, "substantiated", "体检报告确有错误，已责令更正。")
    case = open_case(staff, agency, source="complaint", source_ref=complaint.tracking_number)
    assert case.complaint_id == complaint.id


def test_the_secretariat_decides_minor_sanctions_only(now, staff, agency, committees):
    case = proposed(
        staff,
        agency,
        {"level": "general", "measures": ["written_warning"], "publication_months": 3},
    )
    with pytest.raises(InvalidTransition):
        cases.decide_minor(staff, case)
    minor = proposed(staff, agency)
    with pytest.raises(InvalidTransition):
        cases.submit_to_committee(staff, minor, now.replace(day=20))
    decision = cases.decide_minor(staff, minor)
    assert decision.status == "notified" and minor.status == "decided"
    assert decision.number == "OHA-D-2026-001"


def test_findings_come_before_a_proposal(now, staff, agency):
    case = open_case(staff, agency, findings="")
    with pytest.raises(InvalidTransition):
        cases.propose(staff, case, level="minor", measures=["verbal_warning"], reasons="理由充分。")
    cases.record_findings(staff, case, "档案缺失问诊记录。")
    cases.propose(staff, case, level="minor", measures=["verbal_warning"], reasons="理由充分。")
    assert case.status == "proposed"


def test_dismissed_cases_are_final(now, staff, agency):
    case = open_case(staff, agency)
    cases.dismiss(staff, case, "证据不足。")
    with pytest.raises(InvalidTransition):
        cases.record_findings(staff, case, "新发现")


def test_evidence_is_kept_with_its_hash(now, staff, agency, upload_dir):
    from portal import uploads
    from portal.discipline.services.access import EVIDENCE_FILES
    from portal.discipline.services.cases import Upload

    case = open_case(staff, agency)
    item = cases.add_evidence(staff, case, "现场照片", [Upload(b"%PDF-1.4 test", "现场.pdf")])
    stored = uploads.files_of(EVIDENCE_FILES, item.id)
    assert len(stored) == 1 and len(stored[0].sha256) == 64
    with pytest.raises(ValidationFailed):
        cases.add_evidence(staff, case, "", [])


def test_decision_numbers_count_per_year(now, staff, agency, clock_at):
    from datetime import UTC, datetime

    first = cases.decide_minor(staff, proposed(staff, agency))
    second = cases.decide_minor(staff, proposed(staff, agency))
    clock_at(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    third = cases.decide_minor(staff, proposed(staff, agency))
    assert [first.number, second.number, third.number] == [
        "OHA-D-2026-001",
        "OHA-D-2026-002",
        "OHA-D-2027-001",
    ]
