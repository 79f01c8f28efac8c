"""Pages: the public list and formula (cacheable), the profile block and chart, the CSV,
the agency's figures and rating, the secretariat's queue, correction and computation."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.ratings.models import YearlyFigures
from portal.ratings.services import compute
from tests.ratings.factories import file_figures, make_member


def rated(people, *members):
    for m in members:
        file_figures(m)
    compute.compute_year(people["staff"], 2025)
    db.session.commit()


def test_public_list_filters_and_revalidates(now, client, member, people):
    other = make_member(
        "安康职业卫生技术服务有限公司", province="31", agency_type="hygiene_service", complete=False
    )
    rated(people, member, other)
    page = client.get("/ratings")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert member.name in text and other.name in text
    assert (
        client.get("/ratings", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    )
    only = client.get("/ratings?province=31").get_data(as_text=True)
    assert other.name in only and member.name not in only
    assert member.name in client.get("/ratings?stars=5&grade=AA").get_data(as_text=True)
    assert member.name not in client.get("/ratings?grade=D").get_data(as_text=True)
    assert client.get("/ratings?year=x&stars=9&grade=Z").status_code == 200


def test_formula_page_states_the_numbers(client, db):
    text = client.get("/ratings/formula").get_data(as_text=True)
    for words in ("98%", "1,000 services", "fewer than 30", "AAA", "blacklist"):
        assert words in text
    assert "ETag" in client.get("/ratings/formula").headers


def test_profile_block_and_chart(now, client, member, people):
    rated(people, member)
    text = client.get(f"/members/{member.member_no}").get_data(as_text=True)
    assert "Rating history" in text and "history.svg" in text
    chart = client.get(f"/ratings/{member.member_no}/history.svg")
    assert chart.mimetype == "image/svg+xml"
    body = chart.get_data(as_text=True)
    assert "<script" not in body and "http://kozea" not in body and "2025" in body


def test_csv(now, client, member, people):
    rated(people, member)
    response = client.get("/open-data/ratings.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffyear,member_no")
    assert f"2025,{member.member_no}," in text and ",100.0,5,AA,yes,no,1000" in text


def test_agency_files_figures_and_reads_its_rating(now, client, login, member, people):
    login(people["member"])
    assert client.get("/agency/figures").status_code == 200
    bad = client.post(
        "/agency/figures",
        data={
            "year": 2025,
            "enterprises_served": 1,
            "workers_examined": 1,
            "reports_issued": 5,
            "reports_corrected": 9,
        },
    )
    assert bad.status_code == 422 and "More reports corrected than issued" in bad.get_data(
        as_text=True
    )
    response = client.post(
        "/agency/figures",
        data={
            "year": 2025,
            "enterprises_served": 100,
            "workers_examined": 4000,
            "reports_issued": 900,
        },
    )
    assert response.status_code == 303
    figures = db.session.scalar(select(YearlyFigures).where(YearlyFigures.member_id == member.id))
    assert figures.reports_issued == 900
    compute.compute_year(people["staff"], 2025)
    db.session.commit()
    text = client.get("/agency/rating").get_data(as_text=True)
    assert "Why this score" in text and "900 services" not in text
    assert "Reference day: 2025-12-31" in text


def test_staff_validates_corrects_and_computes(now, client, login, member, people):
    figures = file_figures(member)
    db.session.commit()
    login(people["staff"])
    assert member.name in client.get("/staff/ratings").get_data(as_text=True)
    assert client.get(f"/staff/ratings/figures/{figures.id}").status_code == 200
    refused = client.post(
        f"/staff/ratings/figures/{figures.id}/correct",
        data={**figures.values(), "year": 2025, "reason": ""},
    )
    assert refused.status_code == 422
    ok = client.post(
        f"/staff/ratings/figures/{figures.id}/correct",
        data={
            **figures.values(),
            "year": 2025,
            "reports_issued": 800,
            "reason": "Invoices show 800.",
        },
    )
    assert ok.status_code == 303
    db.session.refresh(figures)
    assert figures.reports_issued == 800 and figures.status == "validated"
    assert client.post("/staff/ratings/compute", data={"year": 2025}).status_code == 303
    assert client.post("/staff/ratings/compute", data={"year": 2030}).status_code == 422
    assert client.get("/staff/ratings/anomalies?year=2025").status_code == 200


def test_a_member_blacklisted_after_its_rating_shows_d_and_no_stars(now, client, member, people):
    from datetime import date

    from tests.publication.factories import make_entry

    rated(people, member)
    make_entry(member, level="serious", took_effect_on=date(2026, 1, 10), months=12)
    db.session.commit()
    item = client.get("/api/v1/public/ratings").get_json()["items"][0]
    assert (item["stars"], item["grade"], item["blacklisted"]) == (None, "D", True)
    assert "Blacklisted: no stars" in client.get("/ratings").get_data(as_text=True)
    profile = client.get(f"/members/{member.member_no}").get_data(as_text=True)
    assert "Blacklisted: no stars" in profile
    assert ",,D,yes,yes," in client.get("/open-data/ratings.csv").get_data(as_text=True)
