"""E-mail: queued in the caller's transaction, sent by a sweep, viewable in an outbox.

`queue_mail(...)` only adds an `OutboxMessage` row, so a message exists only if the change
that caused it was committed. The `mail.send` job sends what is queued: over SMTP when
MAIL_SERVER is set, otherwise it marks messages "outbox" (delivered to the outbox page
only, for development and demos). Each message is claimed with a conditional UPDATE
(`queued` -> `sending`) committed before sending, so two processes never send one twice;
a claim left behind by a crash is marked failed rather than sent again, because the
message may already have gone out. Temporary failures are retried with a growing delay up
to MAIL_MAX_ATTEMPTS (default 5).

Addresses are personal data: they are never logged and never put in the audit log. The
outbox rows are the record of what was sent; the sweep is not audited.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock, scheduler, text_search
from portal.extensions import db
from portal.navigation import Section, add_tile
from portal.security import Role, roles_required
from portal.types import UTCDateTime

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, OUTBOX, FAILED = "queued", "sending", "sent", "outbox", "failed"
STATUS_LABELS = {
    QUEUED: _l("Queued"),
    SENDING: _l("Sending"),
    SENT: _l("Sent"),
    OUTBOX: _l("In the outbox only"),
    FAILED: _l("Failed"),
}
DEFAULT_MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)
BATCH = 100
SUBJECT_MAX = 200
SMTP_TIMEOUT_SECONDS = 30
# Errors about one message; any other error means the connection is unusable: stop the sweep.
PER_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    UnicodeError,
    ValueError,
)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body_text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: at once
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        db.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        db.Index("ix_outbox_messages_object", "object_type", "object_id"),
    )

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def __repr__(self) -> str:  # no address: reprs end up in logs
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


def clean_address(value: str | None) -> str | None:
    """The address normalized, or None when it cannot be used to send mail."""
    if not value or "\n" in value or "\r" in value:
        return None
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def queue_mail(
    to: str,
    subject: str,
    body: str,
    *,
    kind: str,
    object_type: str | None = None,
    object_id: Any = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (the caller commits)."""
    address = clean_address(to)
    if address is None:
        raise ValueError("queue_mail needs a valid e-mail address")  # the address stays out
    message = OutboxMessage(
        to_address=address,
        subject=_one_line(subject)[:SUBJECT_MAX],
        body_text=str(body),
        kind=kind,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        status=QUEUED,
        attempts=0,
        created_at=clock.now(),
    )
    db.session.add(message)
    return message


# -- the sweep ---------------------------------------------------------------------------


def _due(now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == QUEUED)
            .where(
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def _expire_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM)
        .values(
            status=FAILED,
            claimed_at=None,
            last_error="The sending was interrupted; the message may or may not have "
            "been delivered, so it is not sent again.",
        )
    )
    db.session.commit()


def _claim(message_id: int, now: datetime) -> bool:
    """Take one queued message for this process; committed at once so others see it."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == QUEUED)
        .values(status=SENDING, claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def _deliver_to_outbox(now: datetime, limit: int) -> int:
    ids = _due(now, limit)
    if not ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == QUEUED)
        .values(status=OUTBOX, sent_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount


def _connect(config) -> smtplib.SMTP:
    server, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587)
    if config.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(
            server, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(server, port, timeout=SMTP_TIMEOUT_SECONDS)
        if config.get("MAIL_USE_TLS"):
            connection.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return connection


def build_email(message: OutboxMessage, config) -> EmailMessage:
    sender = config["MAIL_SENDER"]
    email = EmailMessage()
    email["From"] = formataddr((str(config.get("ASSOCIATION_NAME") or ""), sender))
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    # Stable per message, so a receiving system can tell a repeat from a new message.
    domain = sender.rsplit("@", 1)[-1]
    email["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    return email


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode("utf-8", "replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{type(error).__name__}: {error.smtp_code} {text}"[:500]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return (
            "SMTPRecipientsRefused: "
            + "; ".join(
                f"{code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"
                for code, reply in error.recipients.values()
            )[:470]
        )
    return f"{type(error).__name__}: {error}"[:500]


def _record_failure(message: OutboxMessage, error: Exception, now: datetime, max_attempts: int):
    message.attempts += 1
    message.last_error = _describe(error)
    message.claimed_at = None
    if message.attempts >= max_attempts:
        message.status = FAILED
    else:
        message.status = QUEUED
        message.next_attempt_at = now + timedelta(minutes=2**message.attempts)
    db.session.commit()
    # The id and the error class only: the error text may quote the address.
    log.warning(
        "mail %s failed (attempt %d of %d): %s",
        message.id,
        message.attempts,
        max_attempts,
        type(error).__name__,
    )


def _send_smtp(now: datetime, limit: int, config) -> int:
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS") or DEFAULT_MAX_ATTEMPTS)
    sent = 0
    connection = None
    try:
        for message_id in _due(now, limit):
            if not _claim(message_id, now):
                continue  # another process took it
            message = db.session.get(OutboxMessage, message_id)
            try:
                email = build_email(message, config)
                if connection is None:
                    connection = _connect(config)
                connection.send_message(email)
            except Exception as error:  # any error: never leave a message claimed
                _record_failure(message, error, now, max_attempts)
                if isinstance(error, PER_MESSAGE_ERRORS):
                    continue
                break
            message.status, message.sent_at = SENT, clock.now()
            message.attempts += 1
            message.claimed_at, message.last_error = None, None
            db.session.commit()
            sent += 1
    finally:
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    return sent


def send_queued(*, limit: int = BATCH) -> int:
    """Send (or, without MAIL_SERVER, move to the outbox) every due message; how many."""
    now = clock.now()
    _expire_stale_claims(now)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return _deliver_to_outbox(now, limit)
    return _send_smtp(now, limit, config)


@scheduler.job("mail.send", minutes=1)
def mail_send_job() -> int:
    return send_queued()


# -- the outbox page -------------------------------------------------------------------

bp = Blueprint("outbox", __name__)

for _role in ("staff", "admin"):
    add_tile(
        _role,
        Section(
            "outbox.index",
            _l("E-mail outbox"),
            _l("Every e-mail the portal has queued or sent, and any failures."),
            order=90,
        ),
    )


def search_messages(query: str = "", status: str | None = None):
    stmt = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if query:
        stmt = stmt.where(
            or_(
                text_search.contains(OutboxMessage.to_address, query),
                text_search.contains(OutboxMessage.subject, query),
            )
        )
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return stmt


@bp.route("/admin/outbox")
@roles_required(Role.STAFF, Role.ADMIN)
def index():
    query = request.args.get("q", "").strip()[:100]
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = db.paginate(search_messages(query, status), per_page=25, error_out=False)
    return render_template(
        "mail/outbox.html", page=page, q=query, status=status, status_labels=STATUS_LABELS
    )


@bp.route("/admin/outbox/<int:message_id>")
@roles_required(Role.STAFF, Role.ADMIN)
def message(message_id: int):
    return render_template("mail/message.html", message=db.get_or_404(OutboxMessage, message_id))
