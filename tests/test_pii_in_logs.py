"""Personal data never reaches the logs.

Every logger (root at DEBUG, werkzeug, SQLAlchemy included) is captured while the demo data
is seeded and the main complaint flows are walked: filing by page and API with name, ID
number, phone and health details, a failed validation that echoes them back, the secretariat
reading, revealing and handling the complaint, tracking with the receipt code, the
complainant's copy of their data and a correction. The captured text must hold none of the
demo complainants' names, ID numbers, phones or health details, the values submitted here,
the receipt codes or the passwords.
"""

from __future__ import annotations

import logging
import re

import pytest

from portal.complaints import demo as complaint_demo
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.extensions import db
from portal.validators import make_resident_id
from tests.factories import DEFAULT_PASSWORD

NAME = "欧阳晓雯"
ID_NUMBER = "11010519491231002X"
PHONE = "13987654321"
EMAIL = "ouyang.xw@example.cn"
HEALTH = "矽肺一期，咳嗽胸闷三年。"
API_NAME = "司马长风"
API_PHONE = "13611112222"
API_HEALTH = "双耳噪声性听力损失。"
NEW_PHONE = "13755556666"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def captured():
    capture = Capture()
    root = logging.getLogger()
    watched = [root, logging.getLogger("werkzeug"), logging.getLogger("sqlalchemy.engine")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.setLevel(logging.DEBUG)
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for logger, level in zip(watched, levels, strict=True):
            logger.setLevel(level)


def demo_secrets() -> set[str]:
    found = set()
    for item in complaint_demo.DEMOS:
        name, phone, birth = item.person
        found |= {name, phone, make_resident_id(birth, "440106", 37)}
    found.add("长期粉尘、噪声作业。")
    return found


def test_no_personal_data_in_the_logs(app, client, captured, upload_dir, login, api_token, users):
    secrets = demo_secrets() | {NAME, ID_NUMBER, PHONE, EMAIL, HEALTH, API_NAME, API_PHONE}
    secrets |= {API_HEALTH, NEW_PHONE, DEMO_PASSWORD, DEFAULT_PASSWORD}

    # The test's connection was opened (by an autouse fixture) before the levels changed, and
    # a Connection decides once whether it logs: make it log as a new one would now.
    db.session.connection()._echo = True
    demo_users = seed_demo()
    db.session.commit()
    from sqlalchemy import select

    from portal.members.models import Member

    member_no = db.session.scalar(
        select(Member.member_no).where(Member.member_no.is_not(None)).limit(1)
    )
    assert demo_users["worker"] is not None and member_no

    # A failed validation that echoes the personal fields back (page and API).
    form = {
        "member_no": member_no,
        "subtype": "wrong_report",
        "description": "体检报告写听力正常，复查发现中度听力损失，请核查。",
        "name": NAME,
        "id_number": "110105194912310022",  # wrong check character
        "phone": PHONE,
        "email": EMAIL,
        "health": HEALTH,
    }
    assert client.post("/complaints/new", data=form).status_code == 422
    bad = client.post(
        "/api/v1/complaints",
        json={**form, "category": "service_quality", "id_number": "123", "phone": "电话"},
    )
    assert bad.status_code == 422

    # The worker files a complaint with the page, under the account.
    client.post("/logout")
    login(demo_users["worker"], DEMO_PASSWORD)
    filed = client.post("/complaints/new", data={**form, "id_number": ID_NUMBER})
    assert filed.status_code == 303, filed.get_data(as_text=True)[:500]
    receipt = client.get("/complaints/receipt").get_data(as_text=True)
    number = re.search(r"TS-\d{4}-\d{6}", receipt).group(0)
    assert client.get(f"/my/complaints/{number}").status_code == 200
    assert client.get("/my/complaints/data").status_code == 200
    correction = client.post(
        f"/my/complaints/{number}/correction",
        data={
            f"c{number}-field": "phone",
            f"c{number}-value": NEW_PHONE,
            f"c{number}-reason": "换号了",
        },
    )
    assert correction.status_code == 303

    # Anonymous filing through the API, then tracking with the receipt code.
    client.post("/logout")
    api_filed = client.post(
        "/api/v1/complaints",
        json={
            **form,
            "category": "service_quality",
            "id_number": ID_NUMBER,
            "name": API_NAME,
            "phone": API_PHONE,
            "health": API_HEALTH,
        },
    )
    assert api_filed.status_code == 201, api_filed.get_json()
    anon_number = api_filed.get_json()["tracking_number"]
    code = api_filed.get_json()["receipt_code"]
    secrets.add(code)
    track = {"tracking_number": anon_number, "receipt_code": code}
    assert client.post("/complaints/track", data=track).status_code == 200
    assert client.post("/api/v1/complaints/track", json=track).status_code == 200
    assert client.post("/api/v1/complaints/track/data", json=track).status_code == 200
    wrong = {"tracking_number": anon_number, "receipt_code": "ABCD-EFGH-JKMN"}
    assert client.post("/complaints/track", data=wrong).status_code == 404
    assert client.post("/api/v1/complaints/track", json=wrong).status_code == 404

    # The secretariat reads, reveals and handles both complaints.
    client.post("/logout")
    login(users["staff"])  # a staff user with a second factor
    for each in (number, anon_number):
        assert client.get(f"/staff/complaints/{each}").status_code == 200
        assert client.post(f"/staff/complaints/{each}/reveal").status_code == 200
        accepted = client.post(f"/staff/complaints/{each}/accept", data={"complexity": "simple"})
        assert accepted.status_code in (200, 303)
    assert client.get("/staff/complaint-corrections").status_code == 200
    assert client.get("/staff/complaints").status_code == 200

    # The API equivalents.
    worker = api_token(demo_users["worker"], DEMO_PASSWORD)
    staff = api_token(users["staff"])
    assert client.get("/api/v1/me/complaints", headers=worker).status_code == 200
    assert client.get("/api/v1/me/data", headers=worker).status_code == 200
    assert client.get(f"/api/v1/staff/complaints/{anon_number}", headers=staff).status_code == 200
    queue = client.get("/api/v1/staff/complaint-corrections", headers=staff).get_json()
    decided = client.post(
        f"/api/v1/staff/complaint-corrections/{queue['items'][0]['id']}",
        json={"accept": True},
        headers=staff,
    )
    assert decided.status_code == 200

    text = captured.text
    assert len(captured.lines) > 0  # the capture works (SQL statements at least)
    leaks = sorted(secret for secret in secrets if secret and secret in text)
    assert leaks == [], f"personal data in the logs: {leaks}"
