"""Every step of the pages through the API: statements, disputes, credit repair, the
secretariat's answers and decisions; all in the OpenAPI document."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import Notification
from tests.files.samples import PDF
from tests.publication.conftest import commit
from tests.publication.factories import make_entry

PDF_B64 = base64.b64encode(PDF).decode()


@pytest.fixture
def entry(member, now):
    made = make_entry(member, level="general", took_effect_on=date(2026, 2, 1), months=12)
    commit()
    return made


@pytest.fixture
def agency(api_token, people, now):
    return api_token(people["member"])


@pytest.fixture
def staff(api_token, people, now):
    return api_token(people["staff"])


def test_every_step_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in (
        ("/api/v1/public/blacklist", "get"),
        ("/api/v1/public/decisions", "get"),
        ("/api/v1/public/decisions/{decision_no}", "get"),
        ("/api/v1/agency/publication", "get"),
        ("/api/v1/agency/publication/{entry_id}", "get"),
        ("/api/v1/agency/publication/{entry_id}/statement", "put"),
        ("/api/v1/agency/publication/{entry_id}/disputes", "post"),
        ("/api/v1/agency/publication/{entry_id}/credit-repair", "post"),
        ("/api/v1/staff/publication/disputes", "get"),
        ("/api/v1/staff/publication/disputes/{dispute_id}/answer", "post"),
        ("/api/v1/staff/publication/repairs", "get"),
        ("/api/v1/staff/publication/repairs/{repair_id}", "get"),
        ("/api/v1/staff/publication/repairs/{repair_id}/decision", "post"),
    ):
        assert method in paths[path], path


def test_the_agency_sees_its_entries_and_sets_a_statement(client, agency, entry, people, api_token):
    listing = client.get("/api/v1/agency/publication", headers=agency).get_json()
    assert [i["id"] for i in listing["items"]] == [entry.id]
    url = f"/api/v1/agency/publication/{entry.id}/statement"
    saved = client.put(url, json={"statement": "我们已整改。"}, headers=agency)
    assert saved.status_code == 200 and saved.get_json()["statement"] == "我们已整改。"
    long = client.put(url, json={"statement": "字" * 501}, headers=agency)
    assert long.status_code == 422 and "statement" in long.get_json()["error"]["fields"]
    other = api_token(people["member2"])
    assert client.get(f"/api/v1/agency/publication/{entry.id}", headers=other).status_code == 404
    assert client.put(url, json={"statement": "x"}, headers=other).status_code == 404


def test_a_dispute_and_its_answer(client, agency, staff, entry, people):
    filed = client.post(
        f"/api/v1/agency/publication/{entry.id}/disputes", json={"text": "日期有误"}, headers=agency
    )
    assert filed.status_code == 201
    dispute_id = filed.get_json()["id"]
    queue = client.get("/api/v1/staff/publication/disputes", headers=staff).get_json()
    assert [d["id"] for d in queue["items"]] == [dispute_id]
    answered = client.post(
        f"/api/v1/staff/publication/disputes/{dispute_id}/answer",
        json={"answer": "经核实无误。", "corrected": False},
        headers=staff,
    )
    assert answered.status_code == 200 and answered.get_json()["status"] == "answered"
    again = client.post(
        f"/api/v1/staff/publication/disputes/{dispute_id}/answer",
        json={"answer": "x"},
        headers=staff,
    )
    assert again.status_code == 409
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == people["member"].id)
    ).all()
    assert "publication.dispute_answered" in kinds
    assert client.get("/api/v1/staff/publication/disputes", headers=staff).get_json()["items"] == []
    every = client.get("/api/v1/staff/publication/disputes?status=all", headers=staff)
    assert len(every.get_json()["items"]) == 1


def test_credit_repair_through_the_api(client, agency, staff, entry, upload_dir):
    url = f"/api/v1/agency/publication/{entry.id}/credit-repair"
    body = {
        "rectification": "已整改。",
        "commitment_accepted": True,
        "commitment_name": "张建国",
        "files": [{"name": "整改.pdf", "content_base64": PDF_B64}],
    }
    unsigned = client.post(url, json={**body, "commitment_accepted": False}, headers=agency)
    assert unsigned.status_code == 422
    assert "commitment_accepted" in unsigned.get_json()["error"]["fields"]
    no_proof = client.post(url, json={**body, "files": []}, headers=agency)
    assert no_proof.status_code == 422 and "files" in no_proof.get_json()["error"]["fields"]
    applied = client.post(url, json=body, headers=agency)
    assert applied.status_code == 201
    repair = applied.get_json()
    assert repair["due_date"] == "2026-06-30" and len(repair["proof"]) == 1
    assert client.post(url, json=body, headers=agency).status_code == 409  # one at a time
    proof = client.get(f"/api/v1/files/{repair['proof'][0]}", headers=staff)
    assert proof.status_code == 200 and proof.data == PDF

    queue = client.get("/api/v1/staff/publication/repairs", headers=staff).get_json()
    assert [r["id"] for r in queue["items"]] == [repair["id"]]
    one = client.get(f"/api/v1/staff/publication/repairs/{repair['id']}", headers=staff)
    assert one.get_json()["commitment_name"] == "张建国"
    refused = client.post(
        f"/api/v1/staff/publication/repairs/{repair['id']}/decision",
        json={"decision": "refuse"},
        headers=staff,
    )
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    granted = client.post(
        f"/api/v1/staff/publication/repairs/{repair['id']}/decision",
        json={"decision": "grant", "reason": "整改到位"},
        headers=staff,
    )
    assert granted.status_code == 200 and granted.get_json()["status"] == "granted"
    public = client.get(f"/api/v1/public/decisions/{entry.decision_no}").get_json()
    assert public["status"] == "credit_repair"
    assert public["credit_repair_granted_on"] == "2026-06-15"
    detail = client.get(f"/api/v1/agency/publication/{entry.id}", headers=agency).get_json()
    assert detail["repairs"][0]["status"] == "granted" and detail["repair_refusal"]


def test_other_roles_are_refused_the_agency_and_staff_steps(client, api_token, people, entry):
    worker = api_token(people["worker"])
    agency = api_token(people["member"])
    assert client.get("/api/v1/staff/publication/repairs", headers=agency).status_code == 403
    assert client.get("/api/v1/agency/publication", headers=worker).status_code == 403
    assert client.get("/api/v1/agency/publication").status_code == 401
