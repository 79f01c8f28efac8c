"""Membership in a real browser: a new agency registers, fills the wizard step by step (with a
mistake on the way), lists its staff, submits; the secretariat approves from its queue; the
member appears in the public directory and its profile. axe-core runs on the wizard, the
queue, the directory and the profile (zh-CN, the default language)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.validators import make_credit_code
from tests.browser.conftest import assert_accessible, login, logout, screenshot

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages "
    b"/Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
NAME = "深圳安衡职业卫生检测有限公司"
PASSWORD = "browser-pass-2026"


def scan(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def next_step(tab) -> None:
    tab.locator("button[name=action][value=next]").click()
    tab.wait_for_load_state()


def register(tab, username: str) -> None:
    tab.goto("/register")
    tab.locator("input[name=role][value=member]").check()
    tab.locator("#username").fill(username)
    tab.locator("#display_name").fill(NAME)
    tab.locator("#email").fill(f"{username}@example.cn")
    tab.locator("#password").fill(PASSWORD)
    tab.locator("#confirm").fill(PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/dashboard$"))


def fill_wizard(tab) -> str:
    """From the agency page to the staff step; returns the application's wizard base URL."""
    today = clock.today()
    tab.goto("/agency")
    tab.locator("main form[action$='/agency/applications'] button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/agency/applications/\d+/steps/agency$"))
    base = tab.url.rsplit("/steps/", 1)[0]

    # Step 1, first with a mistake: the error summary and the field errors, then corrected.
    tab.locator("#name").fill("")
    next_step(tab)
    expect(tab.locator("#error-summary")).to_be_visible()
    expect(tab.locator("#name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(tab)
    screenshot(tab, "membership-wizard-error-zh-desktop")
    tab.locator("#agency_type-hygiene_service").check()
    tab.locator("#name").fill(NAME)
    tab.locator("#province").select_option("44")
    tab.locator("#city").fill("深圳")
    next_step(tab)
    expect(tab).to_have_url(re.compile(r"/steps/licence$"))

    tab.locator("#credit_code").fill(make_credit_code("91440300MA5B7WKE1"))
    tab.locator("#file-licence").set_input_files(scan("营业执照.pdf"))
    next_step(tab)
    expect(tab).to_have_url(re.compile(r"/steps/qualification$"))

    tab.locator("#qualification_number").fill("粤卫职技字〔2026〕第031号")
    tab.locator("#qualification_issuer").fill("广东省卫生健康委员会")
    tab.locator("#qualification_valid_from").fill((today - timedelta(days=200)).isoformat())
    tab.locator("#qualification_valid_to").fill((today + timedelta(days=1000)).isoformat())
    tab.locator("#scope-dust").check()
    tab.locator("#file-qualification").set_input_files(scan("资质证书.pdf"))
    next_step(tab)

    tab.locator("#premises_m2").fill("260")
    next_step(tab)
    expect(tab).to_have_url(re.compile(r"/steps/equipment$"))

    tab.locator("#instruments-0-kind").select_option("dust_sampler")
    tab.locator("#instruments-0-serial_number").fill("FC-2026-118")
    tab.locator("#instruments-0-calibration_certificate").fill("粤计检字2026-0456")
    tab.locator("#instruments-0-calibration_expires").fill(
        (today + timedelta(days=300)).isoformat()
    )
    tab.locator("#instruments-0-file").set_input_files(scan("粉尘采样器检定证书.pdf"))
    next_step(tab)
    expect(tab).to_have_url(re.compile(r"/steps/quality$"))

    for slot in ("quality_manual", "procedure_documents", "work_instructions"):
        tab.locator(f"#file-{slot}").set_input_files(scan(f"{slot}.pdf"))
    tab.locator("#iso9001_number").fill("00126Q30001R0S")
    tab.locator("#iso9001_issuer").fill("中国质量认证中心")
    tab.locator("#iso9001_valid_from").fill((today - timedelta(days=100)).isoformat())
    tab.locator("#iso9001_valid_to").fill((today + timedelta(days=900)).isoformat())
    tab.locator("#file-iso9001").set_input_files(scan("ISO9001证书.pdf"))
    next_step(tab)
    expect(tab).to_have_url(re.compile(r"/steps/staff$"))
    return base


def add_staff(tab) -> None:
    today = clock.today()
    tab.goto("/agency/staff/new")
    tab.locator("#name").fill("林思远")
    tab.locator("#role").select_option("hygiene_tester")
    tab.locator("#experience_years").fill("3")
    tab.locator("#first_assignment").fill((today - timedelta(days=3)).isoformat())
    tab.locator("#cert_college_diploma_related_field").check()
    tab.locator("#cert_provincial_training_certificate").check()
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/agency/staff/\d+$"))
    training = tab.locator("form[action$='/training']")
    training.locator("input[name=kind][value=pre_job]").check()
    training.locator("#hours").fill("64")
    training.locator("#completed_on").fill((today - timedelta(days=10)).isoformat())
    training.locator("button[type=submit]").click()
    expect(tab.locator(".alert-success").first).to_be_visible()


def test_an_application_from_the_first_step_to_the_public_profile(new_page, live_app):
    applicant = new_page()
    register(applicant, "shenzhen-anheng")
    base = fill_wizard(applicant)
    assert_accessible(applicant)  # the staff step, with the checklist
    add_staff(applicant)
    applicant.goto(f"{base}/steps/staff")
    next_step(applicant)
    expect(applicant).to_have_url(re.compile(r"/steps/summary$"))
    expect(applicant.locator(".checklist-summary")).to_have_class(
        re.compile("text-success-emphasis")
    )
    assert_accessible(applicant)
    screenshot(applicant, "membership-wizard-summary-zh-desktop")
    applicant.locator("form[action$='/submit'] button[type=submit]").click()
    expect(applicant).to_have_url(re.compile(r"/agency/applications/\d+$"))
    application_id = base.rsplit("/", 1)[1]

    staff = new_page()
    login(staff, "staff")
    staff.goto("/secretariat/applications")
    row_link = staff.locator(f"a[href$='/secretariat/applications/{application_id}']")
    expect(row_link).to_be_visible()
    assert_accessible(staff)
    screenshot(staff, "membership-queue-zh-desktop")
    row_link.click()
    assert_accessible(staff)
    screenshot(staff, "membership-review-zh-desktop")
    staff.locator("form[action$='/approve'] button[type=submit]").click()
    flash = staff.locator(".flash-messages .alert-success")
    expect(flash).to_contain_text(re.compile(r"OHA-\d{4}-\d{5}"))
    member_no = re.search(r"OHA-\d{4}-\d{5}", flash.inner_text()).group(0)
    logout(staff)

    visitor = new_page()
    visitor.goto("/members")
    visitor.locator("#q").fill("安衡")
    visitor.locator("main form[role=search] button[type=submit]").click()
    link = visitor.get_by_role("link", name=NAME)
    expect(link).to_be_visible()
    assert_accessible(visitor)
    screenshot(visitor, "membership-directory-zh-desktop")
    link.click()
    expect(visitor).to_have_url(re.compile(rf"/members/{member_no}$"))
    expect(visitor.locator("main h1")).to_have_text(NAME)
    assert_accessible(visitor)
    screenshot(visitor, "membership-profile-zh-desktop")

    # The applicant is told, in the portal.
    applicant.goto("/notifications")
    expect(applicant.locator("main")).to_contain_text(member_no)


def test_a_lapsed_member_is_flagged_in_the_directory_and_on_its_profile(tab):
    tab.goto("/members?status=lapsed")
    rows = tab.locator("main table tbody tr")
    expect(rows.first.locator("a")).to_be_visible()
    rows.first.locator("a").click()
    expect(tab.locator("main .alert-danger")).to_be_visible()
    assert_accessible(tab)
    screenshot(tab, "membership-profile-lapsed-zh-desktop")
