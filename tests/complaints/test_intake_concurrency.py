"""16 concurrent clients file 2,000 complaints over HTTP against gunicorn with several
workers: exactly 2,000 are stored, each once, none lost, even though some clients retry a
request (same Idempotency-Key) as a flaky network would make them do.

A fresh database of the suite's kind: SQLite (writers wait on BEGIN IMMEDIATE) or
PostgreSQL (row locks and the audit chain's advisory lock)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import audit, create_app
from portal.complaints.models import Complaint
from portal.extensions import db
from tests.complaints.conftest import make_member
from tests.databases import empty_database

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLIENTS = 16
COMPLAINTS = 2000
WORKERS = 4


def _prepare(url: str) -> str:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        member_no = make_member().member_no
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return member_no


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(url: str, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_DATABASE_URL=url,
        PORTAL_RATELIMIT_ENABLED="0",
        PORTAL_UPLOAD_DIR=str(log.parent / "uploads"),
        PYTHONPATH=str(ROOT),
    )
    command = [str(GUNICORN), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "portal.wsgi:app"]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")


def _body(member_no: str, number: int) -> bytes:
    return json.dumps(
        {
            "category": "service_quality",
            "subtype": "wrong_report",
            "description": f"第{number}号投诉：体检报告与复查结果不一致，请协会核实。",
            "member_no": member_no,
            "name": "张卫国",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
        },
        ensure_ascii=False,
    ).encode()


def _client(port: int, member_no: str, numbers: range, answers: dict, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for number in numbers:
            headers = {
                "Content-Type": "application/json",
                "Idempotency-Key": f"load-test-complaint-{number:06d}",
            }
            # Every seventh request is sent twice, as a client retrying after a lost answer.
            for attempt in range(2 if number % 7 == 0 else 1):
                connection.request("POST", "/api/v1/complaints", _body(member_no, number), headers)
                reply = connection.getresponse()
                payload = reply.read()
                # The first answer is 201 Created; a retry gets 200 and the same complaint.
                if reply.status != (201 if attempt == 0 else 200):
                    errors.append((number, reply.status, payload[:300]))
                    continue
                tracking = json.loads(payload)["tracking_number"]
                previous = answers.setdefault(number, tracking)
                if previous != tracking:
                    errors.append((number, "retry answered a different complaint", tracking))
    except Exception as error:  # noqa: BLE001 (reported by the test, not swallowed)
        errors.append(("client", repr(error)))
    finally:
        connection.close()


@pytest.mark.timeout(1200)  # a real load: slow on a busy 2-core machine, never hung
def test_sixteen_clients_file_two_thousand_complaints_each_once(tmp_path):
    with empty_database(tmp_path, "intake_load") as url:
        member_no = _prepare(url)
        port = _free_port()
        server = _serve(url, port, tmp_path / "gunicorn.log")
        answers: dict[int, str] = {}
        errors: list = []
        share = COMPLAINTS // CLIENTS
        try:
            clients = [
                threading.Thread(
                    target=_client,
                    args=(port, member_no, range(n * share, (n + 1) * share), answers, errors),
                )
                for n in range(CLIENTS)
            ]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        assert errors == []
        assert len(answers) == COMPLAINTS
        assert len(set(answers.values())) == COMPLAINTS

        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(Complaint))
            numbers = set(db.session.scalars(select(Complaint.tracking_number)))
            chain = audit.verify()
            db.session.remove()
            db.engine.dispose()
        assert stored == COMPLAINTS
        assert numbers == set(answers.values())
        assert chain.ok
