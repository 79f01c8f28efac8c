"""Time one scheduler sweep with a known number of items due, in a throwaway copy of the
data set (PostgreSQL `CREATE DATABASE ... TEMPLATE`), so the data set stays as generated.

    python -m bench.sweep URL JOB   ->  prints JSON {"seconds": ..., "acted": ...}
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC

from sqlalchemy import text

from bench.generate import META_TABLE
from portal import clock, create_app, scheduler
from portal.extensions import db


def time_sweep(url: str, job: str) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        # The sweep runs at the data set's "now", so it finds the same work however long
        # after generation it is measured.
        data_now = db.session.scalar(text(f"SELECT data_now FROM {META_TABLE}"))
        clock.set_now(data_now.replace(tzinfo=UTC))
        started = time.perf_counter()
        acted = scheduler.run_job(job)
        seconds = time.perf_counter() - started
        clock.reset()
        db.session.remove()
        db.engine.dispose()
    return {"seconds": round(seconds, 3), "acted": acted}


if __name__ == "__main__":
    print(json.dumps(time_sweep(sys.argv[1], sys.argv[2])))
