"""The panel rules, as pure functions (no database, no Flask request):

- a panel has at least one medical expert, one legal expert and one worker representative
  of the mediation committee in office, and at most `PANEL_MAX` people, each once;
- nobody tied to the agency complained about sits on it;
- the proposal takes, for each required category, the untied member in office with the
  fewest open cases (then by name), and an industry representative when one is free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

REQUIRED = ("medical_expert", "legal_expert", "worker_rep")
OPTIONAL = ("industry_rep",)
PANEL_MAX = 5


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    category: str
    load: int = 0  # open cases whose panel they sit on


@dataclass(frozen=True)
class Proposal:
    chosen: tuple[Candidate, ...]
    # Explanation entries: {"code": chosen|excluded_tie|missing, ...}; rendered for display.
    explanation: tuple[dict, ...]

    @property
    def complete(self) -> bool:
        return not any(entry["code"] == "missing" for entry in self.explanation)


def propose(candidates: Sequence[Candidate], tied: Mapping[int, str]) -> Proposal:
    explanation: list[dict] = [
        {"code": "excluded_tie", "user_id": c.user_id, "name": c.name, "nature": tied[c.user_id]}
        for c in candidates
        if c.user_id in tied
    ]
    free = [c for c in candidates if c.user_id not in tied]
    chosen: list[Candidate] = []
    for category in (*REQUIRED, *OPTIONAL):
        pool = sorted(
            (c for c in free if c.category == category and c not in chosen),
            key=lambda c: (c.load, c.name, c.user_id),
        )
        if pool:
            pick = pool[0]
            chosen.append(pick)
            explanation.append(
                {
                    "code": "chosen",
                    "user_id": pick.user_id,
                    "name": pick.name,
                    "category": category,
                    "load": pick.load,
                    "others": len(pool) - 1,
                }
            )
        elif category in REQUIRED:
            explanation.append({"code": "missing", "category": category})
    return Proposal(tuple(chosen), tuple(explanation))


def problems(
    chosen_ids: Sequence[int], candidates: Mapping[int, Candidate], tied: Mapping[int, str]
) -> list[dict]:
    """Why a panel of `chosen_ids` breaks the rules (codes with their details); [] if not."""
    found: list[dict] = []
    if not chosen_ids:
        return [{"code": "empty"}]
    if len(set(chosen_ids)) != len(chosen_ids):
        found.append({"code": "duplicate"})
    if len(set(chosen_ids)) > PANEL_MAX:
        found.append({"code": "too_many", "max": PANEL_MAX})
    for user_id in dict.fromkeys(chosen_ids):
        if user_id not in candidates:
            found.append({"code": "not_in_office", "user_id": user_id})
        elif user_id in tied:
            found.append(
                {
                    "code": "tied",
                    "user_id": user_id,
                    "name": candidates[user_id].name,
                    "nature": tied[user_id],
                }
            )
    categories = {candidates[u].category for u in chosen_ids if u in candidates}
    for category in REQUIRED:
        if category not in categories:
            found.append({"code": "missing", "category": category})
    return found
