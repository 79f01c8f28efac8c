"""Shared pieces of the public register's open data: HTTP caching, CSV and Atom.

- `@cacheable()` on a public view: the answer carries a strong `ETag` computed from its
  body and `Cache-Control: public, max-age=...`; a repeated conditional request
  (`If-None-Match`) gets `304 Not Modified` with no body. Signed-in visitors still get
  `no-store` (portal/http.py), since their pages may hold private data.
- `csv_response(filename, header, rows)`: UTF-8 with a BOM so that spreadsheet programs
  open Chinese text correctly; cells that a spreadsheet would run as a formula are
  neutralised with a leading apostrophe.
- `atom_response(...)`: an Atom 1.0 feed (RFC 4287) rendered from `templates/feeds/atom.xml`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import Response, make_response, render_template, request

from portal import database
from portal.extensions import db

DEFAULT_MAX_AGE = 300
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def make_cacheable(response: Response, max_age: int = DEFAULT_MAX_AGE) -> Response:
    """Add a strong ETag and public caching to a 200 answer; answer 304 when it matches."""
    if response.status_code != 200 or response.direct_passthrough:
        return response
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.update(("Accept-Language", "Cookie"))
    response.add_etag()
    return response.make_conditional(request)


def cacheable(max_age: int = DEFAULT_MAX_AGE) -> Callable:
    """Decorate a public view so that its answer is cacheable and revalidates with 304.
    Such a view only reads, so its queries run in autocommit (`database.reads_only`)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            database.reads_only(db.session())
            return make_cacheable(make_response(view(*args, **kwargs)), max_age)

        return wrapper

    return decorate


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    response = make_response(csv_text(header, rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return make_cacheable(response)


@dataclass(frozen=True)
class FeedEntry:
    entry_id: str  # a stable URI (tag: or the entry's page URL)
    title: str
    updated: datetime  # aware, UTC
    link: str
    summary: str = ""


def atom_response(
    *, feed_id: str, title: str, self_url: str, page_url: str, entries: Sequence[FeedEntry]
) -> Response:
    updated = max((entry.updated for entry in entries), default=None)
    body = render_template(
        "feeds/atom.xml",
        feed_id=feed_id,
        title=title,
        self_url=self_url,
        page_url=page_url,
        updated=updated,
        entries=entries,
    )
    response = make_response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return make_cacheable(response)
