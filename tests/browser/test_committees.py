"""Committees in a real browser (zh-CN, the demo data): the public composition and
resolutions; the demo `committee` user finds the open motion under "My votes" and votes with
the password again; the secretariat follows participation and reads a closed resolution;
administrators see the seats and the ties. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from playwright.sync_api import expect
from sqlalchemy import select

from portal.committees.demo import CLOSED_TITLE, OPEN_TITLE
from portal.committees.models import Committee, Motion
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from tests.browser.conftest import (
    MOBILE,
    assert_accessible,
    in_locale,
    login,
    screenshot,
)

pytestmark = pytest.mark.browser


def _ids(live_app) -> dict[str, int]:
    with live_app.app_context():
        motions = {m.title: m.id for m in db.session.scalars(select(Motion))}
        board = db.session.scalar(select(Committee).where(Committee.kind == "self_regulation"))
        return {"open": motions[OPEN_TITLE], "closed": motions[CLOSED_TITLE], "board": board.id}


def test_the_public_sees_composition_and_resolutions(tab, live_app):
    tab.goto("/committees")
    expect(tab.locator("main h1")).to_have_text("委员会与决议")
    expect(tab.locator("main")).to_contain_text("自律委员会")
    expect(tab.locator("main")).to_contain_text(CLOSED_TITLE)
    expect(tab.locator("main")).not_to_contain_text(OPEN_TITLE)
    assert_accessible(tab)
    screenshot(tab, "committees-public")
    tab.get_by_role("link", name=CLOSED_TITLE).click()
    expect(tab.locator("main")).to_contain_text("赞成")
    expect(tab.locator("main")).not_to_contain_text("过渡期偏短")  # reasons are not public
    assert_accessible(tab)
    screenshot(tab, "committees-resolution")


def test_a_committee_member_votes_with_the_password_again(tab, live_app):
    ids = _ids(live_app)
    login(tab, "committee")
    tab.goto("/dashboard")
    tab.get_by_role("link", name="我的表决").click()
    expect(tab).to_have_url(re.compile(r"/committee/votes$"))
    assert_accessible(tab)
    screenshot(tab, "committees-my-votes")
    tab.get_by_role("link", name=OPEN_TITLE).click()
    expect(tab).to_have_url(re.compile(rf"/committee/motions/{ids['open']}$"))
    assert_accessible(tab)
    screenshot(tab, "committees-vote-form")

    tab.locator("input[name=choice][value=abstain]").check()
    tab.locator("#reason").fill("需要先看到专项检查的方案。")
    tab.locator("#password").fill("not-my-password")
    tab.get_by_role("button", name="提交我的表决票").click()
    expect(tab.locator("#password-error")).to_have_text(
        in_locale(live_app, "zh_CN", lambda: gettext("The password is wrong."))
    )
    expect(tab.locator("#reason")).to_have_value("需要先看到专项检查的方案。")
    assert_accessible(tab)
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="提交我的表决票").click()
    expect(tab.locator(".flash-messages")).to_contain_text("您的表决已记录")
    expect(tab.locator("main")).to_contain_text("弃权")
    expect(tab.locator("#password")).to_have_count(0)
    screenshot(tab, "committees-voted")


def test_the_motion_page_on_a_phone(new_page, live_app):
    ids = _ids(live_app)
    phone = new_page(viewport=MOBILE)
    login(phone, "committee")
    phone.goto(f"/committee/motions/{ids['closed']}")
    expect(phone.locator("main")).to_contain_text("各委员表决情况")
    assert_accessible(phone)
    screenshot(phone, "committees-closed-mobile")


def test_the_secretariat_follows_participation_and_reads_results(tab, live_app):
    ids = _ids(live_app)
    login(tab, "staff")
    tab.goto("/secretariat/motions")
    assert_accessible(tab)
    screenshot(tab, "committees-motions")
    tab.goto(f"/secretariat/motions/{ids['open']}")
    expect(tab.locator("main")).to_contain_text("投票进度")
    expect(tab.locator("main")).not_to_contain_text("各委员表决情况")
    assert_accessible(tab)
    screenshot(tab, "committees-participation")
    tab.goto(f"/secretariat/motions/{ids['closed']}")
    expect(tab.locator("main")).to_contain_text("过渡期偏短")
    assert_accessible(tab)
    screenshot(tab, "committees-result-staff")
    tab.goto("/secretariat/motions/new")
    assert_accessible(tab)
    screenshot(tab, "committees-draft-form")


def test_administrators_see_seats_composition_and_ties(tab, live_app):
    ids = _ids(live_app)
    login(tab, "admin")
    tab.goto("/admin/committees")
    assert_accessible(tab)
    tab.goto(f"/admin/committees/{ids['board']}")
    expect(tab.locator("main")).to_contain_text("委员会符合人员构成要求")
    assert_accessible(tab)
    screenshot(tab, "committees-admin-detail")
    tab.goto("/admin/committees/ties")
    expect(tab.locator("main")).to_contain_text("天津滨海职业健康检查中心")
    assert_accessible(tab)
    screenshot(tab, "committees-admin-ties")
