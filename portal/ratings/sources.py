"""The sanctions and the public register, read through the discipline (B) and publication
(D) domains' fact functions (see /work/brief/contracts.md). Imported lazily, each in the
function that needs it; a domain not installed yet reads as "no sanctions", so the rating
runs (and its tests run) before those domains arrive.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from portal.ratings.rules import SanctionLike


def sanctions_since(
    since: date, member_ids: Collection[int] | None = None
) -> dict[int, list[SanctionLike]]:
    try:
        from portal.discipline.facts import sanction_facts
    except ImportError:  # the discipline domain is not installed yet
        return {}
    facts = sanction_facts(since, member_ids)
    return {
        member_id: [
            SanctionLike(fact.level, fact.took_effect_on, fact.decision_no) for fact in items
        ]
        for member_id, items in facts.items()
    }


def blacklisted(on: date) -> set[int]:
    try:
        from portal.publication.facts import blacklisted_member_ids
    except ImportError:  # the publication domain is not installed yet
        return set()
    return set(blacklisted_member_ids(on))


def levels_in_force(on: date) -> dict[int, frozenset[str]]:
    try:
        from portal.publication.facts import levels_in_force as levels
    except ImportError:  # the publication domain is not installed yet
        return {}
    return {member_id: frozenset(values) for member_id, values in levels(on).items()}
