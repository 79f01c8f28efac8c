"""`ratings.yearly`: once a year has ended, rate it (once). A sweep: "the last year, with
no run yet"; a later run of the sweep finds the run and does nothing. Staff recompute a
year on purpose from their page, the API or `flask ratings compute --year`."""

from __future__ import annotations

from sqlalchemy import select

from portal import clock, scheduler
from portal.extensions import db
from portal.ratings.models import RatingRun
from portal.ratings.services import compute

ACTOR = "scheduler:ratings.yearly"


@scheduler.job("ratings.yearly", minutes=24 * 60)
def yearly() -> int:
    year = clock.today().year - 1
    if db.session.scalar(select(RatingRun.id).where(RatingRun.year == year).limit(1)):
        return 0
    run = compute.compute_year(ACTOR, year, trigger="schedule")
    db.session.commit()
    return run.members
