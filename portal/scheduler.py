"""Scheduled sweeps.

Each job is an idempotent sweep ("due, in the right state, not yet done") that a
domain registers with `job(...)`. It runs inside `make run` (a background thread)
or as its own process (`flask scheduler run`) beside several web workers, and each
run also works as `flask scheduler run-once NAME`. A lease row per job keeps two
scheduler processes from sweeping at the same time; the sweeps themselves mark
each item done in the same transaction, so an item is never acted on twice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.extensions import db
from portal.types import UTCDateTime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], int]  # returns how many items it acted on
    minutes: int


JOBS: dict[str, Job] = {}


def job(name: str, minutes: int = 5) -> Callable[[Callable[[], int]], Callable[[], int]]:
    def decorate(func: Callable[[], int]) -> Callable[[], int]:
        JOBS[name] = Job(name, func, minutes)
        return func

    return decorate


class JobLease(db.Model):
    """Who may run a job now; taken with one conditional UPDATE, so only one process wins."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(128))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_count: Mapped[int] = mapped_column(default=0)


HOLDER = f"{socket.gethostname()}:{os.getpid()}"
LEASE = timedelta(minutes=10)


def _take_lease(name: str) -> bool:
    now = clock.now()
    if db.session.get(JobLease, name) is None:
        db.session.add(JobLease(name=name))
        try:
            db.session.commit()
        except Exception:  # another process created it first
            db.session.rollback()
    result = db.session.execute(
        update(JobLease)
        .where(JobLease.name == name)
        .where((JobLease.until.is_(None)) | (JobLease.until < now) | (JobLease.holder == HOLDER))
        .values(holder=HOLDER, until=now + LEASE)
    )
    db.session.commit()
    return result.rowcount == 1


def _release_lease(name: str, count: int) -> None:
    db.session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.holder == HOLDER)
        .values(holder=None, until=None, last_run_at=clock.now(), last_count=count)
    )
    db.session.commit()


def run_job(name: str) -> int | None:
    """Run one sweep under its lease; None when another process holds the lease."""
    if not _take_lease(name):
        return None
    count = 0
    try:
        count = JOBS[name].func()
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("scheduled job %s failed", name)
        raise
    finally:
        _release_lease(name, count)
    return count


def _run_in_app(app: Flask, name: str) -> None:
    with app.app_context():
        try:
            run_job(name)
        except Exception:  # logged in run_job; the scheduler keeps going
            return


def _build(app: Flask, blocking: bool):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    for spec in JOBS.values():
        # coalesce: a sweep that missed runs (process down) runs once, and catches up itself.
        scheduler.add_job(
            _run_in_app,
            "interval",
            args=[app, spec.name],
            minutes=spec.minutes,
            id=spec.name,
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now().astimezone(),
        )
    return scheduler


def start_background(app: Flask):
    scheduler = _build(app, blocking=False)
    scheduler.start()
    app.extensions["portal_scheduler"] = scheduler
    return scheduler


scheduler_cli = AppGroup("scheduler", help="Scheduled sweeps.")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in this process (production: one such process beside the web workers)."""
    from flask import current_app

    click.echo(f"scheduler running {len(JOBS)} jobs: {', '.join(sorted(JOBS)) or '(none)'}")
    _build(current_app._get_current_object(), blocking=True).start()


@scheduler_cli.command("run-once")
@click.argument("name", required=False)
def run_once_command(name: str | None) -> None:
    """Run one job (or every job) once now."""
    names = [name] if name else sorted(JOBS)
    for each in names:
        if each not in JOBS:
            raise click.ClickException(f"no job named {each}; jobs: {', '.join(sorted(JOBS))}")
        count = run_job(each)
        click.echo(
            f"{each}: "
            + ("another process holds the lease" if count is None else f"{count} item(s)")
        )


@scheduler_cli.command("list")
def list_command() -> None:
    """List the jobs and when each last ran."""
    leases = {lease.name: lease for lease in db.session.scalars(select(JobLease))}
    for spec in sorted(JOBS.values(), key=lambda s: s.name):
        lease = leases.get(spec.name)
        last = lease.last_run_at.isoformat() if lease and lease.last_run_at else "never"
        click.echo(f"{spec.name:32} every {spec.minutes:3} min   last run {last}")


def register(app: Flask) -> None:
    app.cli.add_command(scheduler_cli)
