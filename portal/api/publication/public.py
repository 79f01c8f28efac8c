"""The public register as open data: the blacklist and the decisions, searched and
paginated as on the pages; cacheable (ETag, 304)."""

from __future__ import annotations

from portal.api.publication.schemas import (
    BlacklistQuery,
    DecisionQuery,
    PublicEntryList,
    PublicEntryOut,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo
from portal.api.validation import parse_query
from portal.extensions import db
from portal.open_data import cacheable
from portal.publication import queries
from portal.security import public

TAGS = ["public", "publication"]


def _listing(stmt, query) -> dict:
    page = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return PublicEntryList(
        items=[PublicEntryOut.of(e) for e in page.items], page=PageInfo.of(page)
    ).model_dump(mode="json")


@api_route(
    "/public/blacklist",
    summary="Agencies under a serious sanction in its publication term (the blacklist)",
    tags=TAGS,
    query=BlacklistQuery,
    response=PublicEntryList,
    errors=(422,),
)
@public
@cacheable()
def public_blacklist():
    query = parse_query(BlacklistQuery)
    filters = queries.BlacklistFilters.clean(q=query.q, province=query.province)
    return _listing(queries.blacklist(filters), query)


@api_route(
    "/public/decisions",
    summary="Published disciplinary decisions with their appeal outcomes",
    tags=TAGS,
    query=DecisionQuery,
    response=PublicEntryList,
    errors=(422,),
)
@public
@cacheable()
def public_decisions():
    query = parse_query(DecisionQuery)
    filters = queries.DecisionFilters.clean(q=query.q, level=query.level, year=query.year)
    return _listing(queries.decisions(filters), query)


@api_route(
    "/public/decisions/<decision_no>",
    summary="One published decision",
    tags=TAGS,
    response=PublicEntryOut,
    errors=(404,),
)
@public
@cacheable()
def public_decision(decision_no: str):
    return PublicEntryOut.of(queries.decision(decision_no)).model_dump(mode="json")
