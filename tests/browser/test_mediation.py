"""Mediation in a real browser: the demo case, from both parties agreeing to a confirmed
agreement, then the case file downloaded as PDF (with the Chinese font embedded). axe-core
runs on the pages on the way (zh-CN, the default language)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import clock
from tests.browser.conftest import MOBILE, assert_accessible, login, screenshot
from tests.mediation.test_pdf import cjk_font_embedded

pytestmark = pytest.mark.browser

WIDER_THAN_THE_SCREEN = (
    "[...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 2)"
    ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
)


def open_case(tab, list_path: str) -> str:
    tab.goto(list_path)
    assert_accessible(tab)
    link = tab.locator("table.data-table tbody th a").first
    number = link.inner_text()
    link.click()
    expect(tab.locator("main h1")).to_contain_text(number)
    return number


def submit(tab, action: str) -> None:
    tab.locator(f"form[action$='/{action}'] button[type=submit]").click()
    expect(tab.locator(".flash-messages")).to_be_visible()


def test_a_case_from_consent_to_a_confirmed_agreement_and_its_pdf(new_page, live_app):
    agency = new_page()
    login(agency, "member")
    number = open_case(agency, "/agency/mediation")
    assert_accessible(agency)
    submit(agency, "consent")

    worker = new_page()
    login(worker, "worker")
    assert open_case(worker, "/my/mediation") == number
    submit(worker, "consent")
    expect(worker.locator("#panel-title + ul li")).not_to_have_count(0)

    staff = new_page()
    login(staff, "staff")
    staff.goto(f"/staff/mediation/{number}")
    assert_accessible(staff)
    screenshot(staff, "mediation-staff-case-zh-desktop")
    when = clock.shanghai(datetime.now(clock.SHANGHAI)) + timedelta(days=1)
    session = staff.locator("form[action$='/session']")
    session.locator("#starts_at").fill(when.strftime("%Y-%m-%dT10:00"))
    session.locator("#place").fill("协会三楼调解室")
    submit(staff, "session")
    staff.locator("form[action$='/agreement'] textarea").fill(
        "双方同意：机构于十个工作日内免费为申请人复查肺功能，并更正原体检报告；申请人撤回投诉。"
    )
    submit(staff, "agreement")

    worker.reload()
    assert_accessible(worker)
    screenshot(worker, "mediation-worker-confirm-zh-desktop")
    submit(worker, "confirm")
    agency.reload()
    submit(agency, "confirm")
    expect(agency.locator("h1 + .status-badge")).to_have_class(re.compile("text-bg-success"))

    worker.reload()
    with worker.expect_download() as download_info:
        worker.locator("a[href$='/file.pdf']").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert cjk_font_embedded(data, "双方同意机构复查")

    staff.goto(f"/mediation/{number}/file")
    screenshot(staff, "mediation-case-file-print-zh")

    phone = new_page(viewport=MOBILE)
    login(phone, "worker")
    phone.goto(f"/my/mediation/{number}")
    wide = phone.evaluate(WIDER_THAN_THE_SCREEN)  # named in the failure message
    assert phone.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], wide
    assert_accessible(phone)
    screenshot(phone, "mediation-worker-case-zh-mobile")
