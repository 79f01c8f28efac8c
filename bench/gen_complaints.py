"""Complaints across every state, with their deadlines and timeline.

Open deadlines that fell due before "now" were already escalated by earlier sweeps, except
exactly `SWEEP_DUE` of them: those are what the benchmarked sweep finds to do, at every
size. The first `TRACKED` complaints are anonymous with the receipt code `BENCH_CODE` (one argon2
hash shared by all, since hashing costs a quarter of a second), for the tracking benchmark.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from bench.generate import END, Context, bulk, spread, step, table, uid
from portal.complaints.constants import SUBTYPES, Channel
from portal.complaints.receipts import CODE_ALPHABET, CODE_LENGTH, hash_code
from portal.crypto import field_aad, seal

SWEEP_DUE = 1_000
TRACKED = 50
# status -> share of all complaints
STATES = (
    ("closed", 0.60),
    ("rejected", 0.10),
    ("resolved", 0.05),
    ("investigating", 0.10),
    ("accepted", 0.05),
    ("awaiting_material", 0.03),
    ("received", 0.07),
)
OPEN = {"received", "accepted", "investigating", "awaiting_material"}
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞")


BENCH_CODE = "".join(
    CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in hashlib.sha256(b"bench").digest()[:CODE_LENGTH]
)


def bench_tracking_number(n: int) -> str:
    return f"TS-2026-{n:06d}"


def _sealed(row_uid: str, column: str, value: str) -> bytes:
    return seal(value, field_aad("complaints", column, row_uid))


def _status(rng) -> str:
    roll, total = rng.random(), 0.0
    for status, share in STATES:
        total += share
        if roll < total:
            return status
    return "closed"


@step("complaints")
def complaints(context: Context) -> int:
    rng = context.rng
    subtypes = [(c.value, s) for c, subs in SUBTYPES.items() for s in subs]
    receipt_hash = hash_code(BENCH_CODE)
    context.complaint_plan = []  # (id, status, received_at, member_id)

    def rows():
        for n in range(1, context.count("complaints") + 1):
            status = _status(rng)
            received = (
                spread(rng) if status not in OPEN else END - timedelta(days=rng.randrange(1, 40))
            )
            member_id = rng.choice(context.member_ids)
            category, subtype = rng.choice(subtypes)
            row_uid = uid()
            closed = status in ("closed", "rejected")
            context.complaint_plan.append((n, status, received, member_id))
            yield {
                "id": n,
                "uid": row_uid,
                "tracking_number": bench_tracking_number(n),
                "status": status,
                "channel": rng.choice(list(Channel)).value,
                "category": category,
                "subtype": subtype,
                "description": f"投诉{n}：体检报告结论与复查结果不一致，请求协会调查处理。",
                "member_id": member_id,
                "agency_name": f"机构{member_id}",
                "share_identity_with_agency": False,
                "name_enc": _sealed(row_uid, "name_enc", rng.choice(NAMES)),
                "phone_enc": _sealed(row_uid, "phone_enc", f"138{n:08d}"),
                "receipt_hash": receipt_hash if n <= TRACKED else None,
                "submission_key": hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
                "received_at": received,
                "decided_at": None if status == "received" else received + timedelta(days=3),
                "complexity": None
                if status in ("received", "rejected")
                else rng.choice(["simple", "complex"]),
                "rejection_code": "not_a_member" if status == "rejected" else None,
                "finding": rng.choice(
                    ["substantiated", "partly_substantiated", "not_substantiated"]
                )
                if status in ("resolved", "closed")
                else None,
                "resolved_at": received + timedelta(days=20)
                if status in ("resolved", "closed")
                else None,
                "closed_at": received + timedelta(days=25) if closed else None,
                "updated_at": received,
            }

    return bulk(table("complaints"), rows())


@step("complaint deadlines")
def deadlines(context: Context) -> int:
    rng = context.rng
    due_now = 0

    def rows():
        nonlocal due_now
        for complaint_id, status, received, _member in context.complaint_plan:
            kinds = (
                ["decision"] if status in ("received", "rejected") else ["decision", "resolution"]
            )
            for kind in kinds:
                start = received if kind == "decision" else received + timedelta(days=3)
                days = 5 if kind == "decision" else rng.choice([5, 30])
                due = start + timedelta(days=days * 7 // 5 + 1)
                still_open = status in OPEN and (kind == "resolution" or status == "received")
                row = {
                    "complaint_id": complaint_id,
                    "kind": kind,
                    "working_days": days,
                    "start_at": start,
                    "start_date": start.date(),
                    "base_due_date": due.date(),
                    "due_date": due.date(),
                    "due_at": due,
                    "provisional": False,
                    "paused_working_days": 0,
                    "paused_seconds": 0,
                    "paused_since": received + timedelta(days=4)
                    if status == "awaiting_material" and still_open
                    else None,
                    "at_70": start + (due - start) * 0.7,
                    "at_90": start + (due - start) * 0.9,
                    "met_at": None if still_open else min(due, start + timedelta(days=2)),
                    "warned_70_at": None,
                    "warned_90_at": None,
                    "escalated_at": None,
                }
                # As the sweep sees it (`overdue_condition`): a paused clock is overdue when
                # the pause began after the deadline; its warnings count up to the pause.
                paused = row["paused_since"]
                clock_stop = paused or END
                overdue = due < END if paused is None else paused > due
                if still_open and overdue:
                    if paused is None and due_now < SWEEP_DUE:
                        due_now += 1  # left for the benchmarked sweep
                    else:  # already warned and escalated by earlier sweeps
                        row.update(
                            warned_70_at=row["at_70"], warned_90_at=row["at_90"], escalated_at=due
                        )
                elif still_open and row["at_70"] <= clock_stop:
                    row.update(warned_70_at=row["at_70"])
                    if row["at_90"] <= clock_stop:
                        row.update(warned_90_at=row["at_90"])
                yield row

    count = bulk(table("complaint_deadlines"), rows())
    context.sweep_due = due_now
    del context.complaint_plan
    return count
