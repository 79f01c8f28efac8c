"""Public pages only read: their queries run in autocommit (no BEGIN/ROLLBACK round trips,
no SQLite write lock), and a write in such a request is refused. Other pages keep their
transaction. Runs its own app on a fresh database: the suite binds every session to a
connection inside a transaction, where autocommit cannot apply."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from portal import create_app, database
from portal.extensions import db
from portal.members.models import Member
from tests.databases import empty_database, suite_config
from tests.publication.factories import make_member


@pytest.fixture
def fresh(tmp_path):
    with empty_database(tmp_path, "reads") as url:
        app = create_app(
            {
                **suite_config(),
                "SQLALCHEMY_DATABASE_URI": url,
                "BABEL_DEFAULT_LOCALE": "en",
            }
        )
        with app.app_context():
            db.create_all()
            make_member()
            db.session.commit()
            db.session.remove()
            levels: list[str | None] = []

            def seen(conn, *_args):
                levels.append(conn.get_execution_options().get("isolation_level"))

            event.listen(db.engine, "before_cursor_execute", seen)
            try:
                yield app, levels
            finally:
                event.remove(db.engine, "before_cursor_execute", seen)
                db.session.remove()
                db.engine.dispose()


@pytest.mark.parametrize("path", ["/members", "/blacklist", "/api/v1/public/members"])
def test_public_pages_read_in_autocommit(fresh, path):
    app, levels = fresh
    assert app.test_client().get(path).status_code == 200
    assert levels and set(levels) == {database.AUTOCOMMIT}


def test_other_pages_keep_their_transaction(fresh):
    app, levels = fresh
    response = app.test_client().post("/login", data={"username": "nobody", "password": "x"})
    assert response.status_code == 200
    assert levels and database.AUTOCOMMIT not in levels


def test_a_write_while_reading_only_is_refused(fresh):
    app, _levels = fresh
    with app.test_request_context("/members"):
        database.reads_only(db.session())
        db.session.add(Member(name="不应写入的机构"))
        with pytest.raises(RuntimeError, match="only reads"):
            db.session.flush()
