"""The panel rules, pure."""

from __future__ import annotations

from portal.mediation import rules
from portal.mediation.rules import Candidate

POOL = [
    Candidate(1, "甲", "medical_expert", load=2),
    Candidate(2, "乙", "medical_expert", load=0),
    Candidate(3, "丙", "legal_expert", load=1),
    Candidate(4, "丁", "worker_rep", load=0),
    Candidate(5, "戊", "industry_rep", load=0),
]


def test_the_proposal_takes_one_of_each_required_category_with_the_least_load():
    proposal = rules.propose(POOL, {})
    assert [c.user_id for c in proposal.chosen] == [2, 3, 4, 5]
    assert proposal.complete


def test_a_tied_person_is_never_proposed_and_the_exclusion_is_explained():
    proposal = rules.propose(POOL, {3: "employment"})
    assert 3 not in [c.user_id for c in proposal.chosen]
    codes = [(e["code"], e.get("user_id"), e.get("category")) for e in proposal.explanation]
    assert ("excluded_tie", 3, None) in codes
    assert ("missing", None, "legal_expert") in codes
    assert not proposal.complete


def test_problems_name_every_broken_rule():
    pool = {c.user_id: c for c in POOL}
    assert rules.problems([2, 3, 4], pool, {}) == []
    found = {p["code"] for p in rules.problems([2, 3, 3, 99], pool, {3: "family"})}
    assert found == {"duplicate", "not_in_office", "tied", "missing"}
    assert rules.problems([], pool, {}) == [{"code": "empty"}]
