"""Two of everything, built through the services: the world the object-level matrix walks.

Agencies A and B (each with its user), workers 1 and 2, a complaint per worker against each
agency, a mediation case per pair (worker 1 / A, worker 2 / B) whose panels differ, an expert
panel on one complaint only, an application, a staff record, a stored file, a discipline
decision and a publication entry per agency, a notification per user, and motions of the
self-regulation committee: one the committee member may vote on, one they are recused from,
one of a committee they do not sit on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal import clock
from portal.complaints.services import workflow
from portal.complaints.services.intake import Upload
from portal.extensions import db
from portal.mediation.services import cases
from portal.members.models import Member
from portal.members.services import applications
from portal.notifications import notify
from tests.committees.factories import committee_user, make_committee, open_vote, seat
from tests.complaints.conftest import file
from tests.discipline.factories import decided_minor
from tests.files.samples import PDF
from tests.members.factories import add_person
from tests.publication.factories import make_entry


@dataclass(frozen=True)
class Party:
    """Who asks, an object of theirs, another party's object, and a text only the other's
    answer would hold (it must never show in the asker's answer)."""

    user: object
    own: str
    other: str | None
    other_marker: str | None = None


@dataclass
class World:
    people: dict
    parties: dict[tuple[str, str], Party] = field(default_factory=dict)  # (kind, role)
    staff_sees: dict[str, str] = field(default_factory=dict)  # kind -> an object for staff
    refs: dict = field(default_factory=dict)


def _complaint(people, worker, member, complexity="simple"):
    filed = file(
        people[worker],
        member,
        description=f"{worker} 对 {member.name} 的投诉：复查发现听力损失，报告却写正常。",
        files=[Upload(PDF, f"{worker}-evidence.pdf")],
    )
    complaint = filed.complaint
    workflow.accept(people["staff"], complaint, complexity)
    db.session.commit()
    complaint.evidence_uid = filed.files[0].uid
    return complaint


def _mediation(people, complaint, worker, agency_user):
    case = cases.propose(people["staff"], complaint, "")
    cases.consent(people[agency_user], case)
    cases.consent(people[worker], case)
    db.session.commit()
    return case


def _application(user):
    application = applications.start(user)
    document = applications.attach(user, application, "licence", PDF, original_name="lic.pdf")
    return application, document.stored_file.uid


def build(people, member_a: Member, member_b: Member) -> World:
    world = World(people)
    staff, admin = people["staff"], people["admin"]
    today = clock.today()

    # complaints: worker 1 and worker 2, each against A and against B
    c1a = _complaint(people, "worker", member_a)
    c2b = _complaint(people, "worker2", member_b)
    c2a = _complaint(people, "worker2", member_a, "complex")
    c1b = _complaint(people, "worker", member_b, "complex")
    workflow.start_investigation(staff, c2a)
    panelist = people["committee"]
    workflow.assign_panel(
        staff,
        c2a,
        {"clinical": panelist.id, "legal": people["staff2"].id, "industry": staff.id},
    )
    db.session.commit()
    n = {c: c.tracking_number for c in (c1a, c2b, c2a, c1b)}
    told = {c: c.description for c in (c2a, c1b)}  # what only that complaint's page shows
    world.parties[("complaint", "worker")] = Party(people["worker"], n[c1a], n[c2a], told[c2a])
    world.parties[("complaint", "member")] = Party(people["member"], n[c1a], n[c1b], told[c1b])
    world.parties[("complaint", "committee")] = Party(panelist, n[c2a], n[c1b], told[c1b])
    world.staff_sees["complaint"] = n[c1a]

    # mediation: the mediation committee (two medical experts, so the panels differ)
    board = make_committee(admin, "mediation", medical=2, industry=1)
    seat(admin, board.committee, committee_user(), "legal")
    seat(admin, board.committee, committee_user(), "worker")
    db.session.commit()
    m1 = _mediation(people, c1a, "worker", "member")
    m2 = _mediation(people, c2b, "worker2", "member2")
    db.session.refresh(m1)
    db.session.refresh(m2)
    only_on_m1 = {s.user_id for s in m1.panel} - {s.user_id for s in m2.panel}
    assert only_on_m1, "the two mediation panels should differ"
    mediator = db.session.get(type(people["worker"]), sorted(only_on_m1)[0])
    world.parties[("mediation", "worker")] = Party(people["worker"], m1.number, m2.number, n[c2b])
    world.parties[("mediation", "member")] = Party(people["member"], m1.number, m2.number, n[c2b])
    world.parties[("mediation", "committee")] = Party(mediator, m1.number, m2.number, n[c2b])
    world.staff_sees["mediation"] = m1.number

    # applications, staff records and stored files of each agency
    app_a, uid_a = _application(people["member"])
    app_b, uid_b = _application(people["member2"])
    person_a = add_person(people["member"], member_a, today, name="张建国")
    person_b = add_person(people["member2"], member_b, today, name="欧阳秀英")
    db.session.commit()
    world.parties[("application", "member")] = Party(
        people["member"], str(app_a.id), str(app_b.id), member_b.name
    )
    world.parties[("agency_staff", "member")] = Party(
        people["member"], str(person_a.id), str(person_b.id), "欧阳秀英"
    )
    world.staff_sees["agency_staff"] = str(person_a.id)
    world.parties[("file", "member")] = Party(people["member"], uid_a, uid_b)
    world.parties[("file", "worker")] = Party(people["worker"], c1a.evidence_uid, c2a.evidence_uid)
    world.parties[("file", "committee")] = Party(panelist, c2a.evidence_uid, c1b.evidence_uid)
    world.staff_sees["file"] = c1a.evidence_uid

    # discipline decisions and publication entries
    decision_a = decided_minor(staff, member_a)
    decision_b = decided_minor(staff, member_b)
    entry_a = make_entry(member_a, level="general")
    entry_b = make_entry(member_b, level="general", title="篡改体检结论")
    db.session.commit()
    world.parties[("decision", "member")] = Party(
        people["member"], str(decision_a.id), str(decision_b.id), member_b.name
    )
    world.parties[("publication_entry", "member")] = Party(
        people["member"], str(entry_a.id), str(entry_b.id), "篡改体检结论"
    )
    world.staff_sees["decision"] = str(decision_a.id)

    # notifications: one each
    notes = {
        role: notify(people[role], kind="test", title=f"给{role}的私人通知", body="私人内容")
        for role in (
            "worker",
            "worker2",
            "member",
            "member2",
            "staff",
            "staff2",
            "committee",
            "committee2",
            "admin",
        )
    }
    db.session.commit()
    pairs = {
        "worker": "worker2",
        "member": "member2",
        "staff": "staff2",
        "committee": "committee2",
        "admin": "worker",
    }
    for role, other in pairs.items():
        world.parties[("notification", role)] = Party(
            people[role], str(notes[role].id), str(notes[other].id), f"给{other}的私人通知"
        )

    # motions: the self-regulation committee; the committee member sits on it
    voter = people["committee2"]
    regulation = make_committee(admin, "self_regulation", large=3, small=3, worker=2)
    seat(admin, regulation.committee, voter, "worker")
    may_vote = open_vote(staff, regulation.committee, title="可投票的议案")
    recused = open_vote(
        staff, regulation.committee, title="回避的议案", also_recused={voter.id: "first_vote"}
    )
    appeal = make_committee(admin, "appeal", large=2, small=2, worker=2)
    elsewhere = open_vote(staff, appeal.committee, title="其他委员会的议案")
    db.session.commit()
    world.parties[("motion", "committee")] = Party(
        voter, str(may_vote.id), str(elsewhere.id), "其他委员会的议案"
    )
    world.refs["recused_motion"] = (voter, recused.id)
    world.staff_sees["motion"] = str(may_vote.id)
    return world
