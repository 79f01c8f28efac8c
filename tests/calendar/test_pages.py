"""/admin/calendar: who may open it, what it shows, editing a day, uploading a file."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from portal import audit, calendar, navigation
from portal.calendar import CalendarYear
from portal.extensions import db as _db


def test_only_administrators_open_the_calendar(client, users, login, seeded):
    response = client.get("/admin/calendar")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert client.post("/admin/calendar/days/2026-10-09", data={"workday": "0"}).status_code in (
        302,
        303,
    )
    for role in ("worker", "member", "staff", "committee"):
        login(users[role])
        assert client.get("/admin/calendar").status_code == 403
        assert client.get("/admin/calendar/days/2026-10-09").status_code == 403
        assert (
            client.post("/admin/calendar/days/2026-10-09", data={"workday": "0"}).status_code == 403
        )
        assert client.post("/admin/calendar/2027/official").status_code == 403
        client.post("/logout")
    assert calendar.is_workday(date(2026, 10, 9)) is True


def test_the_admin_workspace_links_to_the_calendar(app):
    _heading, tiles = navigation.workspace("admin", app)
    assert "admin.calendar" in [tile.endpoint for tile in tiles]


def test_a_year_shows_its_months_holidays_and_make_up_days(client, users, login, seeded):
    login(users["admin"])
    response = client.get("/admin/calendar?year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<caption") == 13  # twelve months and the list of special days
    assert html.count('<th scope="col"><abbr') == 12 * 7
    # every day links to its edit page
    assert len(re.findall(r'href="/admin/calendar/days/2026-\d\d-\d\d"', html)) >= 365
    # holidays and make-up workdays are marked in the grid
    holiday = re.search(
        r'<td class="table-danger">\s*<a [^>]*href="/admin/calendar/days/'
        r'2026-10-01"',
        html,
    )
    makeup = re.search(
        r'<td class="table-warning">\s*<a [^>]*href="/admin/calendar/days/'
        r'2026-10-10"',
        html,
    )
    assert holiday and makeup
    for day in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"):
        assert re.search(rf'<td class="table-warning">\s*<a [^>]*/days/{day}"', html), day
    # and listed in the table below, with their notes
    special = html[html.index('id="special"') :]
    for day in ("2026-02-15", "2026-02-23", "2026-10-01", "2026-10-07", "2026-02-14", "2026-10-10"):
        assert f'<time datetime="{day}">' in special
    assert "国庆节调休上班" in special
    assert '<time datetime="2026-10-12">' not in special
    # the page is official; no "declare" form
    assert "/admin/calendar/2026/official" not in html
    # no inline scripts or styles (the CSP forbids them)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    assert 'enctype="multipart/form-data"' in html and 'for="file"' in html


def test_an_unofficial_year_says_so_and_offers_to_declare_it(client, users, login, seeded):
    login(users["admin"])
    html = client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert 'action="/admin/calendar/2027/official"' in html
    assert "table-danger" not in html and "table-warning" not in html
    assert client.get("/admin/calendar?year=1850").status_code == 404


def test_the_default_year_is_this_year_in_shanghai(client, users, login, seeded, clock_at):
    clock_at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 January 2027 in Shanghai
    login(users["admin"])
    html = client.get("/admin/calendar").get_data(as_text=True)
    assert 'name="year" value="2027"' in html


def test_editing_a_day(client, users, login, seeded, subscriber):
    login(users["admin"])
    page = client.get("/admin/calendar/days/2026-10-09")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'type="radio"' in html and 'name="note"' in html and 'for="note"' in html
    assert re.search(r'value="1"[^>]*checked|checked[^>]*value="1"', html)

    response = client.post(
        "/admin/calendar/days/2026-10-09", data={"workday": "0", "note": "台风停工"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/calendar?year=2026#m10")
    assert calendar.is_workday(date(2026, 10, 9)) is False
    assert calendar.day_info(date(2026, 10, 9)).note == "台风停工"
    assert subscriber.calls == [{date(2026, 10, 9)}]
    entry = audit.head()
    assert (entry.action, entry.object_id) == ("calendar.day_set", "2026-10-09")
    assert entry.actor == "admin:admin1"
    assert json.loads(entry.payload)["workday"] is False
    assert "台风" not in entry.payload  # dates and flags only


def test_editing_a_day_with_bad_input(client, users, login, seeded):
    login(users["admin"])
    response = client.post("/admin/calendar/days/2026-10-09", data={"note": "x" * 201})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'href="#workday"' in html and 'href="#note"' in html
    assert calendar.is_workday(date(2026, 10, 9)) is True
    assert client.get("/admin/calendar/days/2026-02-30").status_code == 404
    assert client.get("/admin/calendar/days/yesterday").status_code == 404


def test_uploading_a_csv_file(client, users, login, seeded, subscriber):
    login(users["admin"])
    body = "date,workday,note\n2027-01-01,否,元旦\n2027-02-06,是,春节调休上班\n".encode()
    response = client.post(
        "/admin/calendar/upload",
        data={"year": "2027", "file": (io.BytesIO(body), "2027.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/calendar?year=2027")
    assert calendar.is_official(2027)
    assert calendar.is_workday(date(2027, 2, 6)) is True
    assert len(subscriber.calls) == 1
    assert audit.head().action == "calendar.loaded"
    html = client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert re.search(r'<td class="table-warning">\s*<a [^>]*/days/2027-02-06"', html)


def test_uploading_a_bad_file_names_the_lines_and_stores_nothing(
    client, users, login, seeded, subscriber
):
    login(users["admin"])
    before = audit.head().seq
    body = "date,workday,note\n2027-01-01,否,元旦\n2027-02-06,perhaps,\n".encode()
    response = client.post(
        "/admin/calendar/upload",
        data={"year": "2027", "file": (io.BytesIO(body), "2027.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert "line 3, workday:" in html and "perhaps" in html
    assert not calendar.is_official(2027)
    assert calendar.is_workday(date(2027, 1, 1)) is True
    assert audit.head().seq == before
    assert subscriber.calls == []

    response = client.post(
        "/admin/calendar/upload", data={"year": "2027"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert 'href="#file"' in response.get_data(as_text=True)


def test_declaring_a_year_official(client, users, login, seeded, subscriber):
    login(users["admin"])
    response = client.post("/admin/calendar/2027/official")
    assert response.status_code == 303
    assert calendar.is_official(2027)
    assert len(subscriber.calls) == 1 and len(subscriber.calls[0]) == 365
    entry = audit.head()
    assert (entry.action, entry.object_id) == ("calendar.year_official", "2027")
    assert (
        _db.session.scalar(select(CalendarYear.source).where(CalendarYear.year == 2027)) == "admin"
    )
