from datetime import UTC, datetime, timedelta

import pytest

from portal import scheduler


@pytest.fixture
def counting_job():
    calls = []

    def sweep():
        calls.append(1)
        return 3

    scheduler.JOBS["test.count"] = scheduler.Job("test.count", sweep, 5)
    yield calls
    scheduler.JOBS.pop("test.count", None)


def test_a_job_runs_and_records_its_run(db, counting_job, clock_at):
    clock_at(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert scheduler.run_job("test.count") == 3
    lease = db.session.get(scheduler.JobLease, "test.count")
    assert lease.holder is None and lease.last_count == 3
    assert lease.last_run_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_second_process_does_not_run_a_job_while_the_lease_is_held(
    db, counting_job, monkeypatch, clock_at
):
    clock_at(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    db.session.add(
        scheduler.JobLease(
            name="test.count", holder="other-host:1", until=datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
        )
    )
    db.session.commit()
    assert scheduler.run_job("test.count") is None
    assert counting_job == []
    # A lease left behind by a crashed process expires, and the job runs again.
    clock_at(datetime(2026, 11, 23, 9, 5, tzinfo=UTC) + timedelta(seconds=1))
    assert scheduler.run_job("test.count") == 3
    assert counting_job == [1]


def test_run_once_command(app, db, counting_job):
    result = app.test_cli_runner().invoke(args=["scheduler", "run-once", "test.count"])
    assert result.exit_code == 0 and "test.count: 3 item(s)" in result.output
    unknown = app.test_cli_runner().invoke(args=["scheduler", "run-once", "nope"])
    assert unknown.exit_code != 0 and "no job named nope" in unknown.output
