"""The shared open-data pieces: ETag and 304, CSV with a BOM, Atom feeds."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from xml.etree import ElementTree

from flask import Flask

from portal.open_data import FeedEntry, atom_response, cacheable, csv_response, csv_text

ATOM = "{http://www.w3.org/2005/Atom}"


def _serve(app: Flask, view, path: str, **headers):
    with app.test_request_context(path, headers=headers) as context:
        response = view()
        response.sent_body = b"".join(response.get_app_iter(context.request.environ))
        return response


def test_a_cacheable_answer_has_an_etag_and_a_repeat_gets_304(app):
    @cacheable(max_age=60)
    def view():
        return "黑名单"

    first = _serve(app, view, "/x")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = _serve(app, view, "/x", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.sent_body == b""
    stale = _serve(app, view, "/x", **{"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_a_changed_body_changes_the_etag(app):
    bodies = iter(["one", "two"])

    @cacheable()
    def view():
        return next(bodies)

    assert _serve(app, view, "/x").headers["ETag"] != _serve(app, view, "/x").headers["ETag"]


def test_an_error_answer_is_not_made_cacheable(app):
    @cacheable()
    def view():
        return "gone", 404

    answer = _serve(app, view, "/x")
    assert answer.status_code == 404
    assert "ETag" not in answer.headers


def test_csv_starts_with_a_bom_and_neutralises_formulas():
    text = csv_text(["机构", "说明"], [["某某体检中心", '=HYPERLINK("http://x")'], ["-1", None]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["机构", "说明"]
    assert rows[1] == ["某某体检中心", '\'=HYPERLINK("http://x")']
    assert rows[2] == ["'-1", ""]


def test_csv_response_is_an_attachment_in_utf8(app):
    with app.test_request_context("/open-data/x.csv"):
        answer = csv_response("x.csv", ["a"], [["职业"]])
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert answer.get_data().startswith("\ufeff".encode())
    assert "ETag" in answer.headers


def test_atom_feed_is_well_formed_and_escapes_titles(app):
    entry = FeedEntry(
        entry_id="tag:example.org,2026:decision-1",
        title="<script>处分</script> & co",
        updated=datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        link="http://localhost/decisions/1",
        summary="警告",
    )
    with app.test_request_context("/feeds/x.atom"):
        answer = atom_response(
            feed_id="tag:example.org,2026:decisions",
            title="处分决定",
            self_url="http://localhost/feeds/x.atom",
            page_url="http://localhost/decisions",
            entries=[entry],
        )
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(answer.get_data())
    assert root.find(f"{ATOM}updated").text == "2026-11-02T08:30:00Z"
    (parsed,) = root.findall(f"{ATOM}entry")
    assert parsed.find(f"{ATOM}title").text == "<script>处分</script> & co"
    assert parsed.find(f"{ATOM}id").text == entry.entry_id


def test_an_empty_feed_is_still_valid(app):
    with app.test_request_context("/feeds/x.atom"):
        answer = atom_response(
            feed_id="tag:x", title="t", self_url="http://a/s", page_url="http://a/", entries=[]
        )
    root = ElementTree.fromstring(answer.get_data())
    assert root.findall(f"{ATOM}entry") == []
