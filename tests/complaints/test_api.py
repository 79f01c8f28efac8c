"""The complaints API: every step of the pages, as JSON."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from portal import audit
from portal.complaints.models import Complaint
from portal.complaints.services import workflow
from portal.extensions import db
from portal.uploads import StoredFile
from tests.complaints.conftest import file
from tests.files.samples import HTML, PDF


def body(member=None, **changes) -> dict:
    data = {
        "category": "rights_infringement",
        "subtype": "health_data_leak",
        "description": "我的体检结果被机构发到了单位的微信群里，所有同事都看到了。",
        "member_no": member.member_no if member else None,
        "agency_name": None if member else "某某未入会体检站",
        "name": "王五",
        "id_number": "11010519491231002X",
        "phone": "13700002222",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Complaint))


def test_anyone_files_and_gets_a_number_and_a_code(client, people, member, now):
    response = client.post("/api/v1/complaints", json=body(member))
    assert response.status_code == 201
    data = response.get_json()
    assert data["tracking_number"].startswith("TS-2026-")
    assert len(data["receipt_code"]) == 14
    assert data["status"] == "received" and data["duplicate"] is False


def test_an_idempotency_key_makes_a_retry_safe(client, people, member, now):
    headers = {"Idempotency-Key": "3f1c2d9e-7a4b-4c55-9d0e-1b2a3c4d5e6f"}
    first = client.post("/api/v1/complaints", json=body(member), headers=headers)
    again = client.post("/api/v1/complaints", json=body(member), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["receipt_code"] == first.get_json()["receipt_code"]
    assert count() == 1
    other = client.post(
        "/api/v1/complaints", json=body(member, phone="13700003333"), headers=headers
    )
    assert other.status_code == 409
    assert "Idempotency-Key" in other.get_json()["error"]["fields"]
    bad = client.post("/api/v1/complaints", json=body(member), headers={"Idempotency-Key": "x"})
    assert bad.status_code == 422
    assert "Idempotency-Key" in bad.get_json()["error"]["fields"]
    client.post("/api/v1/complaints", json=body(member))
    client.post("/api/v1/complaints", json=body(member))
    assert count() == 3  # without the header every request files


def test_keys_are_scoped_to_the_caller(client, api_token, people, member, now):
    headers = {"Idempotency-Key": "same-key-for-two-callers"}
    anonymous = client.post("/api/v1/complaints", json=body(member), headers=headers)
    worker = client.post(
        "/api/v1/complaints", json=body(member), headers={**headers, **api_token(people["worker"])}
    )
    assert (anonymous.status_code, worker.status_code) == (201, 201)
    assert worker.get_json()["receipt_code"] is None


def test_bad_input_names_the_field(client, people, member, now):
    response = client.post("/api/v1/complaints", json=body(member, id_number="110105194912310021"))
    assert response.status_code == 422
    assert "id_number" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/complaints", json={**body(member), "colour": "red"})
    assert response.status_code == 422 and "colour" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/complaints", json=body(member, subtype="wrong_report"))
    assert "subtype" in response.get_json()["error"]["fields"]
    assert count() == 0


def test_evidence_goes_in_as_base64_and_is_checked(client, people, member, now, upload_dir):
    ok = client.post(
        "/api/v1/complaints",
        json=body(
            member, files=[{"name": "report.pdf", "content_base64": base64.b64encode(PDF).decode()}]
        ),
    )
    assert ok.status_code == 201
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1
    bad = client.post(
        "/api/v1/complaints",
        json=body(
            member,
            files=[{"name": "report.pdf", "content_base64": base64.b64encode(HTML).decode()}],
        ),
    )
    assert bad.status_code == 422 and "evidence" in bad.get_json()["error"]["fields"]


def test_tracking_in_the_body_and_the_same_failure_for_any_number(client, people, member, now):
    filed = file(None, member)
    number, code = filed.complaint.tracking_number, filed.receipt_code
    workflow.accept(people["staff"], filed.complaint, "simple")
    ok = client.post(
        "/api/v1/complaints/track", json={"tracking_number": number, "receipt_code": code}
    )
    assert ok.status_code == 200 and ok.headers["Cache-Control"] == "no-store"
    case = ok.get_json()
    assert case["status"] == "accepted"
    assert [d["kind"] for d in case["deadlines"]] == ["decision", "resolution"]
    assert case["deadlines"][0]["state"] == "met"
    assert [e["kind"] for e in case["timeline"]] == ["filed", "accepted"]
    assert "name" not in case and "id_number" not in str(case)
    wrong = client.post(
        "/api/v1/complaints/track",
        json={"tracking_number": number, "receipt_code": "AAAA-BBBB-CCCC"},
    )
    unknown = client.post(
        "/api/v1/complaints/track", json={"tracking_number": "TS-2026-424242", "receipt_code": code}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()


def test_material_by_receipt_by_account_and_by_staff(client, api_token, people, member, now):
    anonymous = file(None, member)
    number = anonymous.complaint.tracking_number
    url = f"/api/v1/complaints/{number}/material"
    assert client.post(url, json={"text": "补充一"}).status_code == 404
    assert (
        client.post(url, json={"text": "补充一", "receipt_code": "AAAA-BBBB-CCCC"}).status_code
        == 404
    )
    added = client.post(url, json={"text": "补充一", "receipt_code": anonymous.receipt_code})
    assert added.status_code == 201 and added.get_json()["added_by"] == "complainant"
    mine = file(people["worker"], member).complaint
    own_url = f"/api/v1/complaints/{mine.tracking_number}/material"
    assert (
        client.post(
            own_url, json={"text": "补充二"}, headers=api_token(people["worker"])
        ).status_code
        == 201
    )
    assert (
        client.post(
            own_url, json={"text": "偷看"}, headers=api_token(people["worker2"])
        ).status_code
        == 404
    )
    by_staff = client.post(url, json={"text": "电话补充"}, headers=api_token(people["staff"]))
    assert by_staff.get_json()["added_by"] == "staff"
    headers = {**api_token(people["worker"]), "Idempotency-Key": "material-key-0001"}
    client.post(own_url, json={"text": "补充三"}, headers=headers)
    client.post(own_url, json={"text": "补充三"}, headers=headers)
    assert [m.text for m in mine.materials] == ["补充二", "补充三"]


def test_a_worker_lists_their_own_complaints(client, api_token, people, member, now):
    mine = file(people["worker"], member).complaint
    file(people["worker2"], member)
    headers = api_token(people["worker"])
    listing = client.get("/api/v1/me/complaints", headers=headers).get_json()
    assert [c["tracking_number"] for c in listing["items"]] == [mine.tracking_number]
    assert (
        client.get(
            f"/api/v1/me/complaints/{mine.tracking_number}", headers=api_token(people["worker2"])
        ).status_code
        == 404
    )


def test_the_secretariat_works_a_complaint_through_the_api(client, api_token, people, member, now):
    complaint = file(None, member).complaint
    headers = api_token(people["staff"])
    base = f"/api/v1/staff/complaints/{complaint.tracking_number}"
    case = client.get(base, headers=headers).get_json()
    assert case["identity"] == {
        "name": "张**",
        "id_number": "1101**********002X",
        "phone": "138****5678",
        "email": "z****@example.cn",
        "health": "••••",
        "masked": True,
    }
    steps = [
        ("accept", {"complexity": "complex"}),
        ("start-investigation", None),
        ("request-material", {"message": "请提供体检报告原件照片。"}),
    ]
    for step, payload in steps:
        response = client.post(f"{base}/{step}", json=payload, headers=headers)
        assert response.status_code == 200, response.get_json()
    assert (
        client.post(
            f"{base}/resolve",
            json={"finding": "substantiated", "outcome": "结论结论结论结论"},
            headers=headers,
        ).status_code
        == 409
    )
    client.post(
        f"/api/v1/complaints/{complaint.tracking_number}/material",
        json={"text": "照片"},
        headers=headers,
    )
    panel = {
        "clinical": people["committee"].id,
        "legal": people["committee2"].id,
        "industry": people["staff2"].id,
    }
    assert client.post(f"{base}/assign-panel", json=panel, headers=headers).status_code == 200
    resolved = client.post(
        f"{base}/resolve",
        json={"finding": "partly_substantiated", "outcome": "部分属实，已责令机构整改。"},
        headers=headers,
    )
    assert resolved.get_json()["status"] == "resolved"
    closed = client.post(f"{base}/close", headers=headers).get_json()
    assert closed["status"] == "closed"
    assert [d["state"] for d in closed["deadlines"]] == ["met", "met"]
    again = client.post(f"{base}/accept", json={"complexity": "simple"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    assert audit.verify().ok


def test_reject_needs_a_reason(client, api_token, people, member, now):
    complaint = file(None, member).complaint
    headers = api_token(people["staff"])
    url = f"/api/v1/staff/complaints/{complaint.tracking_number}/reject"
    assert client.post(url, json={"reason": "no"}, headers=headers).status_code == 422
    assert (
        client.post(
            url, json={"reason": "不属于本会受理范围。请向卫健委反映。"}, headers=headers
        ).get_json()["status"]
        == "rejected"
    )


def test_the_queues_filter_and_assign(client, api_token, people, member, other_member, now):
    first = file(None, member).complaint
    second = file(None, other_member).complaint
    headers = api_token(people["staff"])
    listing = client.get(f"/api/v1/staff/complaints?member_id={member.id}", headers=headers)
    assert [c["tracking_number"] for c in listing.get_json()["items"]] == [first.tracking_number]
    assert listing.get_json()["by_status"]["received"] == 2
    assert client.get("/api/v1/staff/complaints?queue=later", headers=headers).status_code == 422
    assigned = client.post(
        "/api/v1/staff/complaints/assign-handler",
        headers=headers,
        json={
            "tracking_numbers": [first.tracking_number, second.tracking_number],
            "handler_id": people["staff2"].id,
        },
    )
    assert sorted(assigned.get_json()["assigned"]) == sorted(
        [first.tracking_number, second.tracking_number]
    )
    mine = client.get(
        "/api/v1/staff/complaints?handler=me", headers=api_token(people["staff2"])
    ).get_json()
    assert mine["page"]["total"] == 2


def test_revealing_the_identity_is_audited(client, api_token, people, member, now):
    complaint = file(None, member).complaint
    response = client.post(
        f"/api/v1/staff/complaints/{complaint.tracking_number}/reveal-identity",
        headers=api_token(people["staff"]),
    )
    assert response.get_json()["identity"]["id_number"] == "11010519491231002X"
    assert response.headers["Cache-Control"] == "no-store"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(audit.AuditEntry)
            .where(audit.AuditEntry.action == "complaint.identity_revealed")
        )
        == 1
    )


def test_staff_enter_a_walk_in_complaint(client, api_token, people, member, now):
    response = client.post(
        "/api/v1/staff/complaints",
        headers=api_token(people["staff"]),
        json={**body(member), "channel": "walk_in"},
    )
    assert response.status_code == 201 and response.get_json()["receipt_code"]
    assert db.session.scalar(select(Complaint)).channel == "walk_in"


def test_the_agency_reads_and_answers_complaints_about_itself(
    client, api_token, people, member, other_member, now
):
    shared = file(None, member, share_identity_with_agency=True).complaint
    hidden = file(None, member).complaint
    elsewhere = file(None, other_member).complaint
    for complaint in (shared, hidden, elsewhere):
        workflow.accept(people["staff"], complaint, "simple")
    headers = api_token(people["member"])
    listing = client.get("/api/v1/member/complaints", headers=headers).get_json()
    assert sorted(c["tracking_number"] for c in listing["items"]) == sorted(
        [shared.tracking_number, hidden.tracking_number]
    )
    one = client.get(
        f"/api/v1/member/complaints/{shared.tracking_number}", headers=headers
    ).get_json()
    assert one["complainant"] == {"name": "张卫国", "id_number": "11010519491231002X"}
    other = client.get(
        f"/api/v1/member/complaints/{hidden.tracking_number}", headers=headers
    ).get_json()
    assert other["complainant"] is None and "13812345678" not in str(other)
    assert (
        client.get(
            f"/api/v1/member/complaints/{elsewhere.tracking_number}", headers=headers
        ).status_code
        == 404
    )
    answered = client.post(
        f"/api/v1/member/complaints/{shared.tracking_number}/response",
        json={"text": "已核实，将重新出具报告并致歉。"},
        headers=headers,
    )
    assert answered.status_code == 201 and len(answered.get_json()["responses"]) == 1
    assert (
        client.post(
            f"/api/v1/member/complaints/{elsewhere.tracking_number}/response",
            json={"text": "与我们无关的投诉我们也想回应。"},
            headers=headers,
        ).status_code
        == 404
    )


def test_public_statistics(client, people, member, now):
    complaint = file(None, member).complaint
    staff = people["staff"]
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    workflow.resolve(staff, complaint, "substantiated", "机构已整改。结论结论。")
    workflow.close(staff, complaint)
    file(None, member)
    stats = client.get("/api/v1/public/complaint-stats").get_json()
    assert stats["closed"] == 1 and stats["closed_on_time"] == 1
    assert stats["on_time_share"] == 1.0
    assert {r["key"]: r["count"] for r in stats["by_category"]}["service_quality"] == 1
    assert stats["by_member"] == [{"key": member.member_no, "label": member.name, "count": 1}]
    assert "张卫国" not in str(stats)


def test_every_step_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        ("/api/v1/complaints", "post"),
        ("/api/v1/complaints/track", "post"),
        ("/api/v1/complaints/{tracking_number}/material", "post"),
        ("/api/v1/me/complaints", "get"),
        ("/api/v1/staff/complaints", "get"),
        ("/api/v1/staff/complaints", "post"),
        ("/api/v1/staff/complaints/{tracking_number}", "get"),
        ("/api/v1/staff/complaints/assign-handler", "post"),
        ("/api/v1/member/complaints", "get"),
        ("/api/v1/member/complaints/{tracking_number}/response", "post"),
        ("/api/v1/public/complaint-stats", "get"),
    } | {
        (f"/api/v1/staff/complaints/{{tracking_number}}/{step}", "post")
        for step in (
            "accept",
            "reject",
            "start-investigation",
            "request-material",
            "assign-panel",
            "resolve",
            "close",
            "assign-handler",
            "reveal-identity",
        )
    }
    assert expected <= {(p, m) for p, ops in paths.items() for m in ops}
    assert paths["/api/v1/complaints"]["post"]["security"] == []
