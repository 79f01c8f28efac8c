"""Ratings and inspections in a real browser, on the demo data (zh-CN): the public list
with its filters, the formula, a profile's rating block with its chart, the public draw;
the agency's rating with its reasons; the secretariat's figures and anomaly pages. axe-core
and the CSP watch run on each page; screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, assert_accessible, login, logout, screenshot

pytestmark = pytest.mark.browser


def test_public_ratings_formula_profile_and_draw(tab, new_page):
    tab.goto("/ratings")
    assert_accessible(tab)
    rows = tab.locator("main table tbody tr")
    assert rows.count() >= 3
    screenshot(tab, "ratings-index")
    tab.locator("#grade").select_option("not_rated")
    tab.locator("main form[role=search] button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"grade=not_rated"))
    tab.goto("/ratings/formula")
    assert_accessible(tab)
    screenshot(tab, "ratings-formula")
    tab.goto("/ratings")
    tab.locator("main table tbody tr th a").first.click()
    expect(tab.locator("#rating-title")).to_be_visible()
    chart = tab.locator("img.rating-chart")
    expect(chart).to_be_visible()
    # visible is not loaded: the chart is drawn on the server and may arrive a moment later
    tab.wait_for_function("document.querySelector('img.rating-chart').naturalWidth > 0")
    assert_accessible(tab)
    screenshot(tab, "ratings-profile")
    tab.goto("/inspections")
    tab.locator("main ul li a").first.click()
    expect(tab.locator("code.seed").first).to_be_visible()
    assert_accessible(tab)
    screenshot(tab, "inspections-draw")
    phone = new_page(MOBILE)
    phone.goto("/ratings")
    screenshot(phone, "ratings-index-mobile")


def test_agency_and_secretariat_pages(tab):
    login(tab, "member")
    tab.goto("/agency/rating")
    assert_accessible(tab)
    screenshot(tab, "ratings-agency")
    tab.goto("/agency/figures")
    assert_accessible(tab)
    screenshot(tab, "ratings-agency-figures")
    logout(tab)
    login(tab, "staff")
    tab.goto("/staff/ratings?status=all")
    assert_accessible(tab)
    screenshot(tab, "ratings-staff")
    tab.goto("/staff/ratings/anomalies")
    assert_accessible(tab)
    assert tab.locator("main table tbody tr td ul li").count() >= 1
    screenshot(tab, "ratings-anomalies")
    tab.goto("/staff/inspections")
    assert_accessible(tab)
    tab.set_viewport_size(DESKTOP)
