"""Run by test_sweep_concurrency in its own process: say it is ready, wait for the go
file, then sweep the complaint deadlines once, without the scheduler's lease (so that only
the per-item flags keep two processes apart), and print how many items this process acted
on."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(url: str, go: str, ready: str) -> None:
    from portal import create_app
    from portal.complaints import tasks
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the start line
        db.session.rollback()
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists():
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.005)
        print(tasks.sweep())
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
