"""Who may see and change what: object-level rules of the members domain.

- A member user belongs to at most one agency (`member_of`); they see and change only that
  agency's applications, documents, staff and profile text. Anything else answers 404, the
  same as something that does not exist.
- Secretariat staff see every application and its scans, and decide on them.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import uploads
from portal.errors import NotFound, NotPermitted
from portal.extensions import db
from portal.members.models import Application, Member, MemberUser
from portal.security import Role

APPLICATION_FILES = "member_application"  # StoredFile.owner_type of application scans


def is_secretariat(actor: Any) -> bool:
    return actor is not None and getattr(actor, "role", None) == Role.STAFF


def is_member_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "role", None) == Role.MEMBER


def member_of(actor: Any) -> Member | None:
    """The agency `actor` belongs to, or None."""
    if not is_member_user(actor):
        return None
    return db.session.scalar(
        select(Member)
        .join(MemberUser, MemberUser.member_id == Member.id)
        .where(MemberUser.user_id == actor.id)
    )


def require_member_user(actor: Any) -> None:
    if not is_member_user(actor):
        raise NotPermitted(_("Only member agency users may do this."))


def require_secretariat(actor: Any) -> None:
    if not is_secretariat(actor):
        raise NotPermitted(_("Only the secretariat may do this."))


def belongs_to(actor: Any, member_id: int | None) -> bool:
    if not is_member_user(actor) or member_id is None:
        return False
    return (
        db.session.scalar(
            select(MemberUser.id).where(
                MemberUser.user_id == actor.id, MemberUser.member_id == member_id
            )
        )
        is not None
    )


def can_view_application(actor: Any, application: Application) -> bool:
    """The agency's own users always; the secretariat once it is submitted (a draft is the
    applicant's own until then)."""
    if belongs_to(actor, application.member_id):
        return True
    return is_secretariat(actor) and application.status != "draft"


def application_for(actor: Any, application_id: int) -> Application:
    """The application if `actor` may see it; NotFound otherwise (no hint that it exists)."""
    application = db.session.get(Application, application_id)
    if application is None or not can_view_application(actor, application):
        raise NotFound(_("No such application."))
    return application


def own_application(actor: Any, application_id: int) -> Application:
    """An application of the actor's own agency (the secretariat gets NotFound here too)."""
    application = db.session.get(Application, application_id)
    if application is None or not belongs_to(actor, application.member_id):
        raise NotFound(_("No such application."))
    return application


def _may_download_application_file(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    application = db.session.get(Application, int(owner_id))
    return application is not None and can_view_application(actor, application)


uploads.register_file_access(APPLICATION_FILES, _may_download_application_file)
