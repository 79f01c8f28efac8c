"""The members API: one application from start to approval, errors with field names, drafts
that keep what was sent, the OpenAPI document."""

from __future__ import annotations

import io

from portal.members.services import access
from tests.files.samples import HTML, PDF
from tests.members.factories import add_person, document_slots, values


def test_an_application_from_start_to_approval_through_the_api(
    client, api_token, agency, secretary, today, db
):
    headers = api_token(agency)
    started = client.post("/api/v1/members/applications", headers=headers, json={})
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    app_id = body["id"]
    assert body["kind"] == "new" and body["status"] == "draft"
    assert [s["key"] for s in body["steps"]][:2] == ["agency", "licence"]
    assert body["checklist"]["passed"] is False

    draft = values(today)
    add_person(agency, access.member_of(agency), today)
    db.session.commit()
    saved = client.patch(
        f"/api/v1/members/applications/{app_id}/draft", headers=headers, json=draft
    )
    assert saved.status_code == 200, saved.get_json()
    for slot in document_slots(draft):
        response = client.post(
            f"/api/v1/members/applications/{app_id}/documents/{slot}",
            headers=headers,
            data={"file": (io.BytesIO(PDF), "scan.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, (slot, response.get_json())
    document = response.get_json()
    assert len(document["sha256"]) == 64 and document["download"].startswith("/api/v1/files/")
    assert client.get(document["download"], headers=headers).data == PDF

    checklist = client.get(f"/api/v1/members/applications/{app_id}/checklist", headers=headers)
    assert checklist.get_json()["passed"] is True
    submitted = client.post(f"/api/v1/members/applications/{app_id}/submit", headers=headers)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"

    staff_headers = api_token(secretary)
    queue = client.get("/api/v1/members/review/queue", headers=staff_headers).get_json()
    assert [item["id"] for item in queue["items"]] == [app_id]
    approved = client.post(f"/api/v1/members/applications/{app_id}/approve", headers=staff_headers)
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["member_no_issued"] == "OHA-2026-00001"
    public = client.get("/api/v1/public/members/OHA-2026-00001").get_json()
    assert public["name"] == draft["name"] and public["status"] == "active"
    assert public["scope"] == ["dust", "physical"]


def test_a_wrong_draft_is_kept_and_the_fields_are_named(client, api_token, agency, today):
    headers = api_token(agency)
    app_id = client.post("/api/v1/members/applications", headers=headers, json={}).get_json()["id"]
    response = client.patch(
        f"/api/v1/members/applications/{app_id}/draft",
        headers=headers,
        json={
            "premises_m2": "很大",
            "qualification_valid_to": "2026-02-30",
            "instruments": [{"kind": "telescope"}],
        },
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"premises_m2", "qualification_valid_to", "instruments-0-kind"} <= set(fields)
    again = client.get(f"/api/v1/members/applications/{app_id}", headers=headers).get_json()
    assert again["draft"]["premises_m2"] == "很大"
    assert again["draft"]["qualification_valid_to"] == "2026-02-30"
    assert again["draft"]["instruments"][0]["kind"] == "telescope"
    unknown = client.patch(
        f"/api/v1/members/applications/{app_id}/draft", headers=headers, json={"premises": 300}
    )
    assert unknown.status_code == 422 and "premises" in unknown.get_json()["error"]["fields"]


def test_an_upload_is_refused_by_content_with_the_field_named(client, api_token, agency, today):
    headers = api_token(agency)
    app_id = client.post("/api/v1/members/applications", headers=headers, json={}).get_json()["id"]
    response = client.post(
        f"/api/v1/members/applications/{app_id}/documents/licence",
        headers=headers,
        data={"file": (io.BytesIO(HTML), "licence.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"file"}
    missing = client.post(
        f"/api/v1/members/applications/{app_id}/documents/licence", headers=headers
    )
    assert missing.status_code == 422


def test_approval_through_the_api_names_the_failing_rules(
    client, api_token, agency, secretary, today
):
    from tests.members.factories import submitted_application

    application = submitted_application(agency, today, premises_m2="120")
    response = client.post(
        f"/api/v1/members/applications/{application.id}/approve", headers=api_token(secretary)
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert list(response.get_json()["error"]["fields"]) == ["premises.area"]
    returned = client.post(
        f"/api/v1/members/applications/{application.id}/return",
        headers=api_token(secretary),
        json={"reason": "场所面积不足。"},
    )
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"


def test_the_profile_text_through_the_api(client, api_token, agency, today):
    headers = api_token(agency)
    client.post("/api/v1/members/applications", headers=headers, json={})
    refused = client.put(
        "/api/v1/members/me/profile-text",
        headers=headers,
        json={"profile_text": "本中心通过国家级认证，体检准确率高。"},
    )
    assert refused.status_code == 422
    assert "国家级认证" in refused.get_json()["error"]["fields"]["profile_text"]
    ok = client.put(
        "/api/v1/members/me/profile-text",
        headers=headers,
        json={"profile_text": "提供职业健康检查服务。"},
    )
    assert ok.status_code == 200
    me = client.get("/api/v1/members/me", headers=headers).get_json()
    assert me["profile_text"] == "提供职业健康检查服务。" and me["member_no"] is None


def test_the_openapi_document_lists_the_members_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        "/api/v1/public/members": {"get"},
        "/api/v1/public/members/{member_no}": {"get"},
        "/api/v1/members/me": {"get"},
        "/api/v1/members/me/profile-text": {"put"},
        "/api/v1/members/applications": {"get", "post"},
        "/api/v1/members/applications/{application_id}": {"get"},
        "/api/v1/members/applications/{application_id}/draft": {"patch"},
        "/api/v1/members/applications/{application_id}/documents/{slot}": {"post"},
        "/api/v1/members/applications/{application_id}/checklist": {"get"},
        "/api/v1/members/applications/{application_id}/submit": {"post"},
        "/api/v1/members/applications/{application_id}/approve": {"post"},
        "/api/v1/members/applications/{application_id}/reject": {"post"},
        "/api/v1/members/applications/{application_id}/return": {"post"},
        "/api/v1/members/review/queue": {"get"},
        "/api/v1/members/staff": {"get", "post"},
        "/api/v1/members/staff/{staff_id}": {"get", "put"},
        "/api/v1/members/staff/{staff_id}/training": {"post"},
        "/api/v1/members/staff/{staff_id}/exams": {"post"},
        "/api/v1/admin/forbidden-phrases": {"get", "post"},
        "/api/v1/admin/forbidden-phrases/{phrase_id}": {"delete"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    public = paths["/api/v1/public/members"]["get"]
    assert public["security"] == []
    assert {p["name"] for p in public["parameters"]} >= {
        "q",
        "province",
        "type",
        "scope",
        "status",
        "page",
        "per_page",
    }
    assert paths["/api/v1/members/applications/{application_id}/approve"]["post"]["x-roles"] == [
        "staff"
    ]
