"""The wizard's pages: a step saves what was typed even when wrong and shows why, moves on only
when complete, keeps scans, offers "continue later", survives the end of a session."""

from __future__ import annotations

import io
import re

import pytest

from portal.members.services import access, applications
from tests.files.samples import HTML, PDF
from tests.members.factories import complete_application


@pytest.fixture
def started(client, login, agency, today):
    login(agency)
    response = client.post("/agency/applications", data={"kind": "new"})
    assert response.status_code == 303
    application = applications.open_application(access.member_of(agency))
    assert response.headers["Location"].endswith(
        f"/agency/applications/{application.id}/steps/agency"
    )
    return application


def step_url(application, step):
    return f"/agency/applications/{application.id}/steps/{step}"


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html


def test_every_step_shows_the_live_checklist(client, started):
    for step in (
        "agency",
        "licence",
        "qualification",
        "premises",
        "equipment",
        "quality",
        "staff",
        "summary",
    ):
        response = client.get(step_url(started, step))
        html = response.get_data(as_text=True)
        assert response.status_code == 200, step
        assert 'id="checklist-title"' in html and 'aria-current="step"' in html
        no_inline_code(html)


def test_a_wrong_step_is_saved_as_typed_and_shown_again_with_its_errors(client, started, db):
    response = client.post(
        step_url(started, "agency"),
        data={
            "agency_type": "examination",
            "name": "华",
            "province": "99",
            "city": "",
            "action": "next",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="华"' in html and 'id="error-summary"' in html
    assert html.count('aria-invalid="true"') == 3  # name, province, city
    assert '<option value="99" selected>99</option>' in html  # an unknown value stays visible
    db.session.refresh(started)
    assert started.draft["name"] == "华" and started.draft["province"] == "99"
    # Coming back later shows the same values and problems.
    html = client.get(step_url(started, "agency")).get_data(as_text=True)
    assert 'value="华"' in html and 'aria-invalid="true"' in html


def test_a_complete_step_moves_on(client, started):
    response = client.post(
        step_url(started, "agency"),
        data={
            "agency_type": "examination",
            "name": "北京康宁职业健康体检中心",
            "province": "11",
            "city": "北京",
            "action": "next",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(step_url(started, "licence"))


def test_save_and_continue_later_keeps_an_unfinished_step(client, started, db):
    response = client.post(
        step_url(started, "premises"), data={"premises_m2": "两百", "action": "later"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/agency")
    db.session.refresh(started)
    assert started.draft["premises_m2"] == "两百"
    home = client.get("/agency").get_data(as_text=True)
    assert f"/agency/applications/{started.id}" in home


def test_an_invalid_date_stays_visible_as_typed(client, started, agency):
    applications.save_step(
        agency, started, "qualification", {"qualification_valid_to": "2026-13-45"}
    )
    html = client.get(step_url(started, "qualification")).get_data(as_text=True)
    assert re.search(
        r'type="text" id="qualification_valid_to" name="qualification_valid_to" '
        r'value="2026-13-45"',
        html,
    )
    assert re.search(r'type="date" id="qualification_valid_from"', html)


def test_a_scan_is_checked_by_content_and_the_typed_values_are_kept(client, started, db):
    response = client.post(
        step_url(started, "licence"),
        data={
            "credit_code": "91110105MA01B2C3D",
            "action": "next",
            "file-licence": (io.BytesIO(HTML), "营业执照.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="file-licence-error"' in html
    db.session.refresh(started)
    assert started.draft["credit_code"] == "91110105MA01B2C3D"
    assert applications.slots_of(started) == set()

    response = client.post(
        step_url(started, "licence"),
        data={
            "credit_code": "91110105MA01B2C3D",
            "action": "stay",
            "file-licence": (io.BytesIO(PDF), "营业执照.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422  # the code's check character is still wrong
    assert applications.slots_of(started) == {"licence"}
    html = response.get_data(as_text=True)
    assert "营业执照.pdf" in html and "/files/" in html


def test_instrument_rows_are_added_and_removed(client, started, db):
    html = client.get(step_url(started, "equipment")).get_data(as_text=True)
    key = re.search(r'name="instruments-0-key" value="([^"]+)"', html).group(1)
    response = client.post(
        step_url(started, "equipment"),
        data={
            "instruments-count": "1",
            "instruments-0-key": key,
            "instruments-0-kind": "spirometer",
            "instruments-0-calibration_certificate": "JL-1",
            "instruments-0-calibration_expires": "2026-12-31",
            "instruments-0-file": (io.BytesIO(PDF), "肺功能仪检定证书.pdf"),
            "action": "stay",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.session.refresh(started)
    assert [row["key"] for row in started.draft["instruments"]] == [key]
    assert applications.slots_of(started) == {f"calibration:{key}"}
    html = client.get(step_url(started, "equipment")).get_data(as_text=True)
    assert 'name="instruments-1-key"' in html  # an empty row to add another
    response = client.post(
        step_url(started, "equipment"),
        data={
            "instruments-count": "2",
            "instruments-0-key": key,
            "instruments-0-kind": "spirometer",
            "instruments-0-remove": "1",
            "instruments-1-key": "abcd1234",
            "action": "stay",
        },
    )
    db.session.refresh(started)
    assert started.draft["instruments"] == []


def test_the_summary_submits_a_complete_application(client, login, agency, today, db):
    application = complete_application(agency, today)
    login(agency)
    html = client.get(step_url(application, "summary")).get_data(as_text=True)
    assert "Submit" in html or "提交" in html
    assert f'action="/agency/applications/{application.id}/submit"' in html
    response = client.post(f"/agency/applications/{application.id}/submit")
    assert response.status_code == 303
    db.session.refresh(application)
    assert application.status == "submitted"
    # Locked now: the steps send the applicant to the read-only page.
    response = client.get(step_url(application, "premises"))
    assert response.status_code == 303 and "read=1" in response.headers["Location"]
    page = client.get(f"/agency/applications/{application.id}?read=1")
    assert page.status_code == 200 and 'id="checklist-title"' in page.get_data(as_text=True)


def test_another_agencys_wizard_is_not_found(client, login, agency, rival, today):
    application = applications.start(agency)
    login(rival)
    assert client.get(step_url(application, "agency")).status_code == 404
    assert client.post(step_url(application, "agency"), data={"name": "x"}).status_code == 404
    assert client.get(f"/agency/applications/{application.id}").status_code == 404
    assert client.post(f"/agency/applications/{application.id}/submit").status_code == 404
    assert application.draft == {"name": agency.display_name}


def test_what_was_typed_after_the_session_ended_is_offered_after_signing_in(
    client, login, started, agency, db
):
    client.get(step_url(started, "agency"))  # the wizard is open in this browser
    agency.session_version += 1  # e.g. the password was changed on another device
    db.session.commit()
    response = client.post(
        step_url(started, "agency"),
        data={
            "agency_type": "hygiene_service",
            "name": "粤安职业卫生技术服务有限公司",
            "province": "44",
            "city": "广州",
            "action": "next",
        },
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(started)
    assert "province" not in started.draft  # nothing saved without a signed-in owner
    login(agency)
    html = client.get(step_url(started, "agency")).get_data(as_text=True)
    assert 'value="粤安职业卫生技术服务有限公司"' in html and "alert-warning" in html
    assert 'value="hygiene_service" checked' in html
    html = client.get(step_url(started, "agency")).get_data(as_text=True)
    assert "粤安职业卫生技术服务有限公司" not in html  # offered once, then forgotten


def test_a_rescue_is_never_offered_to_another_agency(client, login, started, agency, rival, db):
    client.get(step_url(started, "agency"))
    agency.session_version += 1
    db.session.commit()
    client.post(step_url(started, "agency"), data={"name": "别人的数据", "action": "next"})
    login(rival)
    assert client.get(step_url(started, "agency")).status_code == 404
