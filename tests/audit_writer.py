"""A separate process that appends to the audit chain: `python -m tests.audit_writer URL GO N
COUNT` waits for the file GO to exist, then appends COUNT entries, one commit each."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from portal import audit, create_app
from portal.extensions import db


def main(url: str, go: str, number: int, count: int) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        while not Path(go).exists():
            time.sleep(0.005)
        for step in range(count):
            audit.record(
                "test.process",
                object_type="writer",
                object_id=number,
                actor="test",
                payload={"step": step},
            )
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
