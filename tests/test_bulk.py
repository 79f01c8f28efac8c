"""`bulk.insert_rows`: COPY on PostgreSQL, executemany elsewhere; either way the rows read
back as an INSERT would have stored them, inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal import bulk
from portal.ratings.models import RatingResult, RatingRun
from tests.publication.factories import make_member

AWKWARD = ['制度\t"缺失"\\n', "第二行\n换行", "", "NULL", "\\N"]


def _rows(db, count: int) -> list[dict]:
    run = RatingRun(year=2025, trigger="command", members=count)
    db.session.add(run)
    db.session.flush()
    shanghai = datetime(2026, 1, 2, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    return [
        {
            "member_id": make_member().id,
            "year": 2025,
            "rated": bool(i % 2),
            "score_tenths": 800 + i,
            "stars": None if i == 0 else 3,
            "grade": "A",
            "blacklisted": False,
            "services": None,
            "components": [{"code": "quality", "points": 7.5, "values": {"note": AWKWARD[i]}}],
            "reasons": AWKWARD[: i + 1],
            "reference_day": "2025-12-31",
            "fingerprint": f"{i:064d}",
            "run_id": run.id,
            "computed_at": shanghai,
        }
        for i in range(len(AWKWARD))
    ]


def test_rows_read_back_as_written(db):
    rows = _rows(db, len(AWKWARD))
    bulk.insert_rows(RatingResult.__table__, rows)
    db.session.expire_all()
    stored = db.session.scalars(
        select(RatingResult).where(RatingResult.year == 2025).order_by(RatingResult.score_tenths)
    ).all()
    assert len(stored) == len(rows)
    for row, result in zip(rows, stored, strict=True):
        assert result.member_id == row["member_id"]
        assert result.stars == row["stars"]
        assert result.services is None
        assert result.components == row["components"]
        assert result.reasons == row["reasons"]
        # the same instant, stored as UTC like every other datetime column
        assert result.computed_at == datetime(2026, 1, 2, 0, 30, tzinfo=UTC)


def test_rows_go_with_the_transaction(db):
    rows = _rows(db, len(AWKWARD))
    savepoint = db.session.begin_nested()
    bulk.insert_rows(RatingResult.__table__, rows)
    savepoint.rollback()
    count = db.session.scalars(select(RatingResult.id).where(RatingResult.year == 2025)).all()
    assert count == []


def test_nothing_to_insert_sends_nothing(db):
    bulk.insert_rows(RatingResult.__table__, [])
    assert db.session.scalars(select(RatingResult.id)).all() == []


def test_serialised_json_is_stored_as_given(db):
    """A JsonText value goes in as the caller serialised it, not as a JSON string of it."""
    rows = _rows(db, 2)
    rows[0]["components"] = bulk.JsonText(json.dumps(rows[0]["components"], ensure_ascii=False))
    bulk.insert_rows(RatingResult.__table__, rows)
    db.session.expire_all()
    stored = db.session.scalars(
        select(RatingResult.components)
        .where(RatingResult.year == 2025)
        .order_by(RatingResult.score_tenths)
    ).all()
    assert stored[0] == [{"code": "quality", "points": 7.5, "values": {"note": AWKWARD[0]}}]
    assert stored[1] == rows[1]["components"]


def test_constants_go_into_every_row_converted_as_the_other_values(db):
    """A row writer's constants (a run's values) complete each row, converted like a value
    given in the row: the aware time stored as UTC."""
    rows = _rows(db, len(AWKWARD))
    constant_names = ["year", "run_id", "computed_at"]
    constants = {name: rows[0][name] for name in constant_names}
    names = [name for name in rows[0] if name not in constant_names]
    with bulk.row_writer(RatingResult.__table__, names, constants) as write:
        for row in rows:
            write([row[name] for name in names])
    db.session.expire_all()
    stored = db.session.scalars(select(RatingResult).order_by(RatingResult.score_tenths)).all()
    assert [result.reasons for result in stored] == [row["reasons"] for row in rows]
    for result in stored:
        assert (result.year, result.run_id) == (2025, constants["run_id"])
        assert result.computed_at == datetime(2026, 1, 2, 0, 30, tzinfo=UTC)
