"""What discipline does when a sanction motion closes (registered once, at import).

`subject_ref` names what the vote was about: `discipline_case:N` (the self-regulation
committee on a proposed sanction) or `discipline_appeal:N` (the appeal committee on the
outcome of an appeal). Both handlers act only on the motion they are waiting for, in the
state that waits for it, so a repeated call does nothing."""

from __future__ import annotations

from portal.committees.hooks import on_motion_closed
from portal.discipline.services import appeals, cases

ACTOR = "scheduler:discipline.vote_closed"


@on_motion_closed("sanction")
def sanction_vote_closed(motion) -> None:
    ref = motion.subject_ref or ""
    kind, _sep, number = ref.partition(":")
    if not number.isdigit():
        return
    if kind == "discipline_case":
        cases.vote_closed(motion, ACTOR)
    elif kind == "discipline_appeal":
        appeals.vote_closed(motion, ACTOR)
