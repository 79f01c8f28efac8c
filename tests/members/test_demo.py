"""The demo data: members in every state, valid credit codes, the `member` user's agency,
built through the services (the audit chain holds), and loading it twice adds nothing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from portal import audit, clock, demo
from portal.members.demo import seed_members
from portal.members.models import Application, Member
from portal.members.services import access, applications, staff
from portal.validators import credit_code_problem


def seed_demo():
    """The demo accounts and this domain's demo data only."""
    return demo.seed_demo()


def test_the_demo_has_members_in_every_state(db, upload_dir, today, monkeypatch):
    monkeypatch.setattr(demo, "SEEDERS", [seed_members])
    users = seed_demo()
    db.session.commit()
    assert clock.today() == today  # the clock is put back after the dated approvals
    states = Counter(db.session.scalars(select(Application.status)))
    assert set(states) == {"draft", "submitted", "returned", "approved", "rejected"}
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.kind == "renewal", Application.status == "submitted")
        )
        == 1
    )
    members = db.session.scalars(select(Member).where(Member.member_no.is_not(None))).all()
    assert len(members) == 7
    assert sum(m.qualification_lapsed for m in members) == 2
    assert all(credit_code_problem(m.credit_code) is None for m in members)

    own = access.member_of(users["member"])
    assert own.name == "华康职业健康体检中心" and own.member_no and not own.qualification_lapsed
    people = staff.compliance(own)
    assert [p.name for p, v in people if v.practice_suspended] == ["李晓梅"]
    assert all(v.can_practise for p, v in people if p.name != "李晓梅")
    assert own.profile_text

    waiting = db.session.scalars(select(Application).where(Application.status == "submitted")).all()
    assert all(applications.checklist(a).passed for a in waiting)  # ready for the demo review
    assert audit.verify().ok

    seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Member)) == 11
