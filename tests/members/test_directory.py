"""The public directory and profiles: approved members only, search, filters, pages that keep
the filters, the same through the API; the advertising text and its forbidden phrases."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.errors import Conflict, ValidationFailed
from portal.members.models import Member
from portal.members.services import access, applications, profile, review
from tests.factories import make_user
from tests.members.factories import submitted_application, values
from tests.sign_in import token_request

PLACES = [("11", "北京"), ("44", "广州"), ("44", "深圳"), ("32", "苏州")]


@pytest.fixture
def members(db, secretary, today, upload_dir):
    """Four approved members, one applicant, one lapsed member."""
    made = []
    for n, (province, city) in enumerate(PLACES):
        user = make_user("member", username=f"dir{n}")
        agency_type = "hygiene_service" if n % 2 else "examination"
        from portal.members.constants import AgencyType

        application = submitted_application(
            user,
            today,
            agency_type=AgencyType(agency_type),
            province=province,
            city=city,
            name=f"第{n}职业健康机构",
            scope=("dust",) if n < 2 else ("chemical", "physical"),
        )
        review.approve(secretary, application)
        made.append(access.member_of(user))
    applicant = make_user("member", username="dirpending")
    submitted_application(applicant, today, name="尚未批准的机构")
    made[3].qualification_lapsed = True
    db.session.commit()
    return made


def numbers(response):
    return [item["member_no"] for item in response.get_json()["items"]]


def test_only_approved_members_are_listed(client, members):
    html = client.get("/members").get_data(as_text=True)
    assert html.count('href="/members/OHA-') == 4 and "尚未批准的机构" not in html
    assert len(numbers(client.get("/api/v1/public/members"))) == 4


def test_search_by_name_credit_code_or_member_number(client, members):
    assert numbers(client.get("/api/v1/public/members?q=第2职业")) == [members[2].member_no]
    code = members[1].credit_code
    assert numbers(client.get(f"/api/v1/public/members?q={code.lower()}")) == [members[1].member_no]
    assert numbers(client.get(f"/api/v1/public/members?q={members[3].member_no}")) == [
        members[3].member_no
    ]


def test_filters_by_region_type_scope_and_status(client, members):
    api = "/api/v1/public/members"
    assert numbers(client.get(f"{api}?province=44")) == [m.member_no for m in members[1:3]]
    assert numbers(client.get(f"{api}?type=hygiene_service")) == [
        members[1].member_no,
        members[3].member_no,
    ]
    assert numbers(client.get(f"{api}?scope=chemical")) == [m.member_no for m in members[2:]]
    assert numbers(client.get(f"{api}?status=lapsed")) == [members[3].member_no]
    assert len(numbers(client.get(f"{api}?status=active"))) == 3
    assert numbers(client.get(f"{api}?province=44&scope=dust")) == [members[1].member_no]
    bad = client.get(f"{api}?scope=noise&status=sleeping")
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"scope", "status"}
    html = client.get("/members?province=44&scope=dust").get_data(as_text=True)
    assert html.count('href="/members/OHA-') == 1
    assert 'value="44" selected' in html and 'value="dust" selected' in html


def test_pages_keep_the_filters(client, members):
    page = client.get("/api/v1/public/members?per_page=1&page=2&type=examination").get_json()
    assert page["page"] == {"page": 2, "per_page": 1, "total": 2, "pages": 2}
    html = client.get("/members?type=hygiene_service&q=%E7%AC%AC").get_data(as_text=True)
    assert "pagination" not in html  # 2 members fit on a page
    from portal.members.views import directory as view

    original = view.PER_PAGE
    view.PER_PAGE = 1
    try:
        html = client.get("/members?type=hygiene_service&province=").get_data(as_text=True)
    finally:
        view.PER_PAGE = original
    links = re.findall(r'href="(/members\?[^"]*page=2[^"]*)"', html)
    assert links and all("type=hygiene_service" in link for link in links)


def test_a_profile_shows_scope_validity_and_flags(client, members):
    html = client.get(f"/members/{members[3].member_no}").get_data(as_text=True)
    assert members[3].name in html and members[3].credit_code in html
    assert "alert-danger" in html  # qualification lapsed
    qualification = next(c for c in members[3].credentials if c.kind == "qualification")
    assert qualification.valid_to.isoformat() in html
    assert client.get("/members/OHA-1999-99999").status_code == 404
    detail = client.get(f"/api/v1/public/members/{members[3].member_no}").get_json()
    assert detail["qualification_lapsed"] is True and detail["status"] == "lapsed"
    assert detail["qualification_valid_to"] == qualification.valid_to.isoformat()


def test_an_expelled_member_keeps_its_profile_marked_expelled(client, db, members):
    """Off the directory, but its public record stays readable and says so."""
    from portal import clock

    expelled = members[0]
    expelled.expelled_at = clock.now()
    db.session.commit()
    html = client.get(f"/members/{expelled.member_no}").get_data(as_text=True)
    assert "已被协会除名" in html and "状态正常" not in html  # zh-CN: the default
    detail = client.get(f"/api/v1/public/members/{expelled.member_no}").get_json()
    assert detail["status"] == "expelled"


def test_the_directory_uses_indexes(db):
    indexed = {tuple(c.name for c in index.columns) for index in Member.__table__.indexes}
    # a province's members in number order: the page reads its rows from the index and stops
    assert {("province", "member_no"), ("agency_type",), ("qualification_lapsed",)} <= indexed
    from portal.members.models import Credential, MemberScope

    assert ("category", "member_id") in {
        tuple(c.name for c in i.columns) for i in MemberScope.__table__.indexes
    }
    assert ("valid_to",) in {tuple(c.name for c in i.columns) for i in Credential.__table__.indexes}


# --- the profile text and the forbidden phrases -------------------------------------------


def test_absolute_claims_are_refused_naming_the_phrase(client, login, members, db):
    user = db.session.scalar(select(Member).where(Member.id == members[0].id))
    agency_user = make_user("member", username="dirtext")
    from portal.members.models import MemberUser

    db.session.add(MemberUser(member_id=user.id, user_id=agency_user.id))
    db.session.commit()
    login(agency_user)
    response = client.post(
        "/agency/profile-text",
        data={"profile_text": "我们拥有国家级认证，ＮＯ．１的体检机构，100%治愈率。"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-invalid="true"' in html
    for phrase in ("国家级认证", "No.1", "100%治愈率"):
        assert phrase in html
    assert members[0].profile_text == ""
    response = client.post("/agency/profile-text", data={"profile_text": "提供职业健康检查。"})
    assert response.status_code == 303 and members[0].profile_text == "提供职业健康检查。"
    assert "提供职业健康检查。" in client.get(f"/members/{members[0].member_no}").get_data(
        as_text=True
    )


def test_administrators_extend_the_list(client, login, users, agency, today, db):
    applications.start(agency)
    member = access.member_of(agency)
    profile.update_profile_text(agency, member, "本中心是华北地区首选机构。")
    with pytest.raises(Conflict):
        profile.add_phrase(users["admin"], "国家级认证")
    login(users["admin"])
    response = client.post("/admin/forbidden-phrases", data={"phrase": "首选机构"})
    assert response.status_code == 303
    with pytest.raises(ValidationFailed) as error:
        profile.update_profile_text(agency, member, "华北地区首 选 机构")
    assert "首选机构" in error.value.fields["profile_text"]
    html = client.get("/admin/forbidden-phrases").get_data(as_text=True)
    assert "首选机构" in html and "100%治愈率" in html
    api = client.get(
        "/api/v1/admin/forbidden-phrases",
        headers={
            "Authorization": client.post("/api/v1/auth/token", json=token_request(users["admin"]))
            .get_json()["access_token"]
            .join(["Bearer ", ""])
        },
    ).get_json()
    [added] = api["added"]
    assert added["phrase"] == "首选机构"
    client.post(f"/admin/forbidden-phrases/{added['id']}/delete")
    profile.update_profile_text(agency, member, "华北地区首选机构")
    assert [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.like("forbidden_phrase.%"))
            .order_by(AuditEntry.seq)
        )
    ] == ["forbidden_phrase.added", "forbidden_phrase.removed"]


def test_values_helper_makes_distinct_credit_codes(today):
    assert values(today)["credit_code"] != values(today)["credit_code"]
