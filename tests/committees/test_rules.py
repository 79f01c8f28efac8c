"""The arithmetic: majorities counted against the eligible voters, and the quota of the
self-regulation committee."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.committees.rules import composition, passes, result_of, yes_needed


@pytest.mark.parametrize(
    ("kind", "yes", "eligible", "expected"),
    [
        ("major", 6, 9, True),  # 三分之二以上: exactly two-thirds passes
        ("major", 5, 8, False),  # 62.5% < 2/3
        ("major", 2, 3, True),
        ("major", 1, 3, False),
        ("major", 7, 10, True),
        ("major", 6, 10, False),
        ("ordinary", 5, 10, False),  # 过半数: exactly half is not more than half
        ("ordinary", 6, 10, True),
        ("ordinary", 5, 9, True),
        ("ordinary", 4, 9, False),
        ("ordinary", 1, 1, True),
        ("ordinary", 0, 0, False),
        ("major", 0, 0, False),
    ],
)
def test_majorities_at_their_boundaries(kind, yes, eligible, expected):
    assert passes(kind, yes, eligible) is expected
    assert result_of(kind, yes, eligible).value == ("passed" if expected else "failed")


@given(st.integers(0, 200), st.integers(1, 200))
def test_the_rule_matches_exact_fractions(yes, eligible):
    yes = min(yes, eligible)
    assert passes("ordinary", yes, eligible) is (Fraction(yes, eligible) > Fraction(1, 2))
    assert passes("major", yes, eligible) is (Fraction(yes, eligible) >= Fraction(2, 3))
    for kind in ("ordinary", "major"):
        needed = yes_needed(kind, eligible)
        assert passes(kind, needed, eligible)
        assert not passes(kind, needed - 1, eligible)


def test_the_quota_needs_each_group_at_a_quarter():
    report = composition(
        "self_regulation",
        ["large_enterprise_rep"] * 2
        + ["small_micro_enterprise_rep"] * 2
        + ["worker_rep"] * 2
        + ["expert", "association_leader"],
    )
    assert report.total == 8 and report.met
    assert [g.percent for g in report.groups] == [25, 25, 25]
    assert all(g.minimum == 2 for g in report.groups)


def test_a_group_short_of_a_quarter_is_named():
    report = composition(
        "self_regulation",
        ["large_enterprise_rep"] * 3
        + ["small_micro_enterprise_rep"] * 3
        + ["worker_rep"] * 2
        + ["expert"],
    )
    assert not report.met
    assert [g.category.value for g in report.short] == ["worker_rep"]
    short = report.short[0]
    assert (short.count, short.total, short.minimum, short.percent) == (2, 9, 3, 22)


def test_other_committees_have_no_quota_but_need_someone_in_office():
    assert composition("mediation", ["medical_expert"]).met
    assert not composition("appeal", []).met
    assert not composition("self_regulation", []).met
