"""The demo data: figures, ratings and a draw for the demo members; loading it twice adds
nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit, demo
from portal.committees.demo import seed_committees
from portal.inspections.models import InspectionDraw
from portal.members.demo import seed_members
from portal.ratings.demo import seed_ratings
from portal.ratings.models import RatingResult, RatingRun, YearlyFigures


def test_the_demo_rates_the_members(db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setattr(demo, "SEEDERS", [seed_members, seed_committees, seed_ratings])
    demo.seed_demo()
    db.session.commit()
    counts = lambda: (  # noqa: E731
        db.session.scalar(select(func.count()).select_from(YearlyFigures)),
        db.session.scalar(select(func.count()).select_from(RatingResult)),
        db.session.scalar(select(func.count()).select_from(RatingRun)),
        db.session.scalar(select(func.count()).select_from(InspectionDraw)),
    )
    first = counts()
    assert first[0] > 0 and first[1] > 0 and first[3] == 1
    grades = set(db.session.scalars(select(RatingResult.grade)))
    assert "not_rated" in grades and len(grades) >= 3
    demo.seed_demo()
    db.session.commit()
    assert counts() == first
    assert audit.verify().ok
