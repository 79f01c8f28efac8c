"""`db.paginate` (portal/paging.py): a page and its total in one statement, the same items
and totals as counting separately, and the separate count where one statement can't tell."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload

from portal.members.models import Member, MemberScope
from portal.paging import OneQueryPagination
from tests.publication.factories import make_member


@contextmanager
def statements(db):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def members(db):
    made = [make_member(name="分页测试机构", province="44" if i % 2 else "11") for i in range(7)]
    for member in made:
        for category in ("dust", "noise"):
            db.session.add(MemberScope(member_id=member.id, category=category))
    db.session.flush()
    db.session.expunge_all()
    return made


def ours():
    return select(Member).where(Member.name.like("分页测试机构%")).order_by(Member.id)


def test_a_page_and_its_total_come_in_one_statement(db, members):
    with statements(db) as seen:
        page = db.paginate(ours().where(Member.province == "44"), page=1, per_page=2)
    assert isinstance(page, OneQueryPagination)
    assert len(seen) == 1
    assert [m.id for m in page.items] == [members[1].id, members[3].id]
    assert (page.total, page.pages, page.has_next) == (3, 2, True)


def test_every_page_matches_counting_apart(db, members):
    expected = [m.id for m in members]
    got = []
    for number in (1, 2, 3):
        page = db.paginate(ours(), page=number, per_page=3)
        assert page.total == len(members)
        got += [m.id for m in page.items]
    assert got == expected


def test_a_collection_loaded_by_join_neither_repeats_items_nor_inflates_the_total(db, members):
    stmt = ours().options(joinedload(Member.scopes))
    page = db.paginate(stmt, page=1, per_page=4)
    assert [m.id for m in page.items] == [m.id for m in members[:4]]
    assert all(len(m.scopes) == 2 for m in page.items)
    assert page.total == len(members)


def test_a_page_past_the_end_still_knows_the_total(db, members):
    with statements(db) as seen:
        page = db.paginate(ours(), page=9, per_page=5, error_out=False)
    assert page.items == []
    assert page.total == len(members)
    assert len(seen) == 2  # the page found no row to carry the total


def test_an_empty_list_counts_zero_in_one_statement(db, members):
    with statements(db) as seen:
        page = db.paginate(ours().where(Member.province == "99"), page=1, per_page=5)
    assert (page.items, page.total, page.pages) == ([], 0, 0)
    assert len(seen) == 1


def test_distinct_selects_are_counted_apart(db, members):
    """A window or subquery over DISTINCT would count the rows before they are merged."""
    stmt = select(Member.province).where(Member.name.like("分页测试机构%")).distinct()
    with statements(db) as seen:
        page = db.paginate(stmt.order_by(Member.province), page=1, per_page=10)
    assert not isinstance(page, OneQueryPagination)
    assert sorted(page.items) == ["11", "44"]
    assert page.total == 2
    assert len(seen) == 2


def test_the_total_is_exact_when_it_exceeds_the_page(db, members):
    total = db.session.scalar(select(func.count()).select_from(ours().order_by(None).subquery()))
    assert db.paginate(ours(), page=2, per_page=2).total == total == len(members)


def test_a_directory_page_brings_each_members_scopes_in_the_same_statement(db, members):
    from portal.members.services import directory

    with statements(db) as seen:
        page = db.paginate(directory.search(directory.Filters.clean(q="分页测试机构")), per_page=5)
        scopes = [directory.scope_categories(member) for member in page.items]
    assert len(seen) == 1
    assert len(page.items) == 5 and page.total == 7
    assert {tuple(c.value for c in found) for found in scopes} == {("dust",)}  # noise: no category
