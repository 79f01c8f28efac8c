"""Decision numbers under concurrency, with real commits on a fresh database of the suite's
kind (SQLite: writers wait for BEGIN IMMEDIATE; PostgreSQL: the counter row is locked by the
upsert until the deciding transaction commits): never repeated, never skipped."""

from __future__ import annotations

import threading

from portal import create_app
from portal.discipline.services.numbers import allocate_decision_no
from portal.extensions import db
from tests.databases import empty_database

WORKERS = 6
EACH = 8


def test_concurrent_allocations_never_repeat_or_skip(tmp_path):
    with empty_database(tmp_path, "decision_numbers") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
        got: list[str] = []
        errors: list[BaseException] = []
        start = threading.Barrier(WORKERS)

        def worker() -> None:
            try:
                with app.app_context():
                    start.wait()
                    for _ in range(EACH):
                        got.append(allocate_decision_no(2026))
                        db.session.commit()
                    db.session.remove()
            except BaseException as error:  # reported on the test's thread
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        assert errors == []
        assert sorted(got) == [f"OHA-D-2026-{n:03d}" for n in range(1, WORKERS * EACH + 1)]
