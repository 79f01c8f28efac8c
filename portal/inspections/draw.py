"""The draw itself, pure and reproducible: anyone with the published seed, member list,
pool and exclusions gets the same result (the public page prints this very procedure).

    rng = random.Random(seed)                    # seed: the published text
    members = sorted(members)                    # membership numbers
    pool = sorted(pool)                          # inspector codes
    count = ceil(len(members) * percent / 100)   # at least 20%, rounded up
    drawn = rng.sample(members, count)           # in draw order
    for member in drawn:
        eligible = [code for code in pool if code not in exclusions.get(member, [])]
        inspectors[member] = rng.sample(eligible, per_member)

Python's `random.Random` seeded with a string is the same on every platform and every
Python 3 since 3.2, so the result can be checked outside the portal.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class PoolTooSmall(ValueError):
    def __init__(self, member: str, eligible: int, needed: int):
        super().__init__(f"{member}: {eligible} eligible inspectors, {needed} needed")
        self.member = member
        self.eligible = eligible
        self.needed = needed


@dataclass(frozen=True)
class DrawResult:
    drawn: list[str]
    inspectors: dict[str, list[str]]


def sample_size(population: int, percent: int) -> int:
    return math.ceil(population * percent / 100)


def run_draw(
    seed: str,
    members: Sequence[str],
    pool: Sequence[str],
    exclusions: Mapping[str, Sequence[str]],
    percent: int = 20,
    per_member: int = 2,
) -> DrawResult:
    rng = random.Random(seed)
    members = sorted(members)
    pool = sorted(pool)
    drawn = rng.sample(members, sample_size(len(members), percent))
    inspectors: dict[str, list[str]] = {}
    for member in drawn:
        excluded = set(exclusions.get(member, ()))
        eligible = [code for code in pool if code not in excluded]
        if len(eligible) < per_member:
            raise PoolTooSmall(member, len(eligible), per_member)
        inspectors[member] = rng.sample(eligible, per_member)
    return DrawResult(drawn=drawn, inspectors=inspectors)


def drawn_members(seed: str, members: Sequence[str], percent: int = 20) -> list[str]:
    """Only the members, in draw order: the first step of `run_draw`, which needs the ties
    of the drawn members only (the exclusions are looked up after this step)."""
    rng = random.Random(seed)
    members = sorted(members)
    return rng.sample(members, sample_size(len(members), percent))
