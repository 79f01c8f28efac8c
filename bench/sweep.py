"""Time one scheduler sweep with a known number of items due, in a throwaway copy of the
data set (PostgreSQL `CREATE DATABASE ... TEMPLATE`), so the data set stays as generated.

    python -m bench.sweep URL JOB   ->  prints JSON {"seconds": ..., "acted": ...}
"""

from __future__ import annotations

import json
import sys
import time

from portal import create_app, scheduler
from portal.extensions import db


def time_sweep(url: str, job: str) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(db.select(1))  # connect before the clock starts
        started = time.perf_counter()
        acted = scheduler.run_job(job)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return {"seconds": round(seconds, 3), "acted": acted}


if __name__ == "__main__":
    print(json.dumps(time_sweep(sys.argv[1], sys.argv[2])))
