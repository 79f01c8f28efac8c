"""queue_mail and the sweep: the outbox without a server, SMTP with one, once per message."""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import mail, scheduler
from portal.audit import AuditEntry

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def queue(to="li.na@example.cn", subject="申请已批准", body="您的入会申请已批准。", **kwargs):
    kwargs.setdefault("kind", "application.approved")
    return mail.queue_mail(to, subject, body, **kwargs)


def test_queueing_adds_a_row_in_the_callers_transaction(db, clock_at):
    clock_at(T0)
    message = queue(object_type="application", object_id=42)
    assert message in db.session.new  # added, not committed: the caller commits
    db.session.flush()
    assert (message.status, message.attempts, message.sent_at) == ("queued", 0, None)
    assert (message.object_type, message.object_id, message.created_at) == ("application", "42", T0)


def test_a_rolled_back_change_sends_nothing(db):
    queue()
    db.session.rollback()
    assert mail.send_queued() == 0


def test_without_a_server_the_sweep_delivers_to_the_outbox(db, clock_at):
    clock_at(T0)
    message = queue()
    db.session.commit()
    assert mail.send_queued() == 1
    db.session.refresh(message)
    assert (message.status, message.sent_at, message.attempts) == ("outbox", T0, 1)


def test_sweeping_twice_delivers_once(db):
    queue()
    queue(to="wang.min@example.cn")
    db.session.commit()
    assert mail.send_queued() == 2
    assert mail.send_queued() == 0


def test_the_job_is_registered_and_runs_under_its_lease(db):
    assert scheduler.JOBS["mail.send"].minutes == 1
    queue()
    db.session.commit()
    assert scheduler.run_job("mail.send") == 1
    assert scheduler.run_job("mail.send") == 0


@pytest.mark.parametrize("address", ["", "not-an-address", "a@b.cn\nBcc: x@y.cn", None])
def test_unusable_addresses_are_refused_without_being_repeated(db, address):
    with pytest.raises(ValueError) as caught:
        queue(to=address)
    assert "@" not in str(caught.value)


def test_subjects_are_one_line(db):
    message = queue(subject="Approved\r\nBcc: victim@example.cn")
    assert message.subject == "Approved Bcc: victim@example.cn"


def test_queueing_writes_no_address_to_the_audit_log(db):
    queue()
    db.session.commit()
    mail.send_queued()
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.payload.contains("li.na")))


def test_smtp_sends_each_message_once(db, smtp, clock_at):
    clock_at(T0)
    message = queue()
    db.session.commit()
    assert mail.send_queued() == 1
    assert mail.send_queued() == 0
    [sent] = smtp.all_sent()
    assert sent["To"] == "li.na@example.cn" and sent["Subject"] == "申请已批准"
    assert "noreply@oha.example.cn" in sent["From"]
    assert sent["Message-ID"] == f"<outbox-{message.id}-{int(T0.timestamp())}@oha.example.cn>"
    assert sent.get_content().strip() == "您的入会申请已批准。"
    [connection] = smtp.instances
    assert connection.tls and connection.logged_in_as == ("portal", "smtp-secret")
    assert connection.closed and (connection.host, connection.port) == ("smtp.example.cn", 587)
    db.session.refresh(message)
    assert (message.status, message.sent_at, message.attempts) == ("sent", T0, 1)


def test_one_connection_serves_the_whole_sweep(db, smtp):
    for n in range(3):
        queue(to=f"user{n}@example.cn")
    db.session.commit()
    assert mail.send_queued() == 3
    assert len(smtp.instances) == 1 and len(smtp.all_sent()) == 3


def test_ssl_without_starttls_when_configured(app, db, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", True)
    monkeypatch.setitem(app.config, "MAIL_PORT", 465)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    queue()
    db.session.commit()
    assert mail.send_queued() == 1
    [connection] = smtp.instances
    assert connection.port == 465 and not connection.tls and connection.logged_in_as is None


def test_a_failure_is_recorded_and_retried_later(db, smtp, clock_at):
    clock_at(T0)
    message = queue()
    db.session.commit()
    smtp.fail_with = smtplib.SMTPRecipientsRefused(
        {"li.na@example.cn": (450, b"4.2.0 mailbox busy")}
    )
    assert mail.send_queued() == 0
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.last_error == "SMTPRecipientsRefused: 450 4.2.0 mailbox busy"
    assert message.next_attempt_at == T0 + timedelta(minutes=2)
    smtp.fail_with = None
    assert mail.send_queued() == 0  # not due yet
    clock_at(T0 + timedelta(minutes=2))
    assert mail.send_queued() == 1
    db.session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)


def test_after_the_last_attempt_the_message_fails(app, db, smtp, clock_at, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    smtp.fail_with = smtplib.SMTPDataError(554, b"5.7.1 rejected as spam")
    message = queue()
    db.session.commit()
    when = T0
    for _ in range(5):
        clock_at(when)
        mail.send_queued()
        when += timedelta(hours=1)
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.last_error == "SMTPDataError: 554 5.7.1 rejected as spam"


def test_a_bad_message_does_not_stop_the_others(db, smtp, monkeypatch):
    first, second = queue(to="a@example.cn"), queue(to="b@example.cn")
    db.session.commit()
    calls = []

    def send(self, message):
        calls.append(message["To"])
        if message["To"] == "a@example.cn":
            raise smtplib.SMTPRecipientsRefused({"a@example.cn": (550, b"no such user")})
        self.sent.append(message)

    monkeypatch.setattr(smtp, "send_message", send)
    assert mail.send_queued() == 1
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, second.status) == ("queued", "sent")


def test_a_server_that_cannot_be_reached_stops_the_sweep(db, smtp, caplog, monkeypatch):
    # Alembic's fileConfig (migrations/env.py) disables loggers that exist when it runs.
    monkeypatch.setattr(logging.getLogger("portal.mail"), "disabled", False)
    first, second = queue(to="a@example.cn"), queue(to="b@example.cn")
    db.session.commit()
    smtp.refuse_connection = ConnectionRefusedError(111, "Connection refused")
    with caplog.at_level(logging.DEBUG, logger="portal.mail"):
        assert mail.send_queued() == 0
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, first.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in first.last_error
    assert (second.status, second.attempts) == ("queued", 0)  # untouched, sent next time
    assert "example.cn" not in caplog.text and f"mail {first.id} failed" in caplog.text


def test_a_message_claimed_by_another_process_is_left_alone(db, smtp, clock_at):
    clock_at(T0)
    message = queue()
    db.session.commit()
    assert mail._claim(message.id, T0) is True  # "another process" took it
    assert mail._claim(message.id, T0) is False
    assert mail.send_queued() == 0 and smtp.all_sent() == []


def test_a_claim_left_by_a_crash_is_failed_not_resent(db, smtp, clock_at):
    clock_at(T0)
    message = queue()
    db.session.commit()
    mail._claim(message.id, T0)
    clock_at(T0 + timedelta(minutes=16))
    assert mail.send_queued() == 0 and smtp.all_sent() == []
    db.session.refresh(message)
    assert message.status == "failed" and "interrupted" in message.last_error


def test_the_repr_holds_no_address(db):
    assert "@" not in repr(queue())
