"""Who may see and do what about public entries (object-level rules).

- A member agency's users act on the entries about their own agency only; anything else
  answers 404, the same as an entry that does not exist.
- The secretariat sees every dispute and credit-repair application and decides them.
- Proof of rectification (stored files, owner type `credit_repair`) is readable by the
  secretariat and by the applying agency's users.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal import uploads
from portal.errors import NotFound, NotPermitted
from portal.extensions import db
from portal.members.models import MemberUser
from portal.publication.models import CreditRepair, FactDispute, PublicEntry
from portal.security import Role

REPAIR_FILES = "credit_repair"


def is_secretariat(actor: Any) -> bool:
    return actor is not None and getattr(actor, "role", None) == Role.STAFF


def agency_id_of(actor: Any) -> int | None:
    """The agency a member user belongs to, or None."""
    if actor is None or getattr(actor, "role", None) != Role.MEMBER:
        return None
    return db.session.scalar(select(MemberUser.member_id).where(MemberUser.user_id == actor.id))


def require_secretariat(actor: Any) -> None:
    if not is_secretariat(actor):
        raise NotPermitted(_("Only the secretariat may do this."))


def own_entry(actor: Any, entry_id: int) -> PublicEntry:
    """An entry about the actor's own agency; NotFound otherwise."""
    member_id = agency_id_of(actor)
    entry = db.session.get(PublicEntry, entry_id) if member_id is not None else None
    if entry is None or entry.member_id != member_id:
        raise NotFound(_("No such entry."))
    return entry


def own_entries(actor: Any):
    member_id = agency_id_of(actor)
    return (
        select(PublicEntry)
        .where(PublicEntry.member_id == (member_id if member_id is not None else -1))
        .order_by(PublicEntry.took_effect_on.desc(), PublicEntry.id.desc())
    )


def dispute_for_staff(actor: Any, dispute_id: int) -> FactDispute:
    dispute = db.session.get(FactDispute, dispute_id) if is_secretariat(actor) else None
    if dispute is None:
        raise NotFound(_("No such dispute."))
    return dispute


def repair_for_staff(actor: Any, repair_id: int) -> CreditRepair:
    repair = db.session.get(CreditRepair, repair_id) if is_secretariat(actor) else None
    if repair is None:
        raise NotFound(_("No such application."))
    return repair


def may_read_repair(actor: Any, repair: CreditRepair) -> bool:
    return is_secretariat(actor) or agency_id_of(actor) == repair.member_id


def _may_download_proof(actor: Any, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    repair = db.session.get(CreditRepair, int(owner_id))
    return repair is not None and may_read_repair(actor, repair)


uploads.register_file_access(REPAIR_FILES, _may_download_proof)
