"""The committees' arithmetic, as pure functions: no database, no Flask.

- A motion passes on yes votes counted against the *eligible* voters (the electorate in
  office when the vote opened, minus the recused), not against the votes cast: an
  ordinary matter needs more than half (过半数: yes * 2 > eligible), a major one at least
  two-thirds (三分之二以上: yes * 3 >= eligible * 2; 6 of 9 passes, 5 of 8 fails).
- The self-regulation committee's composition: large-enterprise, small/micro-enterprise
  and worker representatives are each at least a quarter of the members in office
  (count * 4 >= total). Integers only, so no rounding can let a short group through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from portal.committees.states import CommitteeKind, MotionKind, MotionResult, SeatCategory

# The groups that must each hold at least a quarter of the self-regulation committee.
QUOTA_GROUPS = (
    SeatCategory.LARGE_ENTERPRISE_REP,
    SeatCategory.SMALL_MICRO_ENTERPRISE_REP,
    SeatCategory.WORKER_REP,
)
QUOTA_DENOMINATOR = 4  # each group >= 1/4 of the members in office


def passes(kind: str | MotionKind, yes: int, eligible: int) -> bool:
    """Whether `yes` votes carry a motion of `kind` with `eligible` voters."""
    if eligible <= 0:
        return False
    if MotionKind(kind) is MotionKind.MAJOR:
        return yes * 3 >= eligible * 2
    return yes * 2 > eligible


def yes_needed(kind: str | MotionKind, eligible: int) -> int:
    """The smallest number of yes votes that carries the motion (shown beside the vote)."""
    if eligible <= 0:
        return 1
    if MotionKind(kind) is MotionKind.MAJOR:
        return -(-eligible * 2 // 3)  # ceil(2n/3)
    return eligible // 2 + 1


def result_of(kind: str | MotionKind, yes: int, eligible: int) -> MotionResult:
    return MotionResult.PASSED if passes(kind, yes, eligible) else MotionResult.FAILED


@dataclass(frozen=True)
class GroupFigure:
    category: SeatCategory
    count: int
    total: int
    minimum: int  # the smallest count that meets the quota with this total

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """The share in whole percent, rounded down (so 24.9% never shows as 25%)."""
        return self.count * 100 // self.total if self.total else 0

    @property
    def met(self) -> bool:
        return self.total > 0 and self.count * QUOTA_DENOMINATOR >= self.total


@dataclass(frozen=True)
class Composition:
    kind: CommitteeKind
    total: int
    counts: dict[SeatCategory, int]
    groups: tuple[GroupFigure, ...]  # the quota groups (self-regulation committee only)

    @property
    def applies(self) -> bool:
        """Whether the committee has a composition rule at all."""
        return bool(self.groups)

    @property
    def met(self) -> bool:
        if not self.applies:
            return self.total > 0
        return self.total > 0 and all(group.met for group in self.groups)

    @property
    def short(self) -> tuple[GroupFigure, ...]:
        """The groups below their quota."""
        return tuple(group for group in self.groups if not group.met)


def composition(kind: str | CommitteeKind, categories: Iterable[str]) -> Composition:
    """The composition of a committee from its members' categories (one per member in
    office)."""
    kind = CommitteeKind(kind)
    counts = Counter(SeatCategory(category) for category in categories)
    total = sum(counts.values())
    minimum = -(-total // QUOTA_DENOMINATOR)  # ceil(total / 4)
    groups = ()
    if kind is CommitteeKind.SELF_REGULATION:
        groups = tuple(
            GroupFigure(category, counts.get(category, 0), total, minimum)
            for category in QUOTA_GROUPS
        )
    return Composition(kind, total, dict(counts), groups)
