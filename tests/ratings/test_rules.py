"""The formula, pure: each component, the stars and the grade at each threshold."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.ratings import rules
from portal.ratings.constants import Grade
from portal.ratings.rules import (
    InspectionFact,
    PreviousYear,
    RatingFacts,
    SanctionLike,
    StaffTraining,
)

YEAR = 2025
DAY = date(2025, 12, 31)


@given(
    st.integers(-(10**9), 10**9),
    st.integers(-(10**6), 10**6).filter(bool),
)
def test_ratio_tenths_rounds_exactly_half_up_as_decimal_does(numerator, denominator):
    exact = Decimal(numerator) / Decimal(denominator) * 10  # exact within 28 digits
    expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert rules.ratio_tenths(numerator, denominator) == expected


def test_ratio_tenths_at_the_halves():
    assert rules.ratio_tenths(1, 20) == 1  # 0.05 -> 0.1
    assert rules.ratio_tenths(-1, 20) == -1  # away from zero, as ROUND_HALF_UP
    assert rules.ratio_tenths(1, 21) == 0  # 0.0476 -> 0.0
    assert rules.ratio_tenths(3, 4) == 8  # 0.75 -> 0.8


def full(**changes) -> RatingFacts:
    """A member that earns every point: 100."""
    facts = RatingFacts(
        year=YEAR,
        reference_day=DAY,
        agency_type="examination",
        premises_m2=320,
        exam_rooms=6,
        qualification_valid=True,
        certification_valid=True,
        calibrations_total=4,
        calibrations_valid=4,
        services=1000,
        reports_corrected=0,
        staff=(StaffTraining(60, 40, date(2020, 1, 1), False),),
    )
    return facts._replace(**changes)


def with_score(score_tenths: int, **changes) -> RatingFacts:
    """Facts whose score is exactly `score_tenths`, taking points away (never through
    sanctions, which would move the grade): complaints in tenths (1 substantiated complaint
    on 100,000 services costs 0.1), then inspection findings (2 points each), training
    (1 point per professional of 10), then calibrations (0.1 per calibration of 40)."""
    missing = 1000 - score_tenths
    complaints = min(missing, 200)
    missing -= complaints
    minor = min(missing // 20, 5)
    missing -= minor * 20
    untrained = min(missing // 10, 10)
    missing -= untrained * 10
    assert missing <= 40
    staff = tuple(
        StaffTraining(60, 0 if n < untrained else 40, date(2020, 1, 1), False) for n in range(10)
    )
    facts = full(
        services=100_000,
        substantiated=complaints,
        inspection=InspectionFact(YEAR, minor, 0, None) if minor else None,
        staff=staff,
        calibrations_total=40,
        calibrations_valid=40 - missing,
    )
    return facts._replace(**changes)


def test_a_perfect_member_scores_100():
    outcome = rules.rate(full())
    assert outcome.score_tenths == 1000
    assert [c["points"] for c in outcome.components] == [200, 300, 200, 200, 100]


@pytest.mark.parametrize("score", [1000, 905, 900, 899, 800, 799, 700, 699, 600, 599, 560])
def test_with_score_helper_is_exact(score):
    assert rules.rate(with_score(score)).score_tenths == score


# --- qualification and capacity ---------------------------------------------------------


def test_qualification_parts():
    c = rules.qualification(
        full(qualification_valid=False, calibrations_valid=3, premises_m2=199.9, exam_rooms=3)
    )
    assert [p["points"] for p in c["parts"]] == [0, 40, 30, 0, 0]
    uncalibrated = rules.qualification(full(calibrations_total=0, calibrations_valid=0))
    assert uncalibrated["parts"][2]["points"] == 0


def test_rooms_are_required_of_examination_institutions_only():
    no_rooms = rules.qualification(full(agency_type="hygiene_service", exam_rooms=0))
    assert no_rooms["parts"][4]["points"] == 20
    assert rules.qualification(full(exam_rooms=4))["parts"][4]["points"] == 20
    assert rules.qualification(full(premises_m2=200))["parts"][3]["points"] == 20


# --- service quality --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accuracy", "points"),
    [(1000, 200), (980, 200), (979, 198), (975, 190), (970, 180), (900, 40), (880, 0), (500, 0)],
)
def test_report_accuracy_against_the_98_percent_target(accuracy, points):
    assert rules.accuracy_points(accuracy) == points


def test_inspection_findings_and_accuracy_come_from_the_latest_inspection():
    c = rules.service_quality(full(inspection=InspectionFact(2025, 2, 1, 965)))
    assert [p["points"] for p in c["parts"]] == [10, 170]  # 10-4-5=1 point; 96.5%: 20-3 = 17
    c = rules.service_quality(
        full(inspection=InspectionFact(2024, 0, 3, None), reports_corrected=30)
    )
    assert [p["points"] for p in c["parts"]] == [0, 180]  # 97.0% from the figures: 20 - 2
    assert c["parts"][1]["values"]["source"] == "figures"


def test_not_inspected_is_full_findings_points():
    c = rules.service_quality(full())
    assert c["parts"][0]["points"] == 100 and c["parts"][0]["values"] == {"inspected": False}


# --- complaints -------------------------------------------------------------------------


def test_complaints_per_thousand_services():
    assert rules.complaints(full(substantiated=1))["points"] == 100  # 1 per 1000: -10
    assert rules.complaints(full(partly_substantiated=1))["points"] == 150  # half
    assert rules.complaints(full(substantiated=2))["points"] == 0
    assert rules.complaints(full(substantiated=5))["points"] == 0  # floor
    assert rules.complaints(full(services=4000, substantiated=1))["points"] == 175


# --- discipline -------------------------------------------------------------------------


def test_discipline_over_three_years():
    minor = SanctionLike("minor", date(2023, 1, 1))
    general = SanctionLike("general", date(2025, 6, 1))
    old = SanctionLike("general", date(2022, 12, 31))  # outside the window
    assert rules.discipline(full(sanctions=(minor,)))["points"] == 150
    assert rules.discipline(full(sanctions=(minor, general)))["points"] == 50
    assert rules.discipline(full(sanctions=(old,)))["points"] == 200
    serious = SanctionLike("serious", date(2024, 3, 1))
    assert rules.discipline(full(sanctions=(serious,)))["points"] == 0
    assert rules.discipline(full(sanctions=(general, general, general)))["points"] == 0


# --- training ---------------------------------------------------------------------------


def test_training_share():
    staff = (
        StaffTraining(60, 40, date(2020, 1, 1), False),  # compliant
        StaffTraining(59, 40, date(2020, 1, 1), False),  # pre-job short
        StaffTraining(60, 39, date(2020, 1, 1), False),  # continuing short
        StaffTraining(60, 0, date(2025, 3, 1), False),  # first assigned this year: fine
        StaffTraining(60, 40, date(2020, 1, 1), True),  # suspended
        StaffTraining(0, 0, None, False),  # not assigned: not counted
        StaffTraining(0, 0, date(2026, 2, 1), False),  # assigned after the reference day
    )
    c = rules.training(full(staff=staff))
    assert c["parts"][0]["values"] == {"compliant": 2, "staff": 5}
    assert c["points"] == 40
    assert rules.training(full(staff=()))["points"] == 0


# --- not rated, stars -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "rated"), [(None, False), (0, False), (29, False), (30, True)]
)
def test_not_rated_under_30_services(services, rated):
    outcome = rules.rate(full(services=services))
    assert outcome.rated is rated
    if not rated:
        assert outcome.stars is None and outcome.grade is Grade.NOT_RATED
        assert "too_few_services" in outcome.reasons


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        (1000, 5),
        (900, 5),
        (899, 4),
        (800, 4),
        (799, 3),
        (700, 3),
        (699, 2),
        (600, 2),
        (599, 1),
        (0, 1),
    ],
)
def test_stars_at_each_threshold(score, stars):
    assert rules.stars_for(score, rated=True, blacklisted=False) == stars


def test_no_stars_when_blacklisted_or_not_rated():
    assert rules.stars_for(1000, rated=True, blacklisted=True) is None
    assert rules.stars_for(1000, rated=False, blacklisted=False) is None
    assert rules.rate(full(blacklisted=True)).stars is None


# --- grade ------------------------------------------------------------------------------


def clean_history(score=950):
    return (PreviousYear(YEAR - 1, True, score), PreviousYear(YEAR - 2, True, score))


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (899, Grade.AA),
        (800, Grade.AA),
        (799, Grade.A),
        (700, Grade.A),
        (699, Grade.B),
        (600, Grade.B),
        (599, Grade.C),
    ],
)
def test_grade_by_score(score, grade):
    assert rules.rate(with_score(score)).grade is grade


def test_aaa_needs_three_consecutive_qualifying_years():
    assert rules.rate(with_score(900, previous=clean_history())).grade is Grade.AAA
    assert rules.rate(with_score(900)).grade is Grade.AA  # no history yet
    one_year = (PreviousYear(YEAR - 1, True, 950),)
    assert rules.rate(with_score(900, previous=one_year)).grade is Grade.AA
    low = (PreviousYear(YEAR - 1, True, 950), PreviousYear(YEAR - 2, True, 899))
    assert rules.rate(with_score(950, previous=low)).grade is Grade.AA
    unrated = (PreviousYear(YEAR - 1, True, 950), PreviousYear(YEAR - 2, False, 950))
    assert rules.rate(with_score(950, previous=unrated)).grade is Grade.AA
    gap = (PreviousYear(YEAR - 1, True, 950), PreviousYear(YEAR - 3, True, 950))
    assert rules.rate(with_score(950, previous=gap)).grade is Grade.AA


def test_aaa_needs_no_sanction_in_the_three_years():
    sanction = (SanctionLike("minor", date(2023, 5, 1)),)
    # the minor sanction of 2023 costs 5 discipline points: score 95 -> 90 still
    outcome = rules.rate(with_score(950, previous=clean_history(), sanctions=sanction))
    assert outcome.score_tenths == 900
    assert outcome.grade is Grade.AA


def test_a_sanction_this_year_gives_b_at_best():
    minor = (SanctionLike("minor", date(2025, 3, 1)),)
    assert rules.rate(with_score(1000, sanctions=minor)).grade is Grade.B  # 95 after -5
    assert rules.rate(with_score(650, sanctions=minor)).grade is Grade.B  # 65 -> 60
    assert rules.rate(with_score(640, sanctions=minor)).grade is Grade.C  # 64 -> 59: below 60


def test_a_minor_sanction_last_year_does_not_cap_this_year():
    minor = (SanctionLike("minor", date(2024, 3, 1)),)
    outcome = rules.rate(with_score(1000, sanctions=minor))
    assert outcome.score_tenths == 950 and outcome.grade is Grade.AA


def test_general_sanction_in_force_gives_c():
    outcome = rules.rate(with_score(1000, levels_in_force=frozenset({"general"})))
    assert outcome.grade is Grade.C
    assert "general_in_force" in outcome.reasons


def test_serious_sanction_or_blacklist_gives_d():
    assert rules.rate(full(levels_in_force=frozenset({"serious"}))).grade is Grade.D
    assert rules.rate(full(blacklisted=True)).grade is Grade.D
    serious = (SanctionLike("serious", date(2025, 2, 1)),)
    assert rules.rate(full(sanctions=serious)).grade is Grade.D


def test_not_rated_still_shows_c_or_d():
    assert rules.rate(full(services=10, blacklisted=True)).grade is Grade.D
    assert rules.rate(full(services=10, levels_in_force=frozenset({"general"}))).grade is Grade.C
    minor = (SanctionLike("minor", date(2025, 3, 1)),)
    assert rules.rate(full(services=10, sanctions=minor)).grade is Grade.NOT_RATED


def test_outcome_serialises_to_json_friendly_parts():
    data = rules.rate(full(inspection=InspectionFact(2025, 1, 0, 990))).components_json()
    assert data[1]["component"] == "service_quality"
    assert data[1]["parts"][0] == {
        "code": "findings",
        "points": 80,
        "max": 100,
        "values": {"inspected": True, "year": 2025, "minor": 1, "major": 0},
    }
