"""A member's public profile text, checked for absolute claims, and the phrases added by
administrators to the built-in list (`advertising.DEFAULT_FORBIDDEN_PHRASES`)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import audit, clock
from portal.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.members.advertising import DEFAULT_FORBIDDEN_PHRASES, find_forbidden, normalize
from portal.members.models import PROFILE_TEXT_MAX, ForbiddenPhrase, Member
from portal.members.services.access import belongs_to, require_member_user
from portal.security import Role

PHRASE_MAX = 100


def extra_phrases() -> list[str]:
    return list(db.session.scalars(select(ForbiddenPhrase.phrase).order_by(ForbiddenPhrase.id)))


def check_profile_text(text: str) -> None:
    """Raise ValidationFailed naming `profile_text` (and the phrases) if the text is refused."""
    if len(text) > PROFILE_TEXT_MAX:
        why = _("At most %(n)s characters.", n=PROFILE_TEXT_MAX)
        raise ValidationFailed(why, {"profile_text": why})
    found = find_forbidden(text, extra_phrases())
    if found:
        why = _(
            "The text makes absolute claims, which the self-regulation code forbids: %(phrases)s. "
            "Describe your services without them.",
            phrases="、".join(f"“{phrase}”" for phrase in found),
        )
        raise ValidationFailed(why, {"profile_text": why})


def update_profile_text(actor: Any, member: Member, text: str) -> Member:
    require_member_user(actor)
    if not belongs_to(actor, member.id):
        raise NotFound(_("No such member."))
    text = (text or "").replace("\r\n", "\n").strip()
    check_profile_text(text)
    if text != member.profile_text:
        member.profile_text = text
        member.profile_updated_at = clock.now()
        audit.record(
            "member.profile_text_updated", member, actor=actor, payload={"length": len(text)}
        )
    return member


def _require_admin(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.ADMIN:
        raise NotPermitted(_("Only administrators keep the list of forbidden phrases."))


def add_phrase(actor: Any, phrase: str) -> ForbiddenPhrase:
    _require_admin(actor)
    phrase = " ".join((phrase or "").split())
    if not phrase:
        raise ValidationFailed(_("Required."), {"phrase": _("Required.")})
    if len(phrase) > PHRASE_MAX:
        why = _("At most %(n)s characters.", n=PHRASE_MAX)
        raise ValidationFailed(why, {"phrase": why})
    wanted = normalize(phrase).replace(" ", "")
    builtin = {normalize(p).replace(" ", "") for p in DEFAULT_FORBIDDEN_PHRASES}
    taken = db.session.scalar(
        select(ForbiddenPhrase.id).where(func.lower(ForbiddenPhrase.phrase) == phrase.lower())
    )
    if wanted in builtin or taken:
        why = _("This phrase is already on the list.")
        raise Conflict(why, {"phrase": why})
    row = ForbiddenPhrase(phrase=phrase, created_by_id=actor.id, created_at=clock.now())
    db.session.add(row)
    audit.record("forbidden_phrase.added", row, actor=actor, payload={"phrase": phrase})
    return row


def remove_phrase(actor: Any, phrase_id: int) -> None:
    _require_admin(actor)
    row = db.session.get(ForbiddenPhrase, phrase_id)
    if row is None:
        raise NotFound(_("No such phrase."))
    audit.record("forbidden_phrase.removed", row, actor=actor, payload={"phrase": row.phrase})
    db.session.delete(row)
