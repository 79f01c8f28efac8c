"""The floor: the least a page can cost on this stack, to compare the portal against.

A plain Flask app, with none of the portal's request hooks (no access check, no session user,
no audit, no limiter, no ORM): each page runs ONE hand-written SQL query on the same database
and renders the SAME template with the same Jinja environment (the portal's templates,
globals, filters and context processors, and its URL map so `url_for` builds the same links).
Template helpers that would query (the profile's sanctions and ratings blocks) are given
values from that one query instead. Searches match as the portal's do for the benchmark's
Chinese terms (a plain LIKE; the register's copy of the agency's name).

    gunicorn bench.floor:app     (PORTAL_DATABASE_URL names the database)
"""

from __future__ import annotations

import math
import os
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from flask import Flask, abort, jsonify, render_template, request
from sqlalchemy import create_engine, text

from portal import create_app

PER_PAGE = 20
SHANGHAI = ZoneInfo("Asia/Shanghai")

portal = create_app()
app = Flask(__name__)
app.config.update(portal.config)
app.url_map = portal.url_map  # url_for builds the portal's links
app.jinja_env = portal.jinja_env  # the same templates, globals and filters
app.jinja_env.globals["url_for"] = app.url_for
app.template_context_processors = portal.template_context_processors
app.extensions = portal.extensions  # Babel's locale and Bootstrap-Flask's helpers
app.login_manager = portal.login_manager
engine = create_engine(os.environ["PORTAL_DATABASE_URL"], pool_size=5)
hasher = PasswordHasher()


def _today() -> date:
    return datetime.now(SHANGHAI).date()


def _rows(sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


class Page:
    """What the pager macro reads, from rows that carry the total (`count(*) over ()`)."""

    def __init__(self, items: list, total: int, page: int):
        self.items, self.total, self.page = items, total, page
        self.pages = max(1, math.ceil(total / PER_PAGE))
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(self, left_edge=1, right_edge=1, left_current=2, right_current=2):
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or self.page - left_current <= number <= self.page + right_current
                or number > self.pages - right_edge
            ):
                yield number


def _page_number() -> int:
    return max(1, request.args.get("page", 1, type=int))


def view(endpoint: str):
    def register(function):
        app.view_functions[endpoint] = function
        return function

    return register


@view("members.directory")
def directory():
    q, province = request.args.get("q", ""), request.args.get("province") or None
    page = _page_number()
    rows = _rows(
        """
        SELECT m.id, m.name, m.member_no, m.agency_type, m.province, m.city,
               m.qualification_lapsed, m.suspended,
               coalesce((SELECT string_agg(s.category, ',') FROM member_scopes s
                         WHERE s.member_id = m.id), '') AS scopes,
               count(*) OVER () AS total
        FROM members m
        WHERE m.member_no IS NOT NULL AND m.expelled_at IS NULL
          AND (:q = '' OR m.name LIKE '%' || :q || '%' OR m.member_no = upper(:q))
          AND (CAST(:province AS text) IS NULL OR m.province = :province)
        ORDER BY m.member_no LIMIT :limit OFFSET :offset
        """,
        q=q,
        province=province,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    from portal.members.constants import AgencyType, HazardCategory
    from portal.members.regions import province_choices

    members = [SimpleNamespace(**row._mapping) for row in rows]
    scopes = {m.id: [HazardCategory(s) for s in m.scopes.split(",") if s] for m in members}
    filters = SimpleNamespace(
        q=q, province=province, agency_type=None, scope=None, status=None, active=bool(q)
    )
    return render_template(
        "members/directory.html",
        page=Page(members, rows[0].total if rows else 0, page),
        filters=filters,
        provinces=province_choices(),
        agency_types=list(AgencyType),
        categories=list(HazardCategory),
        statuses=("active", "lapsed", "suspended"),
        scope_of=lambda member: scopes[member.id],
        status_of=lambda m: (
            "suspended" if m.suspended else "lapsed" if m.qualification_lapsed else "active"
        ),
    )


@view("api.complaint_track")
def track():
    body = request.get_json(silent=True) or {}
    rows = _rows(
        """
        SELECT c.tracking_number, c.status, c.category, c.receipt_hash, c.received_at,
               d.kind, d.due_date
        FROM complaints c LEFT JOIN complaint_deadlines d ON d.complaint_id = c.id
        WHERE c.tracking_number = :number
        """,
        number=str(body.get("tracking_number", "")),
    )
    try:
        ok = bool(rows) and hasher.verify(rows[0].receipt_hash or "", body.get("receipt_code", ""))
    except VerificationError:
        ok = False
    if not ok:
        abort(404)
    first = rows[0]
    return jsonify(
        tracking_number=first.tracking_number,
        status=first.status,
        category=first.category,
        received_at=first.received_at.isoformat(),
        deadlines=[{"kind": r.kind, "due_date": r.due_date.isoformat()} for r in rows if r.kind],
    )


BLACKLIST_SQL = """
    SELECT e.id, e.decision_no, e.level, e.measures, e.title, e.summary, e.took_effect_on,
           e.published_until, e.blacklist, e.appeal_outcome, e.ended_on, e.end_note,
           e.statement, e.statement_at, m.name, m.member_no, m.province,
           count(*) OVER () AS total
    FROM public_entries e JOIN members m ON m.id = e.member_id
    WHERE e.blacklist AND e.took_effect_on <= :today AND e.published_until >= :today
      AND (e.ended_on IS NULL OR e.ended_on > :today)
      AND (:q = '' OR e.member_name LIKE '%' || :q || '%' OR m.member_no = upper(:q)
           OR e.decision_no = upper(:q) OR e.title LIKE '%' || :q || '%')
    ORDER BY e.took_effect_on DESC, e.id DESC LIMIT :limit OFFSET :offset
"""


def _blacklist_rows(q: str, page: int, per_page: int) -> list:
    return _rows(BLACKLIST_SQL, today=_today(), q=q, limit=per_page, offset=(page - 1) * per_page)


def _entry(row) -> SimpleNamespace:
    values = dict(row._mapping)
    member = SimpleNamespace(
        name=values.pop("name"), member_no=values.pop("member_no"), province=values.pop("province")
    )
    return SimpleNamespace(**values, member=member)


@view("publication.blacklist")
def blacklist():
    from portal.members.regions import province_choices

    q, page = request.args.get("q", ""), _page_number()
    rows = _blacklist_rows(q, page, PER_PAGE)
    return render_template(
        "publication/blacklist.html",
        page=Page([_entry(r) for r in rows], rows[0].total if rows else 0, page),
        filters=SimpleNamespace(q=q, province=None, active=bool(q)),
        provinces=province_choices(),
        today=_today(),
    )


@view("api.public_blacklist")
def api_blacklist():
    from portal.members.regions import province_name

    page = _page_number()
    per_page = min(100, request.args.get("per_page", 20, type=int))
    rows = _blacklist_rows(request.args.get("q", ""), page, per_page)
    total = rows[0].total if rows else 0
    items = [
        {
            "decision_no": r.decision_no,
            "member_no": r.member_no,
            "agency": r.name,
            "region": r.province,
            "region_name": province_name(r.province),
            "level": r.level,
            "measures": list(r.measures),
            "title": r.title,
            "summary": r.summary,
            "took_effect_on": r.took_effect_on.isoformat(),
            "published_until": r.published_until.isoformat(),
            "blacklist": r.blacklist,
            "appeal_outcome": r.appeal_outcome,
            "status": "in_force",
            "ended_on": None,
            "end_note": r.end_note,
            "statement": r.statement,
            "credit_repair_granted_on": None,
        }
        for r in rows
    ]
    pages = max(1, math.ceil(total / per_page))
    return jsonify(
        items=items, page={"page": page, "per_page": per_page, "total": total, "pages": pages}
    )


PROFILE_SQL = """
    SELECT m.*,
      (SELECT coalesce(json_agg(json_build_object('kind', c.kind, 'number', c.number,
              'issuer', c.issuer, 'valid_from', c.valid_from, 'valid_to', c.valid_to)), '[]')
         FROM member_credentials c WHERE c.member_id = m.id
          AND c.kind IN ('qualification', 'iso9001', 'industry_certification')) AS credentials,
      (SELECT coalesce(json_agg(s.category), '[]') FROM member_scopes s
         WHERE s.member_id = m.id) AS scopes,
      (SELECT coalesce(json_agg(json_build_object('id', e.id, 'decision_no', e.decision_no,
              'level', e.level, 'measures', e.measures, 'title', e.title,
              'took_effect_on', e.took_effect_on, 'published_until', e.published_until,
              'blacklist', e.blacklist, 'appeal_outcome', e.appeal_outcome,
              'ended_on', e.ended_on, 'end_reason', e.end_reason, 'statement', e.statement,
              'statement_at', e.statement_at)
              ORDER BY e.took_effect_on DESC, e.id DESC), '[]')
         FROM public_entries e WHERE e.member_id = m.id AND e.took_effect_on <= :today)
         AS entries,
      (SELECT coalesce(json_agg(json_build_object('year', r.year, 'rated', r.rated,
              'score_tenths', r.score_tenths, 'stars', r.stars, 'grade', r.grade)
              ORDER BY r.year DESC), '[]')
         FROM rating_results r WHERE r.member_id = m.id) AS results
    FROM members m WHERE m.member_no = :member_no
"""


class FloorEntry(SimpleNamespace):
    """A public entry as the profile block reads it."""

    def in_force(self, on: date) -> bool:
        return self.took_effect_on <= on <= self.published_until and (
            self.ended_on is None or self.ended_on > on
        )

    def status_on(self, on: date) -> str:
        if self.ended_on is not None and self.ended_on <= on:
            return self.end_reason or "withdrawn"
        return "in_force" if on <= self.published_until else "term_ended"


def _dates(values: dict, *names: str) -> dict:
    for name in names:
        if values.get(name):
            values[name] = date.fromisoformat(values[name][:10])
    return values


@view("members.profile")
def profile(member_no: str):
    from portal.members.constants import HazardCategory

    today = _today()
    rows = _rows(PROFILE_SQL, member_no=member_no.upper(), today=today)
    if not rows:
        abort(404)
    values = dict(rows[0]._mapping)
    credentials = [
        SimpleNamespace(**_dates(c, "valid_from", "valid_to")) for c in values.pop("credentials")
    ]
    scopes = set(values.pop("scopes"))
    entries = [
        FloorEntry(**_dates(e, "took_effect_on", "published_until", "ended_on"))
        for e in values.pop("entries")
    ]
    results = [SimpleNamespace(**r) for r in values.pop("results")]
    member = SimpleNamespace(**values)
    blacklisted = any(e.blacklist and e.in_force(today) for e in entries)
    record = SimpleNamespace(
        in_force=[e for e in entries if e.in_force(today)],
        history=[e for e in entries if not e.in_force(today)],
    )
    status = (
        "suspended" if member.suspended else "lapsed" if member.qualification_lapsed else "active"
    )
    return render_template(
        "members/profile.html",
        member=member,
        today=today,
        qualification=next((c for c in credentials if c.kind == "qualification"), None),
        certifications=[c for c in credentials if c.kind != "qualification"],
        scope=[c for c in HazardCategory if c in scopes],
        status=status,
        publication_record=lambda _member_id: record,
        member_ratings=lambda _member, _blacklisted: {
            "results": results,
            "blacklisted": blacklisted,
        },
    )
