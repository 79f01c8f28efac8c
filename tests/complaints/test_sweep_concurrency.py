"""Two scheduler processes never act twice on one deadline: real processes, real commits, a
fresh database of the suite's kind (PostgreSQL: the second conditional UPDATE waits for the
first one's row lock, then finds the flag set; SQLite: writers wait for BEGIN IMMEDIATE).

Once through `flask scheduler run-once` (the lease lets one process sweep; the other may
find it held or find nothing left), and once with the sweep called directly in both
processes at the same moment, so that only the per-item flags keep them apart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal import audit, clock, create_app
from portal.complaints.models import ComplaintDeadline
from portal.complaints.services import intake, workflow
from portal.complaints.services.intake import Submission
from portal.extensions import db
from portal.notifications import Notification
from tests.complaints.conftest import complaint_input, make_member
from tests.databases import empty_database
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")
COMPLAINTS = 60
STAFF = 3


def _prepare(url: str) -> int:
    """Complaints whose deadlines are overdue or past 70%/90% now; how many deadlines."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    real_now = clock.now()
    with app.app_context():
        db.create_all()
        staff = [make_user("staff", username=f"sweeper{n}") for n in range(STAFF)]
        member = make_member()
        db.session.commit()
        for n in range(COMPLAINTS):
            # Received between 1 and 24 days ago: some overdue, some at risk, some fresh.
            clock.set_now(real_now - timedelta(days=1 + n % 24, hours=n % 5))
            filed = intake.file_complaint(
                None, complaint_input(member), submission=Submission("race", f"race-{n:04d}" * 4)
            )
            if n % 3 == 0:
                workflow.accept(staff[0], filed.complaint, "simple")
            db.session.commit()
        clock.reset()
        deadlines = db.session.query(ComplaintDeadline).count()
        db.session.remove()
        db.engine.dispose()
    return deadlines


def _outcome(url: str) -> tuple[Counter, Counter, Counter]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        assert audit.verify().ok
        entries = db.session.scalars(
            select(audit.AuditEntry).where(
                audit.AuditEntry.action.in_(
                    ["complaint.deadline_escalated", "complaint.deadline_warning"]
                )
            )
        ).all()
        acted = Counter((e.action, e.object_id, _threshold(e.payload)) for e in entries)
        notes = Counter(
            (n.user_id, n.link, n.kind)
            for n in db.session.scalars(
                select(Notification).where(
                    Notification.kind.in_(["complaint.escalated", "complaint.deadline_warning"])
                )
            )
        )
        overdue = Counter(
            d.complaint_id
            for d in db.session.scalars(select(ComplaintDeadline))
            if d.met_at is None and d.due_at < clock.now()
        )
        db.session.remove()
        db.engine.dispose()
    return acted, notes, overdue


def _threshold(payload: str) -> str:
    return "90" if '"threshold":90' in payload else "70" if '"threshold":70' in payload else "-"


def _check_exactly_once(url: str) -> int:
    acted, notes, overdue = _outcome(url)
    assert acted, "the sweep acted on nothing: the data set is wrong"
    assert max(acted.values()) == 1, [k for k, v in acted.items() if v > 1]
    assert max(notes.values()) == 1, [k for k, v in notes.items() if v > 1]
    escalated = {obj for action, obj, _t in acted if action == "complaint.deadline_escalated"}
    assert escalated == {str(cid) for cid in overdue}
    return sum(acted.values())


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATABASE_URL=url, PYTHONPATH=str(ROOT), FLASK_APP="portal")
    return env


def test_two_flask_run_once_processes_act_once(tmp_path):
    with empty_database(tmp_path, "sweep_cli") as url:
        _prepare(url)
        command = [
            str(FLASK),
            "--app",
            "portal",
            "scheduler",
            "run-once",
            "complaints.deadline_watch",
        ]
        processes = [
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=_env(url),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=180) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        acted = _check_exactly_once(url)
        said = " ".join(out for out, _err in outputs)
        counts = [int(word) for word in said.replace("(", " ").split() if word.isdigit()]
        assert sum(counts) == acted, said


def test_two_sweeps_at_once_without_the_lease_act_once(tmp_path):
    with empty_database(tmp_path, "sweep_race") as url:
        _prepare(url)
        go = tmp_path / "go"
        ready = [tmp_path / f"ready-{n}" for n in range(2)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.complaints.sweep_worker", url, str(go), str(flag)],
                cwd=ROOT,
                env=_env(url),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for flag in ready
        ]
        limit = time.monotonic() + 120
        while not all(flag.exists() for flag in ready) and time.monotonic() < limit:
            time.sleep(0.01)
        go.touch()  # both are connected and waiting: they start together
        outputs = [p.communicate(timeout=180) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        counts = [int(out.strip().splitlines()[-1]) for out, _err in outputs]
        assert sum(counts) == _check_exactly_once(url), counts
