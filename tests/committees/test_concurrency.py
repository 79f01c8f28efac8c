"""Members voting at the same moment are all counted, on SQLite (writers wait for the lock)
and on PostgreSQL (one inserted row per vote under a share lock on the motion, no counter
read and written back)."""

from __future__ import annotations

import threading
from datetime import timedelta

from portal import audit, clock, create_app
from portal.committees import motions, tasks, voting
from portal.committees.models import Motion, Vote
from portal.errors import Conflict
from portal.extensions import db
from tests.committees.factories import T0, make_committee
from tests.databases import empty_database, suite_config
from tests.factories import DEFAULT_PASSWORD, make_user

VOTERS = 6


def _app(url):
    return create_app(
        {
            **suite_config(),
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )


def _setup(app) -> tuple[int, list[int]]:
    with app.app_context():
        db.create_all()
        admin = make_user("admin", username="race-admin")
        secretary = make_user("staff", username="race-secretary")
        board = make_committee(admin, "mediation", medical=VOTERS)
        motion = motions.open_motion(
            secretary,
            board.committee,
            title="并发投票",
            subject_type="other",
            closes_at=clock.now() + timedelta(days=2),
        )
        db.session.commit()
        ids = motion.id, [m.id for m in board.members]
        db.session.remove()
        return ids


def _run_together(app, jobs) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job):
        try:
            with app.app_context():
                start.wait()
                job()
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _vote(motion_id: int, user_id: int, choice: str):
    def job():
        from portal.accounts.models import User

        motion = db.session.get(Motion, motion_id)
        voting.cast_vote(
            db.session.get(User, user_id), motion, choice=choice, password=DEFAULT_PASSWORD
        )

    return job


def test_members_voting_at_the_same_moment_are_all_counted(tmp_path):
    clock.set_now(T0)
    try:
        with empty_database(tmp_path, "votes") as url:
            app = _app(url)
            motion_id, voters = _setup(app)
            jobs = [_vote(motion_id, user_id, "yes") for user_id in voters[:2]]
            jobs += [_vote(motion_id, user_id, "no") for user_id in voters[2:VOTERS]]
            assert _run_together(app, jobs) == []
            clock.set_now(T0 + timedelta(days=3))
            with app.app_context():
                assert tasks.close_due() == 1
                motion = db.session.get(Motion, motion_id)
                assert (motion.yes_count, motion.no_count, motion.eligible_count) == (
                    2,
                    VOTERS - 2,
                    VOTERS,
                )
                assert db.session.query(Vote).count() == VOTERS
                assert audit.verify().ok
                db.session.remove()
                db.engine.dispose()
    finally:
        clock.reset()


def test_the_same_member_voting_twice_at_once_is_counted_once(tmp_path):
    clock.set_now(T0)
    try:
        with empty_database(tmp_path, "double") as url:
            app = _app(url)
            motion_id, voters = _setup(app)
            errors = _run_together(
                app, [_vote(motion_id, voters[0], "yes"), _vote(motion_id, voters[0], "no")]
            )
            assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
            with app.app_context():
                assert db.session.query(Vote).count() == 1
                assert audit.verify().ok
                db.session.remove()
                db.engine.dispose()
    finally:
        clock.reset()
