"""One professional's compliance: certificates, experience, training hours, annual exam."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.members.constants import (
    CONTINUING_HOURS_PER_YEAR,
    MIN_EXPERIENCE_YEARS,
    PRE_JOB_HOURS,
    REQUIRED_CERTIFICATES,
    StaffCertificate,
    StaffRole,
)
from portal.members.staff_rules import ExamResult, StaffInput, evaluate_staff
from tests.members.builders import ON, person


def test_thresholds():
    assert (MIN_EXPERIENCE_YEARS, PRE_JOB_HOURS, CONTINUING_HOURS_PER_YEAR) == (2, 60, 40)


@pytest.mark.parametrize("role", list(StaffRole))
def test_compliant_professional(role):
    verdict = evaluate_staff(person(role), ON)
    assert verdict.compliant and verdict.can_practise and not verdict.practice_suspended
    assert verdict.problems == [] and verdict.warnings == []
    assert verdict.as_dict()["compliant"] is True


# --- certificates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing",
    [
        StaffCertificate.PRACTISING_PHYSICIAN_LICENCE,
        StaffCertificate.INTERMEDIATE_TITLE_PREVENTIVE_OR_CLINICAL,
        StaffCertificate.CHIEF_EXAMINING_PHYSICIAN_CERTIFICATE,
    ],
)
def test_physician_needs_all_three(missing):
    held = frozenset().union(*REQUIRED_CERTIFICATES[StaffRole.PHYSICIAN]) - {missing}
    verdict = evaluate_staff(person(certificates=held), ON)
    assert not verdict.compliant
    assert verdict.problems == [f"Missing certificate: {missing.label}."]


def test_hygiene_tester_needs_diploma_and_provincial_training():
    verdict = evaluate_staff(
        person(StaffRole.HYGIENE_TESTER, certificates=frozenset({"college_diploma_related_field"})),
        ON,
    )
    assert verdict.problems == ["Missing certificate: Provincial training certificate."]


@pytest.mark.parametrize(
    ("held", "compliant"),
    [
        ({"health_manager_certificate"}, True),
        ({"psychological_counsellor_certificate"}, True),
        ({"health_manager_certificate", "psychological_counsellor_certificate"}, True),
        ({"practising_physician_licence"}, False),
        (set(), False),
    ],
)
def test_health_promotion_needs_one_of_two(held, compliant):
    verdict = evaluate_staff(person(StaffRole.HEALTH_PROMOTION, certificates=frozenset(held)), ON)
    assert verdict.compliant is compliant
    if not compliant:
        assert verdict.problems == [
            "Missing certificate: one of Health manager certificate / "
            "Psychological counsellor certificate."
        ]


def test_unknown_certificate_codes_are_ignored_and_plain_strings_work():
    verdict = evaluate_staff(
        person(
            StaffRole.HYGIENE_TESTER,
            certificates=frozenset(
                {
                    "college_diploma_related_field",
                    "provincial_training_certificate",
                    "driving_licence",
                }
            ),
        ),
        ON,
    )
    assert verdict.compliant


def test_role_as_string_and_unknown_role():
    assert evaluate_staff(
        person(
            role="hygiene_tester",
            certificates=frozenset(
                {"college_diploma_related_field", "provincial_training_certificate"}
            ),
        ),
        ON,
    ).compliant
    verdict = evaluate_staff(replace(person(), role="nurse"), ON)
    assert verdict.problems == ["Unknown role: nurse."]


# --- experience --------------------------------------------------------------------------------


@pytest.mark.parametrize(("years", "compliant"), [(1.9, False), (2, True), (2.0, True), (0, False)])
def test_experience_boundary(years, compliant):
    verdict = evaluate_staff(person(experience_years=years), ON)
    assert verdict.compliant is compliant
    if not compliant:
        assert verdict.problems == [f"{years:g} years of relevant experience, at least 2 required."]


def test_experience_missing():
    verdict = evaluate_staff(person(experience_years=None), ON)
    assert verdict.problems == ["The years of relevant experience are not given."]


# --- pre-job training --------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "compliant"), [(59, False), (59.5, False), (60, True)])
def test_pre_job_boundary_once_assigned(hours, compliant):
    verdict = evaluate_staff(person(pre_job_hours=hours), ON)
    assert verdict.compliant is compliant
    assert verdict.can_practise is compliant
    if not compliant:
        assert verdict.problems == [
            f"{hours:g} hours of pre-job training before the first assignment, at least 60 "
            "required."
        ]


def test_pre_job_missing_once_assigned():
    verdict = evaluate_staff(person(pre_job_hours=None), ON)
    assert verdict.problems == ["The pre-job training hours are not given."]


@pytest.mark.parametrize("first_assignment", [None, date(2026, 7, 1)])
def test_not_yet_assigned_is_a_warning(first_assignment):
    verdict = evaluate_staff(
        person(
            first_assignment=first_assignment,
            pre_job_hours=59,
            exam_results=[],
            continuing_hours_by_year={},
        ),
        ON,
    )
    assert verdict.compliant and not verdict.can_practise
    assert verdict.warnings == [
        "59 hours of pre-job training: 1 more needed before the first assignment."
    ]
    ready = evaluate_staff(
        person(
            first_assignment=first_assignment,
            pre_job_hours=60,
            exam_results=[],
            continuing_hours_by_year={},
        ),
        ON,
    )
    assert ready.compliant and ready.can_practise and ready.warnings == []


def test_first_assignment_today_counts_as_assigned():
    verdict = evaluate_staff(
        person(first_assignment=ON, pre_job_hours=59, exam_results=[], continuing_hours_by_year={}),
        ON,
    )
    assert not verdict.compliant


# --- continuing education ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "compliant"), [(39, False), (39.9, False), (40, True), (80, True)]
)
def test_continuing_boundary_in_a_completed_year(hours, compliant):
    by_year = {year: 40 for year in range(2021, 2027)} | {2024: hours}
    verdict = evaluate_staff(person(continuing_hours_by_year=by_year), ON)
    assert verdict.compliant is compliant
    if not compliant:
        assert verdict.problems == [
            f"{hours:g} hours of continuing education in 2024, at least 40 required."
        ]


def test_missing_year_counts_as_zero():
    by_year = {2021: 40, 2022: 40, 2024: 40, 2025: 40}
    verdict = evaluate_staff(person(continuing_hours_by_year=by_year), ON)
    assert verdict.problems == ["0 hours of continuing education in 2023, at least 40 required."]


def test_year_of_first_assignment_is_exempt():
    verdict = evaluate_staff(
        person(first_assignment=date(2025, 3, 1), continuing_hours_by_year={2026: 40}), ON
    )
    assert verdict.compliant and verdict.warnings == []
    verdict = evaluate_staff(
        person(first_assignment=date(2024, 3, 1), continuing_hours_by_year={2026: 40}), ON
    )
    assert verdict.problems == ["0 hours of continuing education in 2025, at least 40 required."]


def test_current_year_shortfall_is_a_warning_with_hours_remaining():
    by_year = {year: 40 for year in range(2021, 2026)} | {2026: 12.5}
    verdict = evaluate_staff(person(continuing_hours_by_year=by_year), ON)
    assert verdict.compliant and verdict.can_practise
    assert verdict.warnings == [
        "12.5 hours of continuing education in 2026 so far: 27.5 more needed by the end of the "
        "year."
    ]


def test_continuing_hours_tolerate_odd_records():
    by_year = {year: 40 for year in range(2021, 2027)} | {"2024": 40, "junk": 5, 2025: None}
    verdict = evaluate_staff(person(continuing_hours_by_year=by_year), ON)
    assert verdict.problems == ["0 hours of continuing education in 2025, at least 40 required."]


# --- annual examination ------------------------------------------------------------------------


def test_failed_exam_suspends_practice():
    verdict = evaluate_staff(
        person(
            exam_results=[ExamResult(date(2025, 11, 20), True), ExamResult(date(2026, 3, 2), False)]
        ),
        ON,
    )
    assert verdict.practice_suspended and not verdict.compliant and not verdict.can_practise
    assert verdict.problems == [
        "Practice suspended: the annual examination of 2026-03-02 was failed; a pass must be "
        "recorded."
    ]


def test_later_pass_restores_practice():
    failed = [(date(2026, 3, 2), False)]
    assert evaluate_staff(person(exam_results=failed), date(2026, 4, 9)).practice_suspended
    restored = evaluate_staff(
        person(exam_results=[*failed, (date(2026, 4, 10), True)]), date(2026, 4, 10)
    )
    assert restored.compliant and not restored.practice_suspended
    # before the pass was taken, the person was still suspended
    assert evaluate_staff(
        person(exam_results=[*failed, (date(2026, 4, 10), True)]), date(2026, 4, 9)
    ).practice_suspended


def test_order_of_results_does_not_matter_but_same_day_last_listed_wins():
    results = [(date(2026, 4, 10), True), (date(2026, 3, 2), False)]
    assert evaluate_staff(person(exam_results=results), ON).compliant
    same_day = [(date(2026, 4, 10), True), (date(2026, 4, 10), False)]
    assert evaluate_staff(person(exam_results=same_day), ON).practice_suspended


def test_no_recent_exam_is_non_compliant():
    verdict = evaluate_staff(person(exam_results=[(date(2024, 12, 31), True)]), ON)
    assert not verdict.practice_suspended and not verdict.compliant
    assert verdict.problems == ["No annual examination recorded in 2025 or 2026."]
    assert evaluate_staff(person(exam_results=[]), ON).problems == [
        "No annual examination recorded in 2025 or 2026."
    ]
    assert evaluate_staff(person(exam_results=[(date(2026, 1, 5), True)]), ON).compliant
    assert evaluate_staff(person(exam_results=[(date(2025, 1, 1), True)]), ON).compliant


def test_newly_assigned_need_no_exam_yet():
    for first in (date(2025, 9, 1), date(2026, 2, 1)):
        verdict = evaluate_staff(
            person(first_assignment=first, exam_results=[], continuing_hours_by_year={2026: 40}), ON
        )
        assert verdict.compliant, first
    verdict = evaluate_staff(
        person(
            first_assignment=date(2024, 12, 1),
            exam_results=[],
            continuing_hours_by_year={2025: 40, 2026: 40},
        ),
        ON,
    )
    assert verdict.problems == ["No annual examination recorded in 2025 or 2026."]


def test_future_exam_results_are_ignored():
    verdict = evaluate_staff(
        person(exam_results=[(date(2025, 11, 20), True), (date(2026, 12, 1), False)]), ON
    )
    assert verdict.compliant


def test_malformed_exam_records_are_skipped():
    records = [("2026-01-01", False), None, (date(2025, 11, 20),), (date(2025, 11, 20), True)]
    assert evaluate_staff(person(exam_results=records), ON).compliant


def test_all_missing_never_raises():
    verdict = evaluate_staff(StaffInput(role=StaffRole.PHYSICIAN), ON)
    assert not verdict.compliant
    assert verdict.problems[:3] == [
        "Missing certificate: Practising physician licence.",
        "Missing certificate: Intermediate or higher title in preventive or clinical medicine.",
        "Missing certificate: Chief examining physician certificate.",
    ]
    assert "The years of relevant experience are not given." in verdict.problems


def test_problems_accumulate():
    verdict = evaluate_staff(
        person(experience_years=1, pre_job_hours=10, exam_results=[(date(2026, 1, 10), False)]), ON
    )
    assert len(verdict.problems) == 3
