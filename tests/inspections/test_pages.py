"""Inspection pages and API: the pool, the draw, the public page and downloads, results."""

from __future__ import annotations

import json

from portal.extensions import db
from tests.factories import make_user
from tests.ratings.factories import make_member


def test_admin_pool_staff_draw_public_page(now, client, login, api_token, member, people):
    for i in range(3):
        make_user("staff", f"insp-{i}")
    for _ in range(5):
        make_member()
    db.session.commit()
    login(people["admin"])
    assert client.post("/admin/inspectors", data={"username": "nobody"}).status_code == 422
    for i in range(3):
        assert client.post("/admin/inspectors", data={"username": f"insp-{i}"}).status_code == 303
    assert "INS-003" in client.get("/admin/inspectors").get_data(as_text=True)
    client.post("/logout")
    login(people["staff"])
    assert client.post("/staff/inspections/draw", data={"year": 2020}).status_code == 422
    response = client.post(
        "/staff/inspections/draw", data={"year": 2026, "seed": "lottery-2026-001"}
    )
    assert response.status_code == 303
    text = client.get("/staff/inspections/2026").get_data(as_text=True)
    assert "lottery-2026-001" in text
    public = client.get("/inspections/2026")
    assert public.status_code == 200 and "random.Random" in public.get_data(as_text=True)
    data = json.loads(client.get("/inspections/2026/draw.json").get_data(as_text=True))
    assert data["seed"] == "lottery-2026-001" and len(data["result"]) == 2  # 20% of 6
    members = client.get("/inspections/2026/members.txt").get_data(as_text=True).split()
    assert members == sorted(members) and len(members) == 6
    headers = api_token(people["staff"])
    first = data["result"][0]["member_no"]
    recorded = client.put(
        f"/api/v1/staff/inspections/2026/results/{first}",
        json={
            "inspected_on": "2026-01-15",
            "minor_findings": 0,
            "major_findings": 0,
            "accuracy": 99.2,
        },
        headers=headers,
    )
    assert recorded.status_code == 200 and recorded.get_json()["accuracy"] == 99.2
    assert (
        client.get("/api/v1/public/inspections/2026").get_json()["results"][0]["accuracy"] == 99.2
    )
    assert client.get("/api/v1/public/inspections").get_json()["years"] == [2026]
    assert client.get("/inspections").status_code == 200


def test_redraw_command(now, app, people, member):
    from portal.inspections import services

    for i in range(2):
        services.add_inspector(people["admin"], make_user("committee", f"c-{i}").username)
    services.start_draw(people["staff"], 2026, "cli-seed")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["inspections", "redraw", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "the same as the published result" in result.output
