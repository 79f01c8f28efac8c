"""Every step through /api/v1, with the same services and rules as the pages."""

from __future__ import annotations

import base64
from datetime import timedelta

from portal import clock
from portal.discipline.models import Decision
from portal.extensions import db
from tests.committees.factories import cast, close
from tests.discipline.factories import open_case

PDF = base64.b64encode(b"%PDF-1.4 evidence").decode()


def _iso(delta: timedelta) -> str:
    return (clock.now() + delta).isoformat()


def test_case_to_decision_to_appeal_through_the_api(
    client, now, staff, agency, agency_user, committees, api_token, upload_dir, published
):
    board, appeal_board = committees
    headers = api_token(staff)
    opened = client.post(
        "/api/v1/discipline/cases",
        json={
            "member_id": agency.id,
            "source": "inspection",
            "source_ref": "INS-2026-3",
            "summary": "未告知劳动者检查结果",
        },
        headers=headers,
    )
    assert opened.status_code == 201, opened.get_json()
    case_id = opened.get_json()["id"]
    base = f"/api/v1/discipline/cases/{case_id}"
    assert (
        client.post(
            f"{base}/findings", json={"findings": "12名劳动者未获告知。"}, headers=headers
        ).status_code
        == 200
    )
    evidence = client.post(
        f"{base}/evidence",
        json={"note": "告知记录", "files": [{"name": "记录.pdf", "content_base64": PDF}]},
        headers=headers,
    )
    assert evidence.status_code == 200 and len(evidence.get_json()["evidence"][0]["files"]) == 1
    refused = client.post(
        f"{base}/propose",
        json={
            "level": "general",
            "measures": ["expulsion"],
            "publication_months": 6,
            "reasons": "违反公约",
        },
        headers=headers,
    )
    assert refused.status_code == 422
    assert "measures" in refused.get_json()["error"]["fields"]
    proposed = client.post(
        f"{base}/propose",
        json={
            "level": "general",
            "measures": ["public_criticism"],
            "publication_months": 6,
            "reasons": "违反公约第三章。",
        },
        headers=headers,
    )
    assert proposed.status_code == 200 and proposed.get_json()["status"] == "proposed"
    assert client.post(f"{base}/decide", headers=headers).status_code == 409
    submitted = client.post(
        f"{base}/submit", json={"closes_at": _iso(timedelta(days=2))}, headers=headers
    )
    assert submitted.status_code == 200, submitted.get_json()
    from portal.committees.models import Motion

    motion = db.session.get(Motion, submitted.get_json()["motion_id"])
    for user in board:
        cast(user, motion)
    close(motion)
    headers = api_token(staff)  # the clock moved past the token's lifetime
    case = client.get(base, headers=headers).get_json()
    assert case["status"] == "decided" and case["decision_id"]
    decision_id = case["decision_id"]

    agency_headers = api_token(agency_user)
    mine = client.get("/api/v1/agency/discipline/decisions", headers=agency_headers).get_json()
    assert [d["id"] for d in mine["items"]] == [decision_id]
    appealed = client.post(
        f"/api/v1/agency/discipline/decisions/{decision_id}/appeal",
        json={"grounds": "我们已经补充告知全部劳动者。"},
        headers=agency_headers,
    )
    assert appealed.status_code == 201 and appealed.get_json()["status"] == "appealed"
    outcome = client.post(
        f"/api/v1/discipline/decisions/{decision_id}/appeal-outcome",
        json={
            "outcome": "changed",
            "closes_at": _iso(timedelta(days=1)),
            "reasons": "情节较轻",
            "level": "general",
            "measures": ["written_warning"],
            "publication_months": 3,
        },
        headers=headers,
    )
    assert outcome.status_code == 200, outcome.get_json()
    appeal_motion = db.session.get(Motion, outcome.get_json()["appeal"]["motion_id"])
    for user in appeal_board:
        cast(user, appeal_motion)
    close(appeal_motion)
    headers = api_token(staff)
    final = client.get(f"/api/v1/discipline/decisions/{decision_id}", headers=headers).get_json()
    assert final["status"] == "in_force" and final["appeal_outcome"] == "changed"
    assert final["measures"] == ["written_warning"]
    assert published["publish"][0]["decision_no"] == final["number"]


def test_others_cannot_read_a_decision(client, now, staff, agency, api_token):
    from tests.discipline.factories import decided_minor, make_agency
    from tests.factories import make_user

    decision = decided_minor(staff, agency)
    db.session.commit()
    stranger = make_user("member", username="api-stranger")
    make_agency(user=stranger)
    headers = api_token(stranger)
    response = client.get(f"/api/v1/agency/discipline/decisions/{decision.id}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_breach_reports_through_the_api(client, now, staff, agency, agency_user, api_token):
    headers = api_token(agency_user)
    late = client.post(
        "/api/v1/agency/breaches",
        json={
            "discovered_at": _iso(-timedelta(hours=3)),
            "description": "体检系统数据库被未授权访问。",
            "affected_count": 120,
        },
        headers=headers,
    )
    assert late.status_code == 201 and late.get_json()["late"] is True
    on_time = client.post(
        "/api/v1/agency/breaches",
        json={
            "discovered_at": _iso(-timedelta(minutes=90)),
            "description": "一份体检报告误发给他人。",
        },
        headers=headers,
    )
    assert on_time.get_json()["late"] is False
    future = client.post(
        "/api/v1/agency/breaches",
        json={"discovered_at": _iso(timedelta(hours=1)), "description": "未来的泄露事件描述。"},
        headers=headers,
    )
    assert future.status_code == 422 and "discovered_at" in future.get_json()["error"]["fields"]
    staff_headers = api_token(staff)
    listed = client.get("/api/v1/discipline/breaches?late=true", headers=staff_headers).get_json()
    assert [b["id"] for b in listed["items"]] == [late.get_json()["id"]]
    opened = client.post(
        f"/api/v1/discipline/breaches/{late.get_json()['id']}/open-case", headers=staff_headers
    )
    assert opened.status_code == 201 and opened.get_json()["source"] == "breach"
    again = client.post(
        f"/api/v1/discipline/breaches/{late.get_json()['id']}/open-case", headers=staff_headers
    )
    assert again.status_code == 409


def test_every_step_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/discipline/cases",
        "/api/v1/discipline/cases/{case_id}/propose",
        "/api/v1/discipline/cases/{case_id}/decide",
        "/api/v1/discipline/cases/{case_id}/submit",
        "/api/v1/discipline/cases/{case_id}/evidence",
        "/api/v1/discipline/cases/{case_id}/dismiss",
        "/api/v1/discipline/decisions/{decision_id}/appeal-outcome",
        "/api/v1/discipline/decisions/{decision_id}/accept-rectification",
        "/api/v1/agency/discipline/decisions/{decision_id}/appeal",
        "/api/v1/agency/discipline/decisions/{decision_id}/rectification",
        "/api/v1/agency/breaches",
        "/api/v1/discipline/breaches/{breach_id}/open-case",
        "/api/v1/discipline/breaches/{breach_id}/no-case",
    ):
        assert path in paths, path


def test_case_listing_filters(client, now, staff, agency, api_token):
    open_case(staff, agency)
    db.session.commit()
    headers = api_token(staff)
    listed = client.get("/api/v1/discipline/cases?status=open", headers=headers).get_json()
    assert listed["page"]["total"] == 1
    assert client.get("/api/v1/discipline/cases?status=nope", headers=headers).status_code == 422
    assert client.get("/api/v1/discipline/decisions", headers=headers).status_code == 200
    assert db.session.query(Decision).count() == 0
