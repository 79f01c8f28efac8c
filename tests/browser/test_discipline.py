"""Discipline in a real browser (zh-CN, the demo data), from a case to the committee's vote,
the agency's appeal, the appeal committee and the sanction taking effect. The clock of the
live server is moved past each vote's closing time (and put back at the end); the other
committee members' votes are cast through the services. axe-core runs on every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import gettext
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.committees import voting
from portal.committees.models import Motion
from portal.committees.tasks import close_due
from portal.demo import DEMO_PASSWORD
from portal.discipline.models import Decision, DisciplineCase
from portal.extensions import db
from portal.members.models import Member
from tests.browser.conftest import MOBILE, assert_accessible, in_locale, login, logout, screenshot

pytestmark = pytest.mark.browser

AGENCY, AGENCY_USER = "辽宁盛京职业卫生评价有限公司", "agency-shenyang"
SUMMARY = "检测报告未按规定留存原始记录"


def _zh(live_app, text: str) -> str:
    return in_locale(live_app, "zh_CN", lambda: gettext(text))


def _vote_and_close(live_app, motion_id: int, skip: set[str]) -> None:
    """Everyone eligible but `skip` votes yes; the clock passes the closing time; the sweep
    closes the vote (and runs discipline's hook)."""
    with live_app.app_context():
        motion = db.session.get(Motion, motion_id)
        for voter in motion.voters:
            if voter.user.username not in skip and voting.can_vote(voter.user, motion):
                voting.cast_vote(voter.user, motion, choice="yes", password=DEMO_PASSWORD)
        db.session.commit()
        clock.set_now(motion.closes_at + timedelta(minutes=1))
        close_due()
        db.session.commit()


def test_from_case_to_vote_to_appeal_to_effect(tab, live_app):
    with live_app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.name == AGENCY))
    try:
        _walk(tab, live_app, member_id)
    finally:
        clock.reset()


def _walk(tab, live_app, member_id: int) -> None:
    login(tab, "staff")
    tab.goto("/staff/discipline")
    expect(tab.locator("main h1")).to_have_text(_zh(live_app, "Discipline"))
    assert_accessible(tab)
    screenshot(tab, "discipline-queue")

    tab.goto("/staff/discipline/cases/new")
    tab.locator("#member_id").select_option(str(member_id))
    tab.locator("#source").select_option("inspection")
    tab.locator("#source_ref").fill("INS-2026-021")
    tab.locator("#summary").fill(SUMMARY)
    tab.locator("#findings").fill("抽查的15份检测报告中有4份无法提供现场采样原始记录。")
    assert_accessible(tab)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/staff/discipline/cases/\d+$"))
    case_url = tab.url

    form = tab.locator("form[action$='/propose']")
    form.locator("input[name=level][value=general]").check()
    form.locator("input[name=measures][value=expulsion]").check()
    form.locator("#publication_months").fill("3")
    form.locator("#reasons").fill("违反《自律公约》第三章关于原始记录留存的规定。")
    form.locator("button[type=submit]").click()
    expect(tab.locator("#measures-error")).to_be_visible()  # outside its level: refused
    assert_accessible(tab)
    form = tab.locator("form[action$='/propose']")
    form.locator("input[name=measures][value=expulsion]").uncheck()
    form.locator("input[name=measures][value=written_warning]").check()
    form.locator("input[name=measures][value=public_criticism]").check()
    form.locator("button[type=submit]").click()
    expect(tab.locator(".flash-messages")).to_contain_text(_zh(live_app, "Sanction proposed."))
    tab.locator("form[action$='/submit'] #voting_days").fill("1")
    tab.locator("form[action$='/submit'] button[type=submit]").click()
    expect(tab.locator(".flash-messages")).to_contain_text(
        _zh(live_app, "Put to the self-regulation committee's vote.")
    )
    assert_accessible(tab)
    screenshot(tab, "discipline-case-voting")
    with live_app.app_context():
        case = db.session.scalar(select(DisciplineCase).where(DisciplineCase.summary == SUMMARY))
        case_id, motion_id = case.id, case.motion_id
    logout(tab)

    login(tab, "committee")
    tab.goto(f"/committee/motions/{motion_id}")
    tab.locator("input[name=choice][value=yes]").check()
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form button[type=submit]").first.click()
    expect(tab.locator(".flash-messages")).to_be_visible()
    logout(tab)
    _vote_and_close(live_app, motion_id, skip={"committee"})
    with live_app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.case_id == case_id))
        decision_id, number = decision.id, decision.number

    login(tab, AGENCY_USER)
    tab.goto("/agency/discipline")
    expect(tab.locator("main")).to_contain_text(number)
    assert_accessible(tab)
    tab.get_by_role("link", name=number).click()
    expect(tab).to_have_url(re.compile(rf"/agency/discipline/decisions/{decision_id}$"))
    assert_accessible(tab)
    screenshot(tab, "discipline-agency-decision")
    tab.locator("#grounds").fill("原始记录因服务器故障丢失，已恢复并提交备份，请求撤销处分。")
    tab.locator("form[action$='/appeal'] button[type=submit]").click()
    expect(tab.locator(".flash-messages")).to_contain_text(
        _zh(
            live_app,
            "Your appeal has been filed. The sanction is not executed while it is pending.",
        )
    )
    screenshot(tab, "discipline-appealed")
    logout(tab)

    login(tab, "staff")
    tab.goto(f"/staff/discipline/decisions/{decision_id}")
    form = tab.locator("form[action$='/outcome']")
    form.locator("input[name=outcome][value=upheld]").check()
    form.locator("#reasons").fill("备份记录形成于检查之后，不能证明原始记录存在。")
    form.locator("#voting_days").fill("1")
    assert_accessible(tab)
    screenshot(tab, "discipline-outcome-form")
    form.locator("button[type=submit]").click()
    expect(tab.locator(".flash-messages")).to_contain_text(
        _zh(live_app, "Put to the appeal committee's vote.")
    )
    with live_app.app_context():
        appeal_motion = db.session.scalar(
            select(Decision).where(Decision.id == decision_id)
        ).appeal.motion_id
    _vote_and_close(live_app, appeal_motion, skip=set())
    login(tab, "staff")  # a day later: the secretariat's idle timeout has ended the session
    tab.goto(f"/staff/discipline/decisions/{decision_id}")
    expect(tab.locator("main")).to_contain_text(_zh(live_app, "In effect"))
    expect(tab.locator("main")).to_contain_text(_zh(live_app, "Uphold the decision"))
    assert_accessible(tab)
    screenshot(tab, "discipline-in-force")
    tab.goto(case_url)
    assert_accessible(tab)


def test_the_demo_pages_on_a_phone_and_the_letter(new_page, live_app):
    with live_app.app_context():
        serious = db.session.scalar(select(Decision).where(Decision.level == "serious"))
        minor = db.session.scalar(select(Decision).where(Decision.level == "minor"))
        ids = (serious.id, minor.id)
    phone = new_page(viewport=MOBILE)
    login(phone, "member")
    phone.goto(f"/agency/discipline/decisions/{ids[1]}")
    expect(phone.locator("#grounds")).to_be_visible()
    assert_accessible(phone)
    screenshot(phone, "discipline-agency-mobile")
    phone.goto("/agency/breaches/new")
    assert_accessible(phone)
    screenshot(phone, "discipline-breach-form")
    logout(phone)
    login(phone, "staff")
    phone.goto(f"/staff/discipline/decisions/{ids[0]}/letter")
    expect(phone.locator("main")).to_contain_text("OHA-D-")
    assert_accessible(phone)
    screenshot(phone, "discipline-letter")
    phone.goto("/staff/discipline/breaches")
    assert_accessible(phone)
    screenshot(phone, "discipline-breaches")
