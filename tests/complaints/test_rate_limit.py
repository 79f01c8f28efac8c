"""Guessing receipt codes is rate-limited per address, on the page and in the API; only
failed attempts count. Runs its own app with the limiter on (the suite's app has it off)."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.extensions import db, limiter
from tests.complaints.conftest import file, make_member
from tests.databases import empty_database, suite_config


@pytest.fixture
def limited(tmp_path):
    with empty_database(tmp_path, "ratelimit") as url:
        app = create_app(
            {
                **suite_config(),
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "RATELIMIT_ENABLED": True,
                "COMPLAINT_TRACK_RATE_LIMIT": "3 per minute; 5 per day",
                "BABEL_DEFAULT_LOCALE": "en",
            }
        )
        with app.app_context():
            db.create_all()
            filed = file(None, make_member())
            db.session.commit()
            case = (filed.complaint.tracking_number, filed.receipt_code)
        limiter.reset()
        try:
            yield app, case
        finally:
            limiter.reset()
            limiter.enabled = False
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def test_the_page_blocks_an_address_after_repeated_failures(limited):
    app, (number, code) = limited
    client = app.test_client()
    for _ in range(3):  # reading one's own case often is not guessing
        assert (
            client.post(
                "/complaints/track", data={"tracking_number": number, "receipt_code": code}
            ).status_code
            == 200
        )
    for _ in range(3):
        assert (
            client.post(
                "/complaints/track",
                data={"tracking_number": number, "receipt_code": "AAAA-BBBB-CCCC"},
            ).status_code
            == 404
        )
    blocked = client.post(
        "/complaints/track", data={"tracking_number": number, "receipt_code": code}
    )
    assert blocked.status_code == 429
    assert client.get("/complaints/track").status_code == 200  # the form itself stays open
    other = client.post(
        "/complaints/track",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        data={"tracking_number": number, "receipt_code": code},
    )
    assert other.status_code == 200


def test_the_api_blocks_an_address_after_repeated_failures(limited):
    app, (number, code) = limited
    client = app.test_client()
    for _ in range(3):
        response = client.post(
            "/api/v1/complaints/track",
            json={"tracking_number": "TS-2026-999999", "receipt_code": code},
        )
        assert response.status_code == 404
    blocked = client.post(
        "/api/v1/complaints/track", json={"tracking_number": number, "receipt_code": code}
    )
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "rate_limited"
