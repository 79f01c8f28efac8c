"""Discipline cases with their decisions (in force, notified, appealed, revoked), and the
public entries of the general and serious ones."""

from __future__ import annotations

from datetime import timedelta

from bench.generate import END, Context, bulk, spread, step, table

LEVELS = (
    ("minor", ("verbal_warning",), 0.5, None),
    ("minor", ("order_to_rectify",), 0.15, None),
    ("general", ("written_warning", "public_criticism"), 0.2, 6),
    ("general", ("suspension_3_months",), 0.05, 12),
    ("serious", ("expulsion", "blacklist"), 0.05, 24),
    ("serious", ("revocation_recommendation", "blacklist"), 0.05, 36),
)
TITLES = ("体检报告与实际检查不符", "未告知劳动者体检结果", "伪造检测数据", "超范围执业")


def _level(rng):
    roll, total = rng.random(), 0.0
    for level in LEVELS:
        total += level[2]
        if roll < total:
            return level
    return LEVELS[0]


@step("discipline cases and decisions")
def decisions(context: Context) -> int:
    rng = context.rng
    cases, decided, entries = [], [], []
    counters: dict[int, int] = {}
    for n in range(1, context.count("decisions") + 1):
        member_id = rng.choice(context.member_ids)
        level, measures, _share, months = _level(rng)
        decided_at = spread(rng, years=5)
        year = decided_at.year
        counters[year] = counters.get(year, 0) + 1
        number = f"OHA-D-{year}-{counters[year]:05d}"
        recent = END - decided_at < timedelta(days=14)
        status = "notified" if recent else rng.choice(["in_force"] * 18 + ["revoked"])
        took_effect = None if status != "in_force" else (decided_at + timedelta(days=15)).date()
        published_until = None
        if took_effect and months:
            published_until = took_effect + timedelta(days=months * 30)
        title = rng.choice(TITLES)
        cases.append(
            {
                "id": n,
                "member_id": member_id,
                "status": "decided",
                "source": "direct",
                "summary": title,
                "findings": "经调查核实。",
                "level": level,
                "measures": list(measures),
                "publication_months": months,
                "reasons": "",
                "opened_at": decided_at - timedelta(days=30),
                "updated_at": decided_at,
            }
        )
        decided.append(
            {
                "id": n,
                "case_id": n,
                "member_id": member_id,
                "number": number,
                "status": status,
                "level": level,
                "measures": list(measures),
                "publication_months": months,
                "reasons": "",
                "decided_by": "committee" if months else "secretariat",
                "decided_at": decided_at,
                "notified_at": decided_at,
                "appeal_due_at": decided_at + timedelta(days=14),
                "appeal_warn_at": decided_at + timedelta(days=11),
                "took_effect_at": decided_at + timedelta(days=15) if took_effect else None,
                "took_effect_on": took_effect,
                "published_until": published_until,
                "revoked_at": decided_at + timedelta(days=30) if status == "revoked" else None,
            }
        )
        if published_until:
            entries.append(
                {
                    "member_id": member_id,
                    "member_name": context.member_names[member_id],
                    "decision_no": number,
                    "source_ref": f"discipline_decision:{n}",
                    "level": level,
                    "measures": list(measures),
                    "title": title,
                    "summary": "经协会自律委员会表决通过。",
                    "took_effect_on": took_effect,
                    "published_until": published_until,
                    "blacklist": "blacklist" in measures,
                    "published_at": decided_at + timedelta(days=15),
                }
            )
    counted = bulk(table("discipline_cases"), cases) + bulk(table("discipline_decisions"), decided)
    counted += bulk(
        table("discipline_decision_counters"), [{"year": y, "last": c} for y, c in counters.items()]
    )
    return counted + bulk(table("public_entries"), entries)
