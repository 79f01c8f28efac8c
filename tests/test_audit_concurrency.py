"""Concurrent writers append to one chain: it never forks, nothing is lost, on SQLite
(writers wait for the lock) and on PostgreSQL (advisory lock)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from portal import audit, create_app
from portal.extensions import db
from tests.databases import empty_database

ROOT = Path(__file__).resolve().parents[1]
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


PROCESSES = 4
APPENDS_PER_PROCESS = 40


def test_concurrent_processes_keep_one_unbroken_chain(tmp_path):
    """Separate processes (as gunicorn workers and the scheduler are) share no Python lock:
    only the database's lock keeps the chain from forking."""
    with empty_database(tmp_path, "audit_processes") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env["PYTHONPATH"] = str(ROOT)
        go = tmp_path / "go"
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.audit_writer",
                    url,
                    str(go),
                    str(n),
                    str(APPENDS_PER_PROCESS),
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(PROCESSES)
        ]
        time.sleep(0.5)
        go.touch()  # all start appending at once
        outputs = [writer.communicate(timeout=300) for writer in writers]
        assert [writer.returncode for writer in writers] == [0] * PROCESSES, outputs
        with app.app_context():
            result = audit.verify()
            assert result.ok, result
            assert result.checked == PROCESSES * APPENDS_PER_PROCESS
            db.session.remove()
            db.engine.dispose()
