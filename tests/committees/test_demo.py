"""The demo committees: enough members for the composition rule, the `committee` user on two
committees and eligible on the open motion, a tied member recused, a closed resolution;
built through the services, and loading it twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit, clock, demo
from portal.committees import roster, voting
from portal.committees.demo import CLOSED_TITLE, OPEN_TITLE, TIED_AGENCY, seed_committees
from portal.committees.models import CommitteeSeat, Motion
from portal.members.models import Member
from tests.committees.factories import make_agency


def _seed(db, monkeypatch):
    """The demo accounts and this domain's data, with the one agency it names."""
    monkeypatch.setattr(demo, "SEEDERS", [seed_committees])
    if db.session.scalar(select(Member).where(Member.name == TIED_AGENCY)) is None:
        make_agency(TIED_AGENCY)
    return demo.seed_demo()


def test_the_demo_committees(db, now, monkeypatch):
    users = _seed(db, monkeypatch)
    db.session.commit()
    assert clock.now() == now  # the clock is put back after the dated resolution
    for committee in roster.committees():
        assert roster.composition_problem(committee) is None, committee.kind
    mine = {seat.committee.kind for seat in roster.seats_of(users["committee"])}
    assert mine == {"self_regulation", "mediation"}
    open_motion = db.session.scalar(select(Motion).where(Motion.title == OPEN_TITLE))
    assert open_motion.status == "open" and voting.can_vote(users["committee"], open_motion)
    recused = [v for v in open_motion.voters if v.recused]
    assert len(recused) == 1 and recused[0].recusal_kind == "tie"
    agency = db.session.scalar(select(Member).where(Member.name == TIED_AGENCY))
    assert open_motion.member_id == agency.id
    closed = db.session.scalar(select(Motion).where(Motion.title == CLOSED_TITLE))
    assert (closed.status, closed.result, closed.yes_count, closed.eligible_count) == (
        "closed",
        "passed",
        8,
        11,
    )
    assert audit.verify().ok
    counts = (
        db.session.scalar(select(func.count()).select_from(Motion)),
        db.session.scalar(select(func.count()).select_from(CommitteeSeat)),
    )
    _seed(db, monkeypatch)
    db.session.commit()
    assert counts == (
        db.session.scalar(select(func.count()).select_from(Motion)),
        db.session.scalar(select(func.count()).select_from(CommitteeSeat)),
    )
