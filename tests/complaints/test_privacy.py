"""The complainant's own data: the copy (page, JSON, API; anonymous with the receipt code),
correction requests and the secretariat's decision, and who may do what."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.complaints.models import Complaint, ComplaintCorrection
from portal.complaints.services.intake import Upload
from portal.crypto import blind_index
from portal.extensions import db
from portal.validators import make_resident_id
from tests.complaints.conftest import commit, file

PDF = b"%PDF-1.4\n% a report\n%%EOF\n"
OTHER_ID = make_resident_id(date(1986, 5, 20), "440106", 37)


def audited(action: str) -> list[audit.AuditEntry]:
    return list(
        db.session.scalars(select(audit.AuditEntry).where(audit.AuditEntry.action == action))
    )


@pytest.fixture
def mine(people, member, now, upload_dir):
    return file(people["worker"], member, files=[Upload(PDF, "听力报告.pdf")]).complaint


@pytest.fixture
def anonymous(member, now):
    return file(None, member, name="李娜", id_number=OTHER_ID)


# --- the copy ---------------------------------------------------------------------------


def test_worker_api_copy_holds_everything_decrypted(client, api_token, people, mine):
    file(people["worker2"], None, name="别人")  # someone else's: not in the copy
    response = client.get("/api/v1/me/data", headers=api_token(people["worker"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["account"]["username"] == "worker-a"
    assert data["account"]["email"] == "worker-a@example.cn"
    assert [c["tracking_number"] for c in data["complaints"]] == [mine.tracking_number]
    case = data["complaints"][0]
    assert case["personal"] == {
        "name": "张卫国",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "email": "zhang@example.cn",
        "health": "噪声作业十年，左耳听力下降。",
    }
    assert case["evidence"][0]["name"].endswith(".pdf")
    assert [e["event"] for e in case["status_history"]] == ["filed"]
    entry = audited("privacy.data_exported")[-1]
    assert "张卫国" not in entry.payload and mine.tracking_number in entry.payload


def test_worker_page_and_json_download(client, login, people, mine):
    login(people["worker"])
    page = client.get("/my/complaints/data")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    assert "张卫国" in html and mine.tracking_number in html
    assert audited("privacy.data_exported") == []  # looking at one's own page is a read
    download = client.get("/my/complaints/data.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.get_data(as_text=True))["complaints"][0]["personal"]["phone"] == (
        "13812345678"
    )
    assert len(audited("privacy.data_exported")) == 1  # a copy left the portal


def test_a_refused_correction_shows_the_page_again_without_recording_an_export(
    client, login, people, mine
):
    login(people["worker"])
    response = client.post(
        f"/my/complaints/{mine.tracking_number}/correction",
        data=prefixed(f"c{mine.tracking_number}", field="phone", value="", reason=""),
    )
    assert response.status_code == 422
    assert "张卫国" in response.get_data(as_text=True)
    assert audited("privacy.data_exported") == []


def test_anonymous_copy_with_the_receipt_code_in_the_body(client, anonymous):
    number, code = anonymous.complaint.tracking_number, anonymous.receipt_code
    response = client.post(
        "/api/v1/complaints/track/data", json={"tracking_number": number, "receipt_code": code}
    )
    assert response.status_code == 200
    assert response.get_json()["complaints"][0]["personal"]["name"] == "李娜"
    assert response.get_json()["account"] is None
    wrong = client.post(
        "/api/v1/complaints/track/data",
        json={"tracking_number": number, "receipt_code": "AAAA-BBBB-CCCC"},
    )
    assert wrong.status_code == 404 and "李娜" not in wrong.get_data(as_text=True)
    assert client.get("/api/v1/complaints/track/data").status_code == 405


def test_anonymous_copy_through_the_page(client, anonymous):
    assert client.get("/complaints/track/data").status_code == 200
    number, code = anonymous.complaint.tracking_number, anonymous.receipt_code
    response = client.post(
        "/complaints/track/data", data={"tracking_number": number, "receipt_code": code}
    )
    assert response.status_code == 200
    assert json.loads(response.get_data(as_text=True))["complaints"][0]["personal"]["name"] == (
        "李娜"
    )
    wrong = client.post(
        "/complaints/track/data", data={"tracking_number": number, "receipt_code": "x" * 12}
    )
    assert wrong.status_code == 404


# --- corrections --------------------------------------------------------------------------


def test_correction_requested_then_accepted(client, api_token, people, mine):
    worker = api_token(people["worker"])
    response = client.post(
        f"/api/v1/me/complaints/{mine.tracking_number}/corrections",
        json={"field": "id_number", "value": OTHER_ID, "reason": "录错了一位"},
        headers=worker,
    )
    assert response.status_code == 201, response.get_json()
    correction_id = response.get_json()["id"]
    assert response.get_json()["status"] == "pending"
    stored = db.session.get(ComplaintCorrection, correction_id)
    assert stored.proposed_enc is not None and OTHER_ID.encode() not in stored.proposed_enc

    staff = api_token(people["staff"])
    queue = client.get("/api/v1/staff/complaint-corrections", headers=staff).get_json()
    assert [i["id"] for i in queue["items"]] == [correction_id]
    (listed,) = queue["items"]
    assert listed["masked"] and listed["proposed"] != OTHER_ID and "录错" not in listed["reason"]
    assert listed["proposed"][:2] == OTHER_ID[:2]  # enough to tell requests apart
    opened = client.post(
        f"/api/v1/staff/complaint-corrections/{correction_id}/reveal", headers=staff
    )
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    assert opened.get_json()["proposed"] == OTHER_ID and not opened.get_json()["masked"]
    assert opened.get_json()["reason"] == "录错了一位"
    decided = client.post(
        f"/api/v1/staff/complaint-corrections/{correction_id}",
        json={"accept": True},
        headers=staff,
    )
    assert decided.status_code == 200 and decided.get_json()["status"] == "accepted"
    db.session.expire_all()
    complaint = db.session.get(Complaint, mine.id)
    assert complaint.id_number == OTHER_ID
    assert complaint.id_number_bidx == blind_index(Complaint.id_number, OTHER_ID)
    again = client.post(
        f"/api/v1/staff/complaint-corrections/{correction_id}",
        json={"accept": False, "reason": "再次"},
        headers=staff,
    )
    assert again.status_code == 409
    actions = ("requested", "revealed", "accepted")
    for action in (f"complaint.correction_{name}" for name in actions):
        (entry,) = audited(action)
        assert OTHER_ID not in entry.payload and "录错" not in entry.payload


def test_refusal_needs_a_reason_and_keeps_the_value(client, api_token, people, anonymous):
    number, code = anonymous.complaint.tracking_number, anonymous.receipt_code
    response = client.post(
        "/api/v1/complaints/track/corrections",
        json={
            "tracking_number": number,
            "receipt_code": code,
            "field": "phone",
            "value": "13900001111",
            "reason": "换号",
        },
    )
    assert response.status_code == 201, response.get_json()
    correction_id = response.get_json()["id"]
    staff = api_token(people["staff"])
    url = f"/api/v1/staff/complaint-corrections/{correction_id}"
    no_reason = client.post(url, json={"accept": False}, headers=staff)
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["error"]["fields"]
    refused = client.post(url, json={"accept": False, "reason": "无法核实"}, headers=staff)
    assert refused.get_json()["status"] == "refused"
    db.session.expire_all()
    assert db.session.get(Complaint, anonymous.complaint.id).phone == "13812345678"
    assert len(audited("complaint.correction_refused")) == 1


def test_a_bad_value_is_refused_with_the_field(client, api_token, people, mine):
    response = client.post(
        f"/api/v1/me/complaints/{mine.tracking_number}/corrections",
        json={"field": "id_number", "value": "110105194912310022", "reason": "录错了"},
        headers=api_token(people["worker"]),
    )
    assert response.status_code == 422
    assert "value" in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(ComplaintCorrection)) == 0


def test_correction_through_the_pages(client, login, people, mine):
    login(people["worker"])
    client.get("/my/complaints/data")
    response = client.post(
        f"/my/complaints/{mine.tracking_number}/correction",
        data=prefixed(
            f"c{mine.tracking_number}", field="phone", value="13900002222", reason="换号了"
        ),
    )
    assert response.status_code == 303
    (correction,) = db.session.scalars(select(ComplaintCorrection)).all()
    commit()
    client.post("/logout")
    login(people["staff"])
    page = client.get("/staff/complaint-corrections")
    assert page.status_code == 200 and "13900002222" not in page.get_data(as_text=True)
    assert "139****2222" in page.get_data(as_text=True)
    assert not audited("complaint.correction_revealed")
    opened = client.post(f"/staff/complaint-corrections/{correction.id}/reveal", data={})
    assert opened.status_code == 200
    assert "13900002222" in opened.get_data(as_text=True)
    assert "换号了" in opened.get_data(as_text=True)
    assert len(audited("complaint.correction_revealed")) == 1
    decided = client.post(
        f"/staff/complaint-corrections/{correction.id}",
        data=prefixed(f"c{correction.id}", decision="accept", reason=""),
    )
    assert decided.status_code == 303
    db.session.expire_all()
    assert db.session.get(Complaint, mine.id).phone == "13900002222"


# --- who may do what --------------------------------------------------------------------

ROLES = ["worker", "worker2", "member", "staff", "committee", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_complainant_may_ask_for_a_correction(client, api_token, people, mine, role):
    response = client.post(
        f"/api/v1/me/complaints/{mine.tracking_number}/corrections",
        json={"field": "phone", "value": "13900003333", "reason": "换号了"},
        headers=api_token(people[role]),
    )
    expected = {"worker": 201, "worker2": 404}.get(role, 403)
    assert response.status_code == expected, (role, response.get_json())


@pytest.mark.parametrize("role", ROLES)
def test_the_copy_and_the_queue_by_role(client, api_token, people, mine, role):
    headers = api_token(people[role])
    copy = client.get("/api/v1/me/data", headers=headers)
    assert copy.status_code == (200 if role.startswith("worker") else 403), role
    if role == "worker2":
        assert copy.get_json()["complaints"] == []  # only one's own complaints
    queue = client.get("/api/v1/staff/complaint-corrections", headers=headers)
    assert queue.status_code == (200 if role == "staff" else 403), role
    decide = client.post(
        "/api/v1/staff/complaint-corrections/999999", json={"accept": True}, headers=headers
    )
    assert decide.status_code == (404 if role == "staff" else 403), role
    correction = ComplaintCorrection(
        complaint_id=mine.id, field="phone", proposed="13900004444", reason="换号了"
    )
    db.session.add(correction)
    commit()
    reveal = client.post(
        f"/api/v1/staff/complaint-corrections/{correction.id}/reveal", headers=headers
    )
    assert reveal.status_code == (200 if role == "staff" else 403), role
    assert len(audited("complaint.correction_revealed")) == (1 if role == "staff" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, login, people, mine, role):
    login(people[role])
    expect_worker = 200 if role.startswith("worker") else 403
    assert client.get("/my/complaints/data").status_code == expect_worker
    assert client.get("/my/complaints/data.json").status_code == expect_worker
    assert client.get("/staff/complaint-corrections").status_code == (
        200 if role == "staff" else 403
    )
    reveal = client.post("/staff/complaint-corrections/999999/reveal", data={})
    assert reveal.status_code == (404 if role == "staff" else 403)
    post = client.post(
        f"/my/complaints/{mine.tracking_number}/correction",
        data=prefixed(
            f"c{mine.tracking_number}", field="phone", value="13900004444", reason="换号了"
        ),
    )
    expected = {"worker": 303, "worker2": 404}.get(role, 403)
    assert post.status_code == expected, role


def test_anonymous_visitors_need_the_receipt(client, mine):
    assert client.get("/api/v1/me/data").status_code == 401
    assert client.get("/my/complaints/data").status_code == 302
    response = client.post(
        "/api/v1/complaints/track/corrections",
        json={
            "tracking_number": mine.tracking_number,
            "receipt_code": "AAAA-BBBB-CCCC",
            "field": "phone",
            "value": "13900005555",
            "reason": "换号了",
        },
    )
    assert response.status_code == 404


def test_pages_with_a_form_per_item_keep_their_element_ids_apart(
    client, login, people, member, mine
):
    second = file(people["worker"], member).complaint
    login(people["worker"])
    for number in (mine.tracking_number, second.tracking_number):
        client.post(
            f"/my/complaints/{number}/correction",
            data=prefixed(f"c{number}", field="phone", value="13900006666", reason="换号了"),
        )
    commit()
    pages = [client.get("/my/complaints/data").get_data(as_text=True)]
    client.post("/logout")
    login(people["staff"])
    pages.append(client.get("/staff/complaint-corrections").get_data(as_text=True))
    for html in pages:
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert html.count("<form") >= 2


def prefixed(prefix: str, **values) -> dict:
    """A page shows one form per item, each with its own prefix."""
    return {f"{prefix}-{name}": value for name, value in values.items()}
