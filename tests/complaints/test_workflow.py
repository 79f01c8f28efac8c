"""The secretariat's work on a complaint, through the services: each step, what it refuses,
who is told, and an audit chain that holds."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import audit
from portal.complaints.services import access, identity, workflow
from portal.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.notifications import Notification
from tests.complaints.conftest import file


def kinds_for(user) -> list[str]:
    return [
        n.kind
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def panel(people) -> dict[str, int]:
    return {
        "clinical": people["committee"].id,
        "legal": people["committee2"].id,
        "industry": people["staff2"].id,
    }


def test_a_simple_complaint_from_receipt_to_closing(people, member, now):
    staff, worker = people["staff"], people["worker"]
    complaint = file(worker, member).complaint
    workflow.accept(staff, complaint, "simple")
    assert complaint.status == "accepted"
    assert complaint.deadline("decision").met_at is not None
    assert complaint.deadline("resolution").working_days == 5
    workflow.start_investigation(staff, complaint)
    workflow.resolve(staff, complaint, "substantiated", "报告有误，已责令机构重新出具报告。")
    assert complaint.status == "resolved"
    workflow.close(staff, complaint)
    assert complaint.status == "closed"
    assert complaint.deadline("resolution").met_on_time
    assert kinds_for(worker) == ["complaint.received", "complaint.accepted", "complaint.outcome"]
    assert kinds_for(people["member"]) == ["complaint.about_agency"]
    assert kinds_for(people["member2"]) == []
    actions = [e.action for e in db.session.scalars(select(audit.AuditEntry))]
    for action in (
        "complaint.filed",
        "complaint.accepted",
        "complaint.investigation_started",
        "complaint.resolved",
        "complaint.closed",
    ):
        assert action in actions
    assert audit.verify().ok


def test_rejection_needs_a_reason(people, member, now):
    complaint = file(None, member).complaint
    with pytest.raises(ValidationFailed) as caught:
        workflow.reject(people["staff"], complaint, "no")
    assert "reason" in caught.value.fields
    workflow.reject(
        people["staff"], complaint, "投诉事项不属于本会受理范围，请向卫生健康部门反映。"
    )
    assert complaint.status == "rejected"
    assert complaint.deadline("decision").met_at is not None


def test_illegal_steps_are_refused(people, member, now):
    staff = people["staff"]
    complaint = file(None, member).complaint
    with pytest.raises(InvalidTransition):
        workflow.resolve(staff, complaint, "substantiated", "结论结论结论结论结论")
    with pytest.raises(InvalidTransition):
        workflow.close(staff, complaint)
    with pytest.raises(InvalidTransition):
        workflow.request_material(staff, complaint, "请补充材料请补充材料")
    workflow.accept(staff, complaint, "simple")
    with pytest.raises(InvalidTransition):
        workflow.accept(staff, complaint, "complex")
    with pytest.raises(InvalidTransition):
        workflow.reject(staff, complaint, "已经受理的投诉不能再驳回。")


def test_only_staff_act(people, member, now):
    complaint = file(None, member).complaint
    for role in ("worker", "member", "committee", "admin"):
        with pytest.raises(NotPermitted):
            workflow.accept(people[role], complaint, "simple")


def test_a_complex_complaint_needs_its_panel_before_resolution(people, member, now):
    staff = people["staff"]
    complaint = file(None, member).complaint
    workflow.accept(staff, complaint, "complex")
    assert complaint.deadline("resolution").working_days == 30
    workflow.start_investigation(staff, complaint)
    with pytest.raises(InvalidTransition) as caught:
        workflow.resolve(staff, complaint, "not_substantiated", "经调查投诉不成立。结论。")
    assert "panel" in caught.value.fields
    with pytest.raises(ValidationFailed):  # the same person twice
        workflow.assign_panel(staff, complaint, {**panel(people), "legal": people["committee"].id})
    with pytest.raises(ValidationFailed):  # a worker is no expert here
        workflow.assign_panel(staff, complaint, {**panel(people), "legal": people["worker"].id})
    workflow.assign_panel(staff, complaint, panel(people))
    assert {(s.field, s.user_id) for s in complaint.panel} == {
        (f, u) for f, u in panel(people).items()
    }
    assert kinds_for(people["committee"]) == ["complaint.panel"]
    assert access.on_panel(people["committee"], complaint)
    workflow.resolve(staff, complaint, "partly_substantiated", "部分属实，已通报。结论。")
    assert complaint.status == "resolved"


def test_a_simple_complaint_has_no_panel(people, member, now):
    complaint = file(None, member).complaint
    workflow.accept(people["staff"], complaint, "simple")
    with pytest.raises(InvalidTransition):
        workflow.assign_panel(people["staff"], complaint, panel(people))


def test_material_is_appended_never_edited(people, member, now):
    worker = people["worker"]
    complaint = file(worker, member).complaint
    text = complaint.description
    workflow.add_material(worker, complaint, "补充：复查报告见附件。")
    workflow.add_material(people["staff"], complaint, "电话补充：当日体检人数很多。")
    assert complaint.description == text
    assert [(m.added_by_role, m.added_by_id) for m in complaint.materials] == [
        ("complainant", worker.id),
        ("staff", people["staff"].id),
    ]
    with pytest.raises(NotFound):  # someone else's complaint
        workflow.add_material(people["worker2"], complaint, "我也要补充。")
    with pytest.raises(ValidationFailed):
        workflow.add_material(worker, complaint, "   ")


def test_material_asked_for_restarts_the_clock(people, member, now):
    staff, worker = people["staff"], people["worker"]
    complaint = file(worker, member).complaint
    workflow.accept(staff, complaint, "simple")
    workflow.request_material(staff, complaint, "请提供体检报告原件的照片。")
    assert complaint.status == "awaiting_material"
    assert kinds_for(worker)[-1] == "complaint.material_requested"
    workflow.add_material(worker, complaint, "照片已上传。")
    assert complaint.status == "investigating"
    assert complaint.material_request is None
    assert complaint.deadline("resolution").paused_since is None


def test_handlers_are_assigned_in_bulk_and_closed_ones_skipped(people, member, now):
    staff = people["staff"]
    open_ones = [file(None, member).complaint for _ in range(2)]
    rejected = file(None, None).complaint  # not a member: rejected at once
    assigned, skipped = workflow.assign_handler(staff, [*open_ones, rejected], people["staff2"].id)
    assert assigned == open_ones and skipped == [rejected]
    assert all(c.handler_id == people["staff2"].id for c in open_ones)
    assert kinds_for(people["staff2"]) == ["complaint.handler", "complaint.handler"]
    with pytest.raises(ValidationFailed):
        workflow.assign_handler(staff, open_ones, people["committee"].id)


def test_the_agency_responds_only_to_complaints_about_itself(people, member, now):
    complaint = file(None, member).complaint
    with pytest.raises(NotPermitted):  # not accepted yet: the agency does not see it
        workflow.respond(people["member"], complaint, "我们已经核实，报告确有笔误。")
    workflow.accept(people["staff"], complaint, "simple")
    workflow.respond(people["member"], complaint, "我们已经核实，报告确有笔误。")
    assert len(complaint.responses) == 1
    with pytest.raises(NotPermitted):
        workflow.respond(people["member2"], complaint, "这与我们无关，但我们想说两句。")


def test_identity_is_masked_until_revealed_and_the_reveal_is_audited(people, member, now):
    complaint = file(None, member).complaint
    shown = identity.masked(complaint)
    assert shown.id_number == "1101**********002X"
    assert shown.name == "张**"
    assert shown.phone == "138****5678"
    assert "11010519491231002X" not in repr(shown)
    with pytest.raises(NotPermitted):
        identity.reveal(people["committee"], complaint)
    full = identity.reveal(people["staff"], complaint)
    assert full.id_number == "11010519491231002X"
    entry = db.session.scalars(
        select(audit.AuditEntry).where(audit.AuditEntry.action == "complaint.identity_revealed")
    ).one()
    assert entry.actor_id == people["staff"].id
    assert "11010519491231002X" not in entry.payload


def test_the_agency_sees_the_identity_only_with_consent(people, member, now):
    hidden = file(None, member).complaint
    shared = file(None, member, share_identity_with_agency=True).complaint
    assert identity.for_agency(hidden) is None
    assert identity.for_agency(shared).name == "张卫国"
