"""The ratings API: public list and history (cacheable), member figures and rating, the
secretariat's work; every operation in the OpenAPI document."""

from __future__ import annotations

from portal.extensions import db
from portal.ratings.services import compute
from tests.ratings.factories import file_figures


def test_public_ratings(now, client, member, people):
    file_figures(member)
    compute.compute_year(people["staff"], 2025)
    db.session.commit()
    response = client.get("/api/v1/public/ratings?grade=AA")
    body = response.get_json()
    assert body["page"]["total"] == 1
    item = body["items"][0]
    assert (item["member_no"], item["score"], item["stars"], item["grade"]) == (
        member.member_no,
        100.0,
        5,
        "AA",
    )
    assert client.get(
        "/api/v1/public/ratings", headers={"If-None-Match": response.headers["ETag"]}
    ).status_code in (200, 304)
    history = client.get(f"/api/v1/public/ratings/{member.member_no}").get_json()
    assert [h["year"] for h in history["history"]] == [2025]
    assert client.get("/api/v1/public/ratings/OHA-0000-00000").status_code == 404


def test_member_figures_and_rating(now, client, api_token, member, people):
    headers = api_token(people["member"])
    bad = client.put(
        "/api/v1/member/figures/2025",
        json={
            "enterprises_served": 1,
            "workers_examined": 1,
            "reports_issued": 1,
            "reports_corrected": 2,
        },
        headers=headers,
    )
    assert bad.status_code == 422 and "reports_corrected" in bad.get_json()["error"]["fields"]
    typo = client.put("/api/v1/member/figures/2025", json={"reports": 1}, headers=headers)
    assert typo.status_code == 422
    ok = client.put(
        "/api/v1/member/figures/2025",
        json={"enterprises_served": 100, "workers_examined": 3000, "reports_issued": 700},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.get_json()["status"] == "filed"
    assert len(client.get("/api/v1/member/figures", headers=headers).get_json()["items"]) == 1
    assert client.get("/api/v1/member/ratings/2025", headers=headers).status_code == 404
    compute.compute_year(people["staff"], 2025)
    db.session.commit()
    detail = client.get("/api/v1/member/ratings/2025", headers=headers).get_json()
    assert detail["score"] == 100.0 and detail["components"][0]["parts"][0]["text"]
    assert len(client.get("/api/v1/member/ratings", headers=headers).get_json()["items"]) == 1


def test_staff_api(now, client, api_token, member, people):
    figures = file_figures(member, reports_issued=5000, abnormal_results=0)
    db.session.commit()
    headers = api_token(people["staff"])
    listed = client.get("/api/v1/staff/figures?year=2025&status=filed", headers=headers).get_json()
    assert listed["items"][0]["id"] == figures.id
    no_reason = client.post(
        f"/api/v1/staff/figures/{figures.id}/correction", json={**figures.values()}, headers=headers
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    corrected = client.post(
        f"/api/v1/staff/figures/{figures.id}/correction",
        json={**figures.values(), "abnormal_results": 40, "reason": "Lab records show 40."},
        headers=headers,
    )
    assert (
        corrected.status_code == 200
        and corrected.get_json()["changes"][-1]["reason"] == "Lab records show 40."
    )
    assert (
        client.post(f"/api/v1/staff/figures/{figures.id}/validate", headers=headers).status_code
        == 409
    )
    run = client.post("/api/v1/staff/ratings/compute", json={"year": 2025}, headers=headers)
    assert run.status_code == 201 and run.get_json()["members"] == 1
    flags = client.get("/api/v1/staff/ratings/anomalies?year=2025", headers=headers).get_json()
    assert flags["items"] == []


def test_openapi_lists_the_operations(client, db):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/public/ratings",
        "/api/v1/member/figures/{year}",
        "/api/v1/staff/ratings/compute",
        "/api/v1/staff/ratings/anomalies",
        "/api/v1/public/inspections/{year}",
        "/api/v1/staff/inspections",
        "/api/v1/admin/inspectors",
    ):
        assert any(p.startswith(path) for p in paths), path
