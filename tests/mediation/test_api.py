"""The whole mediation through /api/v1, and its place in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from tests.mediation.factories import AGREEMENT


def test_every_step_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/staff/complaints/{tracking_number}/mediation",
        "/api/v1/staff/mediation/{number}/panel",
        "/api/v1/staff/mediation/{number}/sessions",
        "/api/v1/staff/mediation/{number}/sessions/{session_id}/record",
        "/api/v1/staff/mediation/{number}/agreement",
        "/api/v1/staff/mediation/{number}/judicial",
        "/api/v1/staff/mediation/{number}/fail",
        "/api/v1/mediation/{number}",
        "/api/v1/mediation/{number}/consent",
        "/api/v1/mediation/{number}/confirm",
        "/api/v1/mediation/{number}/documents",
        "/api/v1/mediation/{number}/file.pdf",
        "/api/v1/mediation/track/consent",
    ):
        assert any(p.replace("<", "{").replace(">", "}") == path for p in paths) or path in paths, (
            path
        )


def test_from_proposal_to_a_confirmed_agreement(client, api_token, board, complaint, people):
    staff, worker, agency = (api_token(people[k]) for k in ("staff", "worker", "member"))
    made = client.post(
        f"/api/v1/staff/complaints/{complaint.tracking_number}/mediation", json={}, headers=staff
    )
    assert made.status_code == 201, made.get_json()
    number = made.get_json()["number"]
    assert made.get_json()["status"] == "awaiting_consent"
    assert client.post(f"/api/v1/mediation/{number}/consent", headers=agency).status_code == 200
    opened = client.post(f"/api/v1/mediation/{number}/consent", headers=worker).get_json()
    assert opened["status"] == "open"
    assert {s["category"] for s in opened["panel"]} >= {
        "medical_expert",
        "legal_expert",
        "worker_rep",
    }

    refused = client.put(
        f"/api/v1/staff/mediation/{number}/panel",
        json={"user_ids": [people["committee"].id]},
        headers=staff,
    )
    assert refused.status_code == 422
    assert "panel" in refused.get_json()["error"]["fields"]

    starts = (clock.now() + timedelta(days=1)).isoformat()
    scheduled = client.post(
        f"/api/v1/staff/mediation/{number}/sessions",
        json={"starts_at": starts, "online_link": "https://meeting.example.cn/room/42"},
        headers=staff,
    )
    assert scheduled.status_code == 201
    assert scheduled.get_json()["first_session"]["state"] == "met"

    added = client.post(
        f"/api/v1/mediation/{number}/documents",
        json={"kind": "evidence", "title": "复查记录", "text": "2026年6月复查：双耳高频听力下降。"},
        headers=worker,
    )
    assert added.status_code == 201
    doc = added.get_json()["documents"][-1]
    assert len(doc["sha256"]) == 64
    corrected = client.post(
        f"/api/v1/mediation/{number}/documents/{doc['key']}/versions",
        json={"note": "更正日期", "text": "2026年6月12日复查：双耳高频听力下降。"},
        headers=worker,
    ).get_json()
    assert [d["version"] for d in corrected["documents"] if d["key"] == doc["key"]] == [1, 2]

    drafted = client.post(
        f"/api/v1/staff/mediation/{number}/agreement", json={"text": AGREEMENT}, headers=staff
    ).get_json()
    version = drafted["agreement"]["version"]
    client.post(f"/api/v1/mediation/{number}/confirm", json={"version": version}, headers=worker)
    done = client.post(
        f"/api/v1/mediation/{number}/confirm", json={"version": version}, headers=agency
    ).get_json()
    assert done["status"] == "agreed"
    assert done["agreement"]["frozen_at"] and done["agreement"]["sha256"]
    assert done["complainant"]["shown"] == "none"  # the agency: not shared
    assert complaint.status == "closed"
    judicial = client.post(f"/api/v1/staff/mediation/{number}/judicial", headers=staff)
    assert judicial.get_json()["agreement"]["judicial_confirmation"] is True


def test_an_anonymous_complainant_uses_the_receipt_code(
    client, api_token, board, seeded, now, people, member
):
    from tests.mediation.factories import accepted_complaint, proposed

    complaint = accepted_complaint(people, member, anonymous=True)
    case = proposed(people, complaint)
    proof = {
        "tracking_number": complaint.tracking_number,
        "receipt_code": complaint.receipt_code_for_tests,
    }
    seen = client.post("/api/v1/mediation/track", json=proof)
    assert seen.status_code == 200
    assert seen.get_json()["complainant"]["shown"] == "full"
    consented = client.post("/api/v1/mediation/track/consent", json=proof).get_json()
    assert consented["complainant_consent_at"] is not None
    assert case.status == "awaiting_consent"
