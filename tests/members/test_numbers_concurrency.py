"""Membership numbers under concurrency, with real commits on a fresh database of the suite's
kind (SQLite: writers wait for BEGIN IMMEDIATE; PostgreSQL: the counter row is locked by the
upsert until the approving transaction commits)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from sqlalchemy import select

from portal import audit, clock, create_app
from portal.extensions import db
from portal.members.models import Member
from portal.members.services import review
from tests.databases import empty_database
from tests.factories import make_user
from tests.members.factories import submitted_application

WORKERS = 8
EACH = 10
DAY = date(2026, 6, 15)


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_concurrent_allocations_never_repeat_or_skip(tmp_path):
    with empty_database(tmp_path, "numbers") as url:
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
                        got.append(review.allocate_member_no(2026))
                        db.session.commit()
                    db.session.remove()
            except BaseException as error:  # reported on the test's thread
                errors.append(error)

        _run([threading.Thread(target=worker) for _ in range(WORKERS)])
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        assert errors == []
        assert sorted(got) == [f"OHA-2026-{n:05d}" for n in range(1, WORKERS * EACH + 1)]


def test_concurrent_approvals_get_distinct_numbers(tmp_path):
    with empty_database(tmp_path, "approvals") as url:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_DIR": str(tmp_path / "uploads"),
            }
        )
        clock.set_now(datetime(2026, 6, 15, 2, 0, tzinfo=UTC))
        try:
            with app.app_context():
                db.create_all()
                secretary = make_user("staff", username="secretary")
                ids = [
                    submitted_application(make_user("member", username=f"race{n}"), DAY).id
                    for n in range(4)
                ]
                db.session.commit()
                secretary_id = secretary.id
                db.session.remove()
            errors: list[BaseException] = []
            start = threading.Barrier(len(ids))

            def approve(application_id: int) -> None:
                try:
                    with app.app_context():
                        from portal.accounts.models import User
                        from portal.members.models import Application

                        start.wait()  # before any query: on SQLite a read begins a write lock
                        actor = db.session.get(User, secretary_id)
                        review.approve(actor, db.session.get(Application, application_id))
                        db.session.commit()
                        db.session.remove()
                except BaseException as error:
                    errors.append(error)

            _run([threading.Thread(target=approve, args=(i,)) for i in ids])
            with app.app_context():
                numbers = sorted(
                    db.session.scalars(
                        select(Member.member_no).where(Member.member_no.is_not(None))
                    )
                )
                assert audit.verify().ok
                db.session.remove()
                db.engine.dispose()
        finally:
            clock.reset()
        assert errors == []
        assert numbers == [f"OHA-2026-{n:05d}" for n in range(1, 5)]
