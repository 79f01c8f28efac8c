"""The demo discipline: a case in each state, built through the services; loading it twice
adds nothing and the audit chain holds."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit, clock, demo
from portal.committees.demo import seed_committees
from portal.discipline.demo import seed_discipline
from portal.discipline.models import BreachReport, Decision, DisciplineCase
from portal.members.demo import seed_members
from portal.publication.models import PublicEntry


def test_the_demo_discipline(db, now, monkeypatch):
    monkeypatch.setattr(demo, "SEEDERS", [seed_members, seed_committees, seed_discipline])
    demo.seed_demo()
    db.session.commit()
    assert clock.now() == now
    states = dict(db.session.execute(select(DisciplineCase.summary, DisciplineCase.status)).all())
    assert sorted(states.values()) == ["decided", "decided", "decided", "voting"]
    decisions = {d.status for d in db.session.scalars(select(Decision))}
    assert decisions == {"notified", "appealed", "in_force"}
    serious = db.session.scalar(select(Decision).where(Decision.level == "serious"))
    assert db.session.scalar(
        select(PublicEntry).where(PublicEntry.source_ref == serious.ref)
    ).blacklist
    assert db.session.scalar(select(BreachReport)).late
    demo.seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DisciplineCase)) == 4
    assert audit.verify().ok
