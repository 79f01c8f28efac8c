"""Complaints in a real browser: an anonymous complaint filed, its receipt read, tracked with
the receipt code; the secretariat accepts it; the tracker sees the decision. axe-core runs on
every page on the way (zh-CN, the default language)."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from playwright.sync_api import expect
from sqlalchemy import select

from portal.complaints.models import Complaint, ComplaintCorrection
from portal.complaints.states import STATUS_LABELS, Status
from portal.extensions import db
from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    assert_accessible,
    in_locale,
    login,
    screenshot,
)

pytestmark = pytest.mark.browser


def zh(live_app, message):
    return in_locale(live_app, "zh_CN", message)


def file_anonymously(tab, live_app) -> tuple[str, str]:
    tab.goto("/complaints/new")
    assert_accessible(tab)
    tab.locator("#member_no").select_option(index=1)
    tab.locator("#subtype").select_option("wrong_report")
    tab.locator("#description").fill("体检报告说我的听力正常，但复查发现双耳高频听力下降，请核查。")
    tab.locator("#name").fill("测试 劳动者")
    tab.locator("#phone").fill("13800000001")
    tab.locator("main form[enctype] button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/complaints/receipt$"))
    number = tab.locator(".receipt-card .tracking-number").inner_text()
    code = tab.locator(".receipt-code").inner_text()
    assert re.fullmatch(r"TS-\d{4}-\d{6}", number)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    return number, code


def track(tab, number: str, code: str) -> None:
    tab.goto("/complaints/track")
    tab.locator("#tracking_number").fill(number)
    tab.locator("#receipt_code").fill(code)
    tab.locator("main form button[type=submit]").click()


def test_file_track_accept_and_see_the_decision(new_page, live_app):
    tracker = new_page()
    number, code = file_anonymously(tracker, live_app)
    assert_accessible(tracker)  # the receipt
    screenshot(tracker, "complaint-receipt-zh-desktop")
    tracker.reload()  # shown once
    expect(tracker.locator(".receipt-code")).to_have_count(0)

    track(tracker, number, code)
    expect(tracker.locator("main h1")).to_contain_text(number)
    expect(tracker.locator(".case-facts .status-badge")).to_have_text(
        zh(live_app, STATUS_LABELS[Status.RECEIVED])
    )
    assert number not in tracker.url and code not in tracker.url
    assert_accessible(tracker)
    screenshot(tracker, "complaint-track-result-zh-desktop")

    staff = new_page()
    login(staff, "staff")
    staff.goto("/staff/complaints")
    assert_accessible(staff)
    screenshot(staff, "complaints-dashboard-zh-desktop")
    staff.get_by_role("link", name=number).click()
    expect(staff).to_have_url(re.compile(rf"/staff/complaints/{number}$"))
    assert_accessible(staff)
    screenshot(staff, "complaint-staff-page-zh-desktop")
    accept = staff.locator("form[action$='/accept']")
    accept.locator("input[value=simple]").check()
    accept.locator("button[type=submit]").click()
    expect(staff.locator(".flash-messages")).to_be_visible()
    expect(staff.locator("h1 + .status-badge")).to_have_text(
        zh(live_app, STATUS_LABELS[Status.ACCEPTED])
    )
    expect(staff.locator("form[action$='/accept']")).to_have_count(0)  # no longer offered
    assert_accessible(staff)

    track(tracker, number, code)
    expect(tracker.locator(".case-facts .status-badge")).to_have_text(
        zh(live_app, STATUS_LABELS[Status.ACCEPTED])
    )
    timeline = tracker.locator(".timeline")
    expect(timeline).to_contain_text(zh(live_app, lambda: gettext("Accepted")))
    expect(tracker.locator("progress")).to_have_count(1)  # the closing deadline runs


def test_a_wrong_code_is_refused_without_saying_whether_the_number_exists(tab, live_app):
    track(tab, "TS-2026-999999", "AAAA-BBBB-CCCC")
    expect(tab.locator("#error-summary")).to_be_visible()
    expect(tab.locator("#receipt_code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(tab)


def test_the_form_works_without_javascript_on_a_phone(new_page, live_app):
    tab = new_page(viewport=MOBILE, java_script_enabled=False)
    tab.goto("/complaints/new")
    tab.locator("#description").fill("太短")
    tab.locator("main form[enctype] button[type=submit]").click()
    expect(tab.locator("#error-summary")).to_be_visible()
    expect(tab.locator("#description")).to_have_value("太短")  # nothing typed is lost
    assert tab.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot(tab, "complaint-form-errors-zh-mobile")
    checked = new_page(viewport=MOBILE)  # axe needs scripts: the same page, scripts on
    checked.goto("/complaints/new")
    checked.locator("main form[enctype] button[type=submit]").click()
    assert checked.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(checked)


def test_more_complaint_pages_are_accessible(new_page, live_server):
    for locale in ("zh_CN", "en"):
        tab = new_page(viewport=DESKTOP)
        tab.context.add_cookies([{"name": "lang", "value": locale, "url": live_server}])
        tab.goto("/complaints/statistics")
        assert_accessible(tab)
        screenshot(tab, f"complaint-statistics-{locale}-desktop")
        tab.goto("/complaints/track")
        assert_accessible(tab)
        login(tab, "worker")
        tab.goto("/my/complaints")
        assert_accessible(tab)
        first = tab.locator("main table a.tracking-number").first
        if first.count():
            first.click()
            assert_accessible(tab)
            screenshot(tab, f"complaint-mine-{locale}-desktop")


def test_the_agency_and_the_panel_pages_are_accessible(new_page):
    tab = new_page()
    login(tab, "member")
    tab.goto("/agency/complaints")
    assert_accessible(tab)
    first = tab.locator("main table a.tracking-number").first
    if first.count():
        first.click()
        assert_accessible(tab)
        screenshot(tab, "complaint-agency-page-zh-desktop")
    other = new_page()
    login(other, "committee")
    other.goto("/panel/complaints")
    assert_accessible(other)
    staff = new_page()
    login(staff, "staff")
    staff.goto("/staff/complaints/new")
    assert_accessible(staff)
    staff.goto("/staff/complaints?queue=overdue")
    assert_accessible(staff)
    screenshot(staff, "complaints-dashboard-overdue-zh-desktop")


def test_staff_open_a_correction_request_only_on_purpose(new_page, live_app):
    with live_app.app_context():
        complaint = db.session.scalars(
            select(Complaint).where(Complaint.erased_at.is_(None)).order_by(Complaint.id)
        ).first()
        correction = ComplaintCorrection(
            complaint_id=complaint.id, field="phone", proposed="13900005555", reason="换了新号码"
        )
        db.session.add(correction)
        db.session.commit()
        correction_id = correction.id
    staff = new_page()
    login(staff, "staff")
    staff.goto("/staff/complaint-corrections")
    card = staff.locator(f"section[aria-labelledby='r-{correction_id}']")
    expect(card).to_contain_text("139****5555")
    expect(card).not_to_contain_text("13900005555")
    assert_accessible(staff)
    screenshot(staff, "complaint-corrections-masked-zh-desktop")
    with staff.expect_navigation():
        card.locator("form[action$='/reveal'] button").click()
    card = staff.locator(f"section[aria-labelledby='r-{correction_id}']")
    expect(card).to_contain_text("13900005555")
    expect(card).to_contain_text("换了新号码")
    assert_accessible(staff)
    screenshot(staff, "complaint-corrections-opened-zh-desktop")
