"""Concurrent writers append to one chain: it never forks, nothing is lost, on SQLite
(writers wait for the lock) and on PostgreSQL (advisory lock)."""

from __future__ import annotations

import threading

from portal import audit, create_app
from portal.extensions import db
from tests.databases import empty_database

WRITERS = 8
APPENDS_EACH = 15


def test_concurrent_appends_keep_one_unbroken_chain(tmp_path):
    with empty_database(tmp_path, "audit") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
        errors: list[BaseException] = []
        start = threading.Barrier(WRITERS)

        def writer(number: int) -> None:
            try:
                with app.app_context():
                    start.wait()
                    for step in range(APPENDS_EACH):
                        audit.record(
                            "test.concurrent",
                            object_type="writer",
                            object_id=number,
                            actor="test",
                            payload={"step": step},
                        )
                        db.session.commit()
                    db.session.remove()
            except BaseException as error:  # reported below, on the test's thread
                errors.append(error)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        with app.app_context():
            result = audit.verify()
            assert result.ok, result
            assert result.checked == WRITERS * APPENDS_EACH
            db.session.remove()
            db.engine.dispose()
