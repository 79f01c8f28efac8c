"""The public register in a real browser: a visitor searches the blacklist, opens a
decision, and reads the agency's profile block; the decisions list and the open-data page.
axe-core runs on every page (zh-CN, the default language)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.publication.models import PublicEntry
from tests.browser.conftest import MOBILE, assert_accessible, login, screenshot

pytestmark = pytest.mark.browser


def listed_entry(live_app) -> tuple[str, str, str]:
    with live_app.app_context():
        entry = db.session.scalar(
            select(PublicEntry)
            .where(PublicEntry.blacklist.is_(True), PublicEntry.ended_on.is_(None))
            .order_by(PublicEntry.id)
        )
        return entry.decision_no, entry.member.name, entry.member.member_no


def test_a_visitor_searches_the_blacklist_and_opens_a_decision(tab, live_app):
    decision_no, agency, member_no = listed_entry(live_app)
    tab.goto("/")
    tab.locator("nav.main-nav a[href='/blacklist']").click()
    expect(tab).to_have_url(re.compile(r"/blacklist$"))
    assert_accessible(tab)
    screenshot(tab, "blacklist-zh-desktop")

    tab.locator("#q").fill(agency[:4])
    tab.locator("form[role=search] button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/blacklist\?"))
    rows = tab.locator("table.blacklist-table tbody tr")
    expect(rows.first).to_contain_text(agency)
    assert_accessible(tab)

    tab.locator("#q").fill("没有这个机构")
    tab.locator("form[role=search] button[type=submit]").click()
    expect(tab.locator("table.blacklist-table tbody tr")).to_have_count(1)
    expect(tab.locator("table.blacklist-table tbody td")).to_have_count(1)  # the empty row

    tab.goto(f"/blacklist?q={member_no}")
    tab.get_by_role("link", name=decision_no).click()
    expect(tab).to_have_url(re.compile(rf"/decisions/{decision_no}$"))
    expect(tab.locator("main h1")).to_be_visible()
    expect(tab.locator(".entry-facts")).to_contain_text(decision_no)
    assert_accessible(tab)
    screenshot(tab, "decision-zh-desktop")

    tab.get_by_role("link", name=agency).first.click()
    expect(tab.locator("#public-sanctions-title")).to_be_visible()
    expect(tab.locator(".public-sanctions")).to_contain_text(decision_no)
    assert_accessible(tab)
    screenshot(tab, "member-profile-sanctions-zh-desktop")


def test_the_decisions_list_and_open_data_on_a_phone(new_page, live_app):
    tab = new_page(viewport=MOBILE)
    tab.goto("/decisions")
    expect(tab.locator("table.decisions-table tbody tr").first).to_be_visible()
    assert_accessible(tab)
    screenshot(tab, "decisions-zh-mobile")
    tab.locator("#level").select_option("serious")
    tab.locator("form[role=search] button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"level=serious"))
    assert_accessible(tab)
    tab.goto("/open-data")
    assert_accessible(tab)
    screenshot(tab, "open-data-zh-mobile")


def test_the_agency_sees_its_entry_and_the_staff_their_queues(new_page, live_app):
    agency = new_page()
    login(agency, "member")
    agency.goto("/agency/publication")
    assert_accessible(agency)
    agency.locator("main table a").first.click()
    expect(agency.locator("#statement")).to_be_visible()
    assert_accessible(agency)
    screenshot(agency, "publication-agency-entry-zh-desktop")

    staff = new_page()
    login(staff, "staff")
    for path, name in (
        ("/staff/publication/disputes", "publication-staff-disputes-zh-desktop"),
        ("/staff/publication/repairs", "publication-staff-repairs-zh-desktop"),
    ):
        staff.goto(path)
        assert_accessible(staff)
        screenshot(staff, name)
        staff.locator("main table tbody a").first.click()  # the demo has one of each waiting
        expect(staff.locator("main form button[type=submit]")).to_be_visible()
        assert_accessible(staff)
        screenshot(staff, name.replace("-zh-", "-detail-zh-"))
