"""Publishing decisions and taking them off the public lists (the contract with discipline).

Both take an explicit `actor` (a user or a "scheduler:..." label), never commit, and write
one audit entry in the caller's transaction. Who may publish is discipline's rule: these
functions are called by its services, never straight from a page.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.errors import Conflict, ValidationFailed
from portal.extensions import db
from portal.members.models import Member
from portal.publication import constants as c
from portal.publication.models import PublicEntry


def _text(value: str | None, field: str, limit: int, fields: dict, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        fields[field] = _("This is required.")
    elif len(text) > limit:
        fields[field] = _("At most %(n)d characters.", n=limit)
    return text


def term_bounds(level: str, took_effect_on: date) -> tuple[date, date]:
    """The earliest and the latest end of the publication term a decision may set."""
    shortest, longest = c.TERM_MONTHS[c.Level(level)]
    return c.add_months(took_effect_on, shortest), c.add_months(took_effect_on, longest)


def _check_level_and_term(level, took_effect_on, published_until, blacklist, fields) -> None:
    if level == "minor":
        fields["level"] = _("A minor sanction is never published.")
        return
    if level not in set(c.Level):
        fields["level"] = _("The level must be general or serious.")
        return
    if not isinstance(took_effect_on, date) or not isinstance(published_until, date):
        fields["published_until"] = _("Give the day the sanction took effect and the term end.")
        return
    earliest, latest = term_bounds(level, took_effect_on)
    if not earliest <= published_until <= latest:
        fields["published_until"] = _(
            "A %(level)s is published from %(earliest)s to %(latest)s at the latest.",
            level=c.level_label(level).lower(),
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
        )
    if blacklist and level != c.Level.SERIOUS:
        fields["blacklist"] = _("Only a serious sanction puts an agency on the blacklist.")


def publish_decision(
    actor,
    *,
    member_id: int,
    decision_no: str,
    level: str,
    measures: list[str],
    title: str,
    summary: str,
    took_effect_on: date,
    published_until: date,
    blacklist: bool,
    appeal_outcome: str | None,
    source_ref: str,
) -> PublicEntry:
    """Publish a general or serious sanction that took effect. Idempotent per `source_ref`:
    publishing the same source again returns the entry already there. Audited."""
    existing = db.session.scalar(select(PublicEntry).where(PublicEntry.source_ref == source_ref))
    if existing is not None:
        return existing
    fields: dict[str, str] = {}
    decision_no = _text(decision_no, "decision_no", c.DECISION_NO_MAX, fields)
    title = _text(title, "title", c.TITLE_MAX, fields)
    summary = _text(summary, "summary", c.SUMMARY_MAX, fields, required=False)
    source_ref = _text(source_ref, "source_ref", c.SOURCE_REF_MAX, fields)
    _check_level_and_term(level, took_effect_on, published_until, bool(blacklist), fields)
    codes = [str(m).strip() for m in (measures or []) if str(m).strip()]
    if not codes:
        fields["measures"] = _("Name at least one sanction measure.")
    if appeal_outcome not in (None, *c.APPEAL_OUTCOMES):
        fields["appeal_outcome"] = _("The appeal outcome must be none, upheld or changed.")
    member = db.session.get(Member, member_id)
    if member is None:
        fields["member_id"] = _("No such member.")
    if fields:
        raise ValidationFailed(_("The decision cannot be published as it is."), fields)
    taken = db.session.scalar(select(PublicEntry.id).where(PublicEntry.decision_no == decision_no))
    if taken is not None:
        raise Conflict(
            _("Decision %(no)s is already published.", no=decision_no),
            {"decision_no": _("Already published from another source.")},
        )
    entry = PublicEntry(
        member_id=member_id,
        member_name=member.name,
        decision_no=decision_no,
        source_ref=source_ref,
        level=str(level),
        measures=codes,
        title=title,
        summary=summary,
        took_effect_on=took_effect_on,
        published_until=published_until,
        blacklist=bool(blacklist),
        appeal_outcome=appeal_outcome,
        published_at=clock.now(),
    )
    db.session.add(entry)
    audit.record(
        "publication.published",
        entry,
        actor=actor,
        payload={
            "decision_no": decision_no,
            "source_ref": source_ref,
            "member_id": member_id,
            "level": str(level),
            "measures": codes,
            "took_effect_on": took_effect_on.isoformat(),
            "published_until": published_until.isoformat(),
            "blacklist": bool(blacklist),
            "appeal_outcome": appeal_outcome,
        },
    )
    return entry


def end_early(actor, entry: PublicEntry, *, reason: str, note: str, action: str) -> None:
    """Take an entry off the public lists from today on, keeping it in history. Audited."""
    now = clock.now()
    entry.ended_on = clock.today()
    entry.end_reason = reason
    entry.end_note = note
    entry.ended_at = now
    audit.record(
        action,
        entry,
        actor=actor,
        payload={
            "decision_no": entry.decision_no,
            "ended_on": entry.ended_on.isoformat(),
            "end_reason": reason,
        },
    )


def withdraw_entry(actor, *, source_ref: str, reason: str) -> PublicEntry | None:
    """Take the entry published from `source_ref` off the public lists (e.g. revoked on
    appeal), keeping it in history. None when nothing was published from it; an entry
    already ended stays as it is. Audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason."), {"reason": _("This is required.")})
    if len(reason) > c.REASON_MAX:
        why = _("At most %(n)d characters.", n=c.REASON_MAX)
        raise ValidationFailed(why, {"reason": why})
    entry = db.session.scalar(select(PublicEntry).where(PublicEntry.source_ref == source_ref))
    if entry is None or entry.ended_on is not None:
        return entry
    end_early(actor, entry, reason=c.END_WITHDRAWN, note=reason, action="publication.withdrawn")
    return entry
