"""Pages of results in one round trip: the rows and the total come back together.

Flask-SQLAlchemy's `db.paginate` sends the page's SELECT and then a second `count(*)` over
the same query. Here the count rides along as an uncorrelated scalar subquery of the page's
SELECT: the database plans it on its own (the page keeps its index-ordered LIMIT plan; the
count can drop the eager joins), runs it once, and nothing else crosses the wire.
(`count(*) OVER ()` would also be one query, but it makes the page's plan read every
matching row, with all its columns and joins, before the LIMIT.)

A page past the end has no rows to carry the total; only then is it asked for separately.
DISTINCT and compound selects keep Flask-SQLAlchemy's two queries.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import SelectPagination

TOTAL = "_page_total"


class OneQueryPagination(SelectPagination):
    _total: int | None = None

    def _query_items(self) -> list[Any]:
        session = self._query_args["session"]
        page = _with_total(self._query_args["select"], self.per_page)
        rows = session.execute(page.offset(self._query_offset)).unique().all()
        if rows:
            self._total = rows[0][-1]
        elif self._query_offset == 0:
            self._total = 0
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        return self._total if self._total is not None else super()._query_count()


# statement -> {per page: the page's statement with its total}; an entry lives only as long
# as its statement, so a statement built for one request (with a staff search's terms, say)
# is not kept after it
_PAGES: WeakKeyDictionary[Any, dict[int, Any]] = WeakKeyDictionary()


def _with_total(select: Any, per_page: int) -> Any:
    """The page's statement with its total, built once for a statement that is itself reused
    (the directory's and the blacklist's, kept per search)."""
    pages = _PAGES.setdefault(select, {})
    if per_page not in pages:
        matching = select.options(sa_orm.lazyload("*")).order_by(None).subquery()
        total = sa.select(sa.func.count()).select_from(matching).scalar_subquery()
        pages[per_page] = select.add_columns(total.label(TOTAL)).limit(per_page)
    return pages[per_page]


def _fits_one_statement(select: Any) -> bool:
    return isinstance(select, sa.Select) and not select._distinct and not select._distinct_on


class PortalSQLAlchemy(SQLAlchemy):
    def paginate(
        self, select, *, page=None, per_page=None, max_per_page=None, error_out=True, count=True
    ):
        if not count or not _fits_one_statement(select):
            return super().paginate(
                select,
                page=page,
                per_page=per_page,
                max_per_page=max_per_page,
                error_out=error_out,
                count=count,
            )
        return OneQueryPagination(
            select=select,
            session=self.session(),
            page=page,
            per_page=per_page,
            max_per_page=max_per_page,
            error_out=error_out,
            count=count,
        )
