"""The public register's pages and open data: lists, search, filters, pagination, the
decision page, the profile block, CSV, Atom, JSON, and HTTP caching (ETag, 304)."""

from __future__ import annotations

import csv
import io
from datetime import date
from xml.etree import ElementTree

import pytest

from portal.publication.services import withdraw_entry
from tests.publication.conftest import commit
from tests.publication.factories import make_entry, make_member

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def register(member, other_member, now):
    listed = make_entry(member, took_effect_on=date(2026, 1, 10), appeal_outcome="upheld")
    general = make_entry(other_member, level="general", took_effect_on=date(2025, 5, 1), months=6)
    withdrawn = make_entry(other_member, took_effect_on=date(2026, 2, 1), title="已撤销的决定")
    withdraw_entry("test", source_ref=withdrawn.source_ref, reason="申诉委员会撤销原决定")
    future = make_entry(member, took_effect_on=date(2026, 7, 1), title="尚未生效")
    commit()
    return {"listed": listed, "general": general, "withdrawn": withdrawn, "future": future}


def test_the_blacklist_shows_serious_entries_in_their_term(client, register, member):
    page = client.get("/blacklist").get_data(as_text=True)
    assert register["listed"].decision_no in page and member.name in page
    for other in ("general", "withdrawn", "future"):
        assert register[other].decision_no not in page


def test_the_blacklist_is_searchable_by_name_number_and_region(client, register, member):
    number = register["listed"].decision_no
    assert number in client.get(f"/blacklist?q={member.member_no}").get_data(as_text=True)
    assert number in client.get("/blacklist?q=华康").get_data(as_text=True)
    assert number in client.get("/blacklist?province=11").get_data(as_text=True)
    assert number not in client.get("/blacklist?province=31").get_data(as_text=True)
    assert number not in client.get("/blacklist?q=nobody").get_data(as_text=True)
    assert client.get("/blacklist?province=zz&page=x").status_code == 200


def test_a_renamed_agency_is_found_by_its_new_name_only(client, db, register, member):
    number = register["listed"].decision_no
    member.name = "新桥职业健康评估所"
    commit()
    assert register["listed"].member_name == "新桥职业健康评估所"
    assert number in client.get("/blacklist?q=新桥").get_data(as_text=True)
    assert number not in client.get("/blacklist?q=华康").get_data(as_text=True)
    listed = client.get("/api/v1/public/blacklist?q=新桥").get_json()
    assert [item["decision_no"] for item in listed["items"]] == [number]


def test_the_blacklist_is_paginated(client, now):
    for index in range(23):
        make_entry(make_member(f"机构{index}"), took_effect_on=date(2026, 1, 10))
    commit()
    first = client.get("/blacklist").get_data(as_text=True)
    second = client.get("/blacklist?page=2").get_data(as_text=True)
    assert "23 agency entries on the blacklist" in first
    assert first.count("/decisions/OHA-D-") == 20 and second.count("/decisions/OHA-D-") == 3


def test_the_decisions_list_has_history_and_filters(client, register):
    page = client.get("/decisions").get_data(as_text=True)
    for name in ("listed", "general", "withdrawn"):
        assert register[name].decision_no in page
    assert register["future"].decision_no not in page
    assert "Upheld on appeal" in page
    general = client.get("/decisions?level=general").get_data(as_text=True)
    assert register["general"].decision_no in general
    assert register["listed"].decision_no not in general
    by_year = client.get("/decisions?year=2025").get_data(as_text=True)
    assert register["general"].decision_no in by_year
    assert register["listed"].decision_no not in by_year


def test_one_decision_and_its_history(client, register):
    listed = client.get(f"/decisions/{register['listed'].decision_no}")
    assert listed.status_code == 200 and "伪造检测数据" in listed.get_data(as_text=True)
    withdrawn = client.get(f"/decisions/{register['withdrawn'].decision_no}").get_data(as_text=True)
    assert "Withdrawn from the public lists" in withdrawn and "申诉委员会撤销原决定" in withdrawn
    assert client.get(f"/decisions/{register['future'].decision_no}").status_code == 404
    assert client.get("/decisions/OHA-D-1999-000").status_code == 404


def test_the_member_profile_shows_public_sanctions_and_history(client, register, other_member):
    page = client.get(f"/members/{other_member.member_no}").get_data(as_text=True)
    assert "Public sanctions" in page
    assert "History: 2 ended publications" in page
    assert register["general"].decision_no in page and register["withdrawn"].decision_no in page


@pytest.mark.parametrize(
    "path",
    [
        "/blacklist",
        "/decisions",
        "/open-data",
        "/open-data/blacklist.csv",
        "/open-data/decisions.csv",
        "/feeds/blacklist.atom",
        "/feeds/decisions.atom",
        "/api/v1/public/blacklist",
        "/api/v1/public/decisions",
    ],
)
def test_public_pages_and_open_data_are_cacheable(client, register, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_decision_page_is_cacheable(client, register):
    path = f"/decisions/{register['listed'].decision_no}"
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    api = f"/api/v1/public/decisions/{register['listed'].decision_no}"
    etag = client.get(api).headers["ETag"]
    assert client.get(api, headers={"If-None-Match": etag}).status_code == 304


def test_csv_files_have_a_bom_and_the_rows(client, register):
    answer = client.get("/open-data/blacklist.csv")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "Decision number"
    assert [row[0] for row in rows[1:]] == [register["listed"].decision_no]
    decisions = list(csv.reader(io.StringIO(client.get("/open-data/decisions.csv").text[1:])))
    assert len(decisions) == 4  # header + three that took effect


def test_atom_feeds_are_well_formed(client, register):
    for path, count in (("/feeds/blacklist.atom", 1), ("/feeds/decisions.atom", 3)):
        answer = client.get(path)
        assert answer.headers["Content-Type"].startswith("application/atom+xml")
        feed = ElementTree.fromstring(answer.data)
        assert len(feed.findall(f"{ATOM}entry")) == count


def test_the_json_lists_search_and_paginate(client, register, member):
    data = client.get("/api/v1/public/blacklist?per_page=5").get_json()
    assert data["page"]["total"] == 1
    [item] = data["items"]
    assert item["decision_no"] == register["listed"].decision_no
    assert item["member_no"] == member.member_no and item["status"] == "in_force"
    assert item["appeal_outcome"] == "upheld" and item["blacklist"] is True
    decisions = client.get("/api/v1/public/decisions?level=general&year=2025").get_json()
    assert [i["decision_no"] for i in decisions["items"]] == [register["general"].decision_no]
    withdrawn = client.get(f"/api/v1/public/decisions/{register['withdrawn'].decision_no}")
    assert withdrawn.get_json()["status"] == "withdrawn"
    bad = client.get("/api/v1/public/decisions?level=minor")
    assert bad.status_code == 422 and "level" in bad.get_json()["error"]["fields"]
    assert client.get("/api/v1/public/decisions/none").status_code == 404


def test_the_open_data_page_links_every_file(client, now):
    page = client.get("/open-data").get_data(as_text=True)
    for link in (
        "/open-data/blacklist.csv",
        "/open-data/decisions.csv",
        "/feeds/blacklist.atom",
        "/feeds/decisions.atom",
        "/api/v1/public/blacklist",
        "/api/v1/public/decisions",
    ):
        assert link in page


def test_the_navigation_names_the_blacklist_and_the_decisions(client, now):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/blacklist"' in page and 'href="/decisions"' in page
