"""/api/v1/calendar: the public deadline, and the administrators' days and loads."""

from __future__ import annotations

from datetime import date

import pytest

from portal import audit, calendar


def test_deadline(client, seeded):
    response = client.get("/api/v1/calendar/deadline?from=2026-09-30&working_days=5")
    assert response.status_code == 200
    assert response.get_json() == {
        "from": "2026-09-30",
        "working_days": 5,
        "due": "2026-10-13",
        "due_at": "2026-10-13T23:59:59+08:00",
        "provisional": False,
    }


def test_deadline_in_a_year_without_data_is_provisional(client, seeded):
    body = client.get("/api/v1/calendar/deadline?from=2026-12-30&working_days=3").get_json()
    assert (body["due"], body["provisional"]) == ("2027-01-04", True)
    body = client.get("/api/v1/calendar/deadline?from=2026-10-10&working_days=0").get_json()
    assert (body["due"], body["due_at"], body["provisional"]) == (
        "2026-10-10",
        "2026-10-10T23:59:59+08:00",
        False,
    )


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("from=2026-13-01&working_days=5", {"from"}),
        ("from=2026-02-30&working_days=5", {"from"}),
        ("from=20260930&working_days=5", {"from"}),
        ("from=1700000000&working_days=5", {"from"}),
        ("working_days=5", {"from"}),
        ("from=2026-09-30", {"working_days"}),
        ("", {"from", "working_days"}),
        ("from=2026-09-30&working_days=-1", {"working_days"}),
        ("from=2026-09-30&working_days=367", {"working_days"}),
        ("from=2026-09-30&working_days=five", {"working_days"}),
    ],
)
def test_deadline_refuses_bad_parameters(client, db, query, fields):
    response = client.get(f"/api/v1/calendar/deadline?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"]
    assert set(error["fields"]) == fields
    assert all(error["fields"].values())


def test_admin_endpoints_need_an_administrator(client, users, api_token, seeded):
    calls = [
        ("get", "/api/v1/calendar/days?year=2026", None),
        ("put", "/api/v1/calendar/days/2026-10-09", {"workday": False, "note": ""}),
        (
            "post",
            "/api/v1/calendar/load",
            {"rows": [{"date": "2027-01-01", "workday": False, "note": "元旦"}]},
        ),
        ("post", "/api/v1/calendar/years/2027/official", None),
    ]
    for method, url, body in calls:
        anonymous = getattr(client, method)(url, json=body)
        assert anonymous.status_code == 401, url
        assert anonymous.get_json()["error"]["code"] == "unauthorized"
    for role in ("worker", "member", "staff", "committee"):
        headers = api_token(users[role])
        for method, url, body in calls:
            response = getattr(client, method)(url, json=body, headers=headers)
            assert response.status_code == 403, (role, url)
            assert response.get_json()["error"]["code"] == "forbidden"
    assert not calendar.is_official(2027)
    assert calendar.is_workday(date(2026, 10, 9)) is True


def test_days_of_a_year(client, users, api_token, seeded):
    headers = api_token(users["admin"])
    body = client.get("/api/v1/calendar/days?year=2026", headers=headers).get_json()
    assert body["year"] == 2026 and body["official"] is True
    assert body["source"] == "chinesecalendar" and body["loaded_at"]
    assert len(body["days"]) == 365
    by_date = {d["date"]: d for d in body["days"]}
    assert by_date["2026-10-10"] == {
        "date": "2026-10-10",
        "workday": True,
        "kind": "makeup",
        "note": "国庆节调休上班",
        "source": "chinesecalendar",
    }
    assert by_date["2026-10-01"]["kind"] == "holiday"
    assert by_date["2026-10-11"]["kind"] == "weekend"

    body = client.get("/api/v1/calendar/days?year=2027", headers=headers).get_json()
    assert (body["official"], body["source"], body["loaded_at"]) == (False, None, None)
    assert body["days"][0] == {
        "date": "2027-01-01",
        "workday": True,
        "kind": "workday",
        "note": "",
        "source": None,
    }
    bad = client.get("/api/v1/calendar/days?year=1800", headers=headers)
    assert bad.status_code == 422 and "year" in bad.get_json()["error"]["fields"]


def test_set_one_day(client, users, api_token, seeded, subscriber):
    headers = api_token(users["admin"])
    response = client.put(
        "/api/v1/calendar/days/2026-10-09",
        headers=headers,
        json={"workday": False, "note": "台风停工"},
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "date": "2026-10-09",
        "workday": False,
        "kind": "holiday",
        "note": "台风停工",
        "source": "admin",
    }
    assert subscriber.calls == [{date(2026, 10, 9)}]
    assert audit.head().action == "calendar.day_set"
    deadline = client.get("/api/v1/calendar/deadline?from=2026-10-08&working_days=1").get_json()
    assert deadline["due"] == "2026-10-10"

    for url, body, field in [
        ("/api/v1/calendar/days/2026-13-09", {"workday": False}, "date"),
        ("/api/v1/calendar/days/1999-10-09", {"workday": False}, "date"),
        ("/api/v1/calendar/days/2026-10-09", {"workday": "no"}, "workday"),
        ("/api/v1/calendar/days/2026-10-09", {"note": "x"}, "workday"),
        ("/api/v1/calendar/days/2026-10-09", {"workday": True, "note": "x" * 201}, "note"),
        ("/api/v1/calendar/days/2026-10-09", {"workday": True, "extra": 1}, "extra"),
    ]:
        bad = client.put(url, headers=headers, json=body)
        assert bad.status_code == 422, (url, body)
        assert field in bad.get_json()["error"]["fields"], (url, body)
    assert calendar.is_workday(date(2026, 10, 9)) is False


def test_load_rows(client, users, api_token, seeded, subscriber):
    headers = api_token(users["admin"])
    rows = [
        {"date": "2027-01-01", "workday": False, "note": "元旦"},
        {"date": "2027-02-06", "workday": True, "note": "春节调休上班"},
    ]
    response = client.post("/api/v1/calendar/load", headers=headers, json={"rows": rows})
    assert response.status_code == 200
    assert response.get_json() == {
        "stored": 2,
        "unchanged": 0,
        "years": [2027],
        "newly_official": [2027],
        "recomputed": 1,
    }
    assert calendar.is_official(2027)
    assert len(subscriber.calls) == 1
    body = client.get("/api/v1/calendar/deadline?from=2026-12-30&working_days=3").get_json()
    assert (body["due"], body["provisional"]) == ("2027-01-05", False)


def test_load_rows_all_or_nothing(client, users, api_token, seeded, subscriber):
    headers = api_token(users["admin"])
    before = audit.head().seq
    rows = [{"date": "2028-01-03", "workday": False}, {"date": "2028-01-03", "workday": True}]
    response = client.post("/api/v1/calendar/load", headers=headers, json={"rows": rows})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["rows.1.date"]
    bad_type = client.post(
        "/api/v1/calendar/load",
        headers=headers,
        json={
            "rows": [
                {"date": "2028-01-03", "workday": False},
                {"date": "2028-1-4", "workday": True},
            ]
        },
    )
    assert bad_type.status_code == 422
    assert list(bad_type.get_json()["error"]["fields"]) == ["rows.1.date"]
    empty = client.post("/api/v1/calendar/load", headers=headers, json={"rows": []})
    assert empty.status_code == 422 and "rows" in empty.get_json()["error"]["fields"]
    assert not calendar.is_official(2028)
    assert calendar.is_workday(date(2028, 1, 3)) is True
    assert audit.head().seq == before
    assert subscriber.calls == []


def test_declare_a_year_official(client, users, api_token, seeded):
    headers = api_token(users["admin"])
    response = client.post("/api/v1/calendar/years/2028/official", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["year"], body["official"], body["source"]) == (2028, True, "admin")
    assert client.post("/api/v1/calendar/years/1900/official", headers=headers).status_code == 422


def test_the_openapi_document_describes_the_calendar(client, db):
    document = client.get("/api/v1/openapi.json").get_json()
    deadline = document["paths"]["/api/v1/calendar/deadline"]["get"]
    assert deadline["security"] == []
    assert {p["name"] for p in deadline["parameters"]} == {"from", "working_days"}
    assert "422" in deadline["responses"]
    put = document["paths"]["/api/v1/calendar/days/{day}"]["put"]
    assert put["x-roles"] == ["admin"] and {"401", "403", "422"} <= set(put["responses"])
    assert "/api/v1/calendar/load" in document["paths"]
