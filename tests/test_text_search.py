"""`text_search.contains`: what a search box finds, on the database the suite runs on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import text_search
from portal.members.models import Member
from tests.publication.factories import make_member

NAMES = ["华康职业健康体检中心", "Sunrise Occupational Clinic", "达标率100%检测所", "安_信评估所"]


@pytest.fixture
def named(db):
    return {make_member(name).id: name for name in NAMES}


def _found(db, query: str, ids) -> set[str]:
    stmt = select(Member.name).where(Member.id.in_(ids), text_search.contains(Member.name, query))
    return {name.rstrip("0123456789") for name in db.session.scalars(stmt)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("体检", {"华康职业健康体检中心"}),
        ("sunrise", {"Sunrise Occupational Clinic"}),  # letters ignore case
        ("CLINIC", {"Sunrise Occupational Clinic"}),
        ("100%", {"达标率100%检测所"}),
        ("%", {"达标率100%检测所"}),  # a wildcard character is only itself
        ("_", {"安_信评估所"}),
        ("所", {"达标率100%检测所", "安_信评估所"}),
        ("口腔", set()),
    ],
)
def test_finds_the_names_that_contain_the_query(db, named, query, expected):
    assert _found(db, query, named) == expected


def test_a_query_without_letter_case_is_not_lowered_row_by_row():
    sql = lambda query: str(text_search.contains(Member.name, query)).lower()  # noqa: E731
    assert "lower" not in sql("体检100") and "ilike" not in sql("体检100")
    assert "lower" in sql("Sunrise") or "ilike" in sql("Sunrise")
