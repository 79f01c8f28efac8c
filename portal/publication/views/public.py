"""The public register: the blacklist, the decisions and one decision."""

from __future__ import annotations

from flask import render_template, request

from portal import clock
from portal.extensions import db
from portal.members.regions import province_choices
from portal.open_data import cacheable
from portal.publication import constants as c
from portal.publication import queries
from portal.publication.views import bp
from portal.security import public

PER_PAGE = 20


@bp.route("/blacklist")
@public
@cacheable()
def blacklist():
    filters = queries.BlacklistFilters.clean(
        q=request.args.get("q"), province=request.args.get("province")
    )
    page = db.paginate(queries.blacklist(filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "publication/blacklist.html",
        page=page,
        filters=filters,
        provinces=province_choices(),
        today=clock.today(),
    )


@bp.route("/decisions")
@public
@cacheable()
def decisions():
    filters = queries.DecisionFilters.clean(
        q=request.args.get("q"), level=request.args.get("level"), year=request.args.get("year")
    )
    page = db.paginate(queries.decisions(filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "publication/decisions.html",
        page=page,
        filters=filters,
        levels=list(c.Level),
        years=queries.years(),
        repairs=queries.repairs_granted_since(10),
    )


@bp.route("/decisions/<decision_no>")
@public
@cacheable()
def decision(decision_no: str):
    entry = queries.decision(decision_no)
    return render_template(
        "publication/decision.html",
        entry=entry,
        status=entry.status_on(clock.today()),
        repair=queries.granted_repair(entry),
        corrections=queries.corrections(entry),
    )
