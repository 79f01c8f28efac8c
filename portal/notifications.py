"""In-portal notifications: a short message to one user, with an optional link, and e-mail.

Domains call `notify(user, ...)` in the transaction of the change it reports; the e-mail
(if any) is queued in that same transaction through `portal.mail`. A user sees and marks
only their own notifications: anyone else's answers 404, the same as a missing one.

Notifications and their read marks are not audited: each reports a change that its domain
has audited already, and "read" is the reader's own display state.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import ForeignKey, String, Text, case, func, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock, mail
from portal.errors import NotFound
from portal.extensions import db
from portal.forms_support import see_other
from portal.security import current_actor, logged_in
from portal.types import UTCDateTime

TITLE_MAX = 200
LINK_MAX = 500


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(LINK_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (db.Index("ix_notifications_user_read", "user_id", "read_at"),)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} user={self.user_id} {self.kind}>"


def check_link(link: str | None) -> str | None:
    """A path within the portal ("/complaints/12"), never another site or a scheme."""
    if link is None:
        return None
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or len(link) > LINK_MAX
        or any(ch.isspace() or ord(ch) < 32 for ch in link)
    ):
        raise ValueError("a notification link must be a relative path within the portal")
    return link


def _email_body(note: Notification) -> str:
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if note.link and base:
        footer = _("Open it in the portal: %(url)s", url=base + note.link)
    else:
        footer = _("Sign in to the portal to read it.")
    return f"{note.body}\n\n{footer}\n"


def notify(
    user, *, kind: str, title: str, body: str, link: str | None = None, email: bool = True
) -> Notification:
    """Add a notification for `user` (and queue an e-mail to their address) in the caller's
    transaction. `title` and `body` are stored as given: translate them before calling."""
    note = Notification(
        user_id=user.id,
        kind=kind,
        title=" ".join(str(title).split())[:TITLE_MAX],
        body=str(body),
        link=check_link(link),
        created_at=clock.now(),
    )
    db.session.add(note)
    address = mail.clean_address(getattr(user, "email", None))
    if email and address and getattr(user, "active", True):
        db.session.flush()  # the id, for the message's reference
        mail.queue_mail(
            address,
            note.title,
            _email_body(note),
            kind=kind,
            object_type="notification",
            object_id=note.id,
        )
    return note


def notify_many(users, *, kind: str, title: str, body: str, link: str | None = None) -> int:
    """The same portal notification (no e-mail) for many users, in one INSERT: an escalation
    to the whole secretariat, repeated for each of a thousand overdue items, must not cost
    a thousand times forty ORM objects."""
    now = clock.now()
    row = {
        "kind": kind,
        "title": " ".join(str(title).split())[:TITLE_MAX],
        "body": str(body),
        "link": check_link(link),
        "created_at": now,
    }
    rows = [{**row, "user_id": user.id} for user in users]
    if rows:
        db.session.execute(insert(Notification), rows)
    return len(rows)


def notifications_of(actor):
    """The actor's notifications: unread first, then newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == actor.id)
        .order_by(
            case((Notification.read_at.is_(None), 0), else_=1),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )


def unread_count(actor) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        )
        or 0
    )


def get_own(actor, notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or actor is None or note.user_id != actor.id:
        raise NotFound(_("No such notification."))
    return note


def mark_read(actor, notification_id: int) -> Notification:
    note = get_own(actor, notification_id)
    if note.read_at is None:
        note.read_at = clock.now()
    return note


def mark_all_read(actor) -> int:
    """Mark every unread notification of the actor read; how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return result.rowcount


# -- pages ------------------------------------------------------------------------------

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _inject_unread_count():
    def unread_notification_count() -> int:
        return unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notification_count": unread_notification_count}


def _back_to_list():
    page = request.form.get("page", type=int)
    return see_other("notifications.index", page=page if page and page > 1 else None)


@bp.route("/notifications")
@logged_in
def index():
    actor = current_actor()
    page = db.paginate(notifications_of(actor), per_page=25, error_out=False)
    return render_template("notifications/index.html", page=page, unread=unread_count(actor))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@logged_in
def read(notification_id: int):
    mark_read(current_actor(), notification_id)
    db.session.commit()
    flash(_("Marked as read."), "success")
    return _back_to_list()


@bp.route("/notifications/read-all", methods=["POST"])
@logged_in
def read_all():
    count = mark_all_read(current_actor())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return _back_to_list()
