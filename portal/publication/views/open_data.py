"""Open data of the public register: the open-data page, CSV files and Atom feeds.

The CSV files hold the same rows as the pages (the blacklist today; every published
decision that has taken effect) and are UTF-8 with a BOM; the feeds carry the latest
entries and the granted credit repairs. All are cacheable (ETag, 304)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import render_template, url_for
from flask_babel import gettext as _

from portal import clock
from portal.extensions import db
from portal.members.regions import province_name
from portal.open_data import FeedEntry, atom_response, cacheable, csv_response
from portal.publication import constants as c
from portal.publication import queries
from portal.publication.views import _status_text, bp
from portal.security import public

FEED_SIZE = 50
CSV_LIMIT = 50_000


def _all(stmt, limit: int = CSV_LIMIT):
    return db.session.scalars(stmt.limit(limit)).all()


def _measures(entry) -> str:
    return "; ".join(c.measure_label(m) for m in entry.measures)


def _csv_header() -> list[str]:
    return [
        _("Decision number"),
        _("Membership number"),
        _("Agency"),
        _("Region"),
        _("Level"),
        _("Measures"),
        _("Title"),
        _("Took effect on"),
        _("Published until"),
        _("Blacklist"),
        _("Appeal"),
        _("Status"),
        _("Ended on"),
        _("Agency statement"),
        _("Link"),
    ]


def _csv_row(entry) -> list[object]:
    return [
        entry.decision_no,
        entry.member.member_no,
        entry.member.name,
        province_name(entry.member.province),
        c.level_label(entry.level),
        _measures(entry),
        entry.title,
        entry.took_effect_on.isoformat(),
        entry.published_until.isoformat(),
        _("yes") if entry.blacklist else _("no"),
        str(c.APPEAL_LABELS.get(entry.appeal_outcome, entry.appeal_outcome)),
        _status_text(entry.status_on(clock.today())),
        entry.ended_on.isoformat() if entry.ended_on else "",
        entry.statement or "",
        url_for("publication.decision", decision_no=entry.decision_no, _external=True),
    ]


@bp.route("/open-data")
@public
@cacheable()
def open_data():
    return render_template("publication/open_data.html")


@bp.route("/open-data/blacklist.csv")
@public
def blacklist_csv():
    rows = _all(queries.blacklist(queries.BlacklistFilters()))
    return csv_response("blacklist.csv", _csv_header(), [_csv_row(e) for e in rows])


@bp.route("/open-data/decisions.csv")
@public
def decisions_csv():
    rows = _all(queries.decisions(queries.DecisionFilters()))
    return csv_response("decisions.csv", _csv_header(), [_csv_row(e) for e in rows])


def _published(entry) -> datetime:
    return entry.published_at


def _entry_feed_item(entry) -> FeedEntry:
    link = url_for("publication.decision", decision_no=entry.decision_no, _external=True)
    return FeedEntry(
        entry_id=f"{link}#published",
        title=f"{entry.decision_no} {entry.member.name}: {entry.title}",
        updated=_published(entry),
        link=link,
        summary=_(
            "%(level)s, %(measures)s; published until %(until)s.",
            level=c.level_label(entry.level),
            measures=_measures(entry),
            until=entry.published_until.isoformat(),
        ),
    )


def _repair_feed_item(repair) -> FeedEntry:
    entry = repair.entry
    link = url_for("publication.decision", decision_no=entry.decision_no, _external=True)
    return FeedEntry(
        entry_id=f"{link}#credit-repair-{repair.id}",
        title=_("Credit repair granted: %(no)s", no=entry.decision_no),
        updated=repair.decided_at or datetime.combine(entry.took_effect_on, time(), tzinfo=UTC),
        link=link,
        summary=_(
            "%(agency)s: the publication ended on %(date)s after credit repair.",
            agency=entry.member.name,
            date=entry.ended_on.isoformat() if entry.ended_on else "",
        ),
    )


@bp.route("/feeds/blacklist.atom")
@public
def blacklist_feed():
    rows = _all(queries.blacklist(queries.BlacklistFilters()), FEED_SIZE)
    return atom_response(
        feed_id=url_for("publication.blacklist_feed", _external=True),
        title=_("Blacklist"),
        self_url=url_for("publication.blacklist_feed", _external=True),
        page_url=url_for("publication.blacklist", _external=True),
        entries=[_entry_feed_item(e) for e in rows],
    )


@bp.route("/feeds/decisions.atom")
@public
def decisions_feed():
    rows = _all(queries.decisions(queries.DecisionFilters()), FEED_SIZE)
    items = [_entry_feed_item(e) for e in rows]
    items += [_repair_feed_item(r) for r in queries.repairs_granted_since(FEED_SIZE)]
    items.sort(key=lambda item: item.updated, reverse=True)
    return atom_response(
        feed_id=url_for("publication.decisions_feed", _external=True),
        title=_("Disciplinary decisions"),
        self_url=url_for("publication.decisions_feed", _external=True),
        page_url=url_for("publication.decisions", _external=True),
        entries=items[:FEED_SIZE],
    )
