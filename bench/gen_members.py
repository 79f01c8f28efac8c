"""Members, their approved scope and credentials; the secretariat's accounts."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher

from bench.generate import END, Context, bulk, spread, step, table
from portal.members.constants import AgencyType, HazardCategory
from portal.members.regions import PROVINCES
from portal.validators import make_credit_code

CITIES = ("城东", "城西", "高新", "经开", "滨海", "江北", "河西", "港区", "新区", "开发区")
KINDS = ("职业健康体检中心", "职业卫生技术服务有限公司", "健康风险评估所", "职业病防治院")
STAFF_USERS = 40
BENCH_PASSWORD = "bench-pass-2026"  # noqa: S105 (benchmark data only)


@step("users")
def users(context: Context) -> int:
    password_hash = PasswordHasher().hash(BENCH_PASSWORD)
    rows = [
        {
            "username": f"bench-staff-{n:03d}",
            "display_name": f"秘书处{n:03d}",
            "role": "staff",
            "password_hash": password_hash,
            "active": True,
            "session_version": 1,
            "token_version": 1,
            "created_at": END - timedelta(days=2000),
        }
        for n in range(STAFF_USERS)
    ]
    count = bulk(table("users"), rows)
    context.staff_ids = list(range(1, count + 1))
    return count


@step("members")
def members(context: Context) -> int:
    rng = context.rng
    provinces = sorted(PROVINCES)
    types = [t.value for t in AgencyType]

    def rows():
        for n in range(1, context.count("members") + 1):
            province = rng.choice(provinces)
            approved = spread(rng, years=8)
            name = f"{PROVINCES[province][0][:2]}{rng.choice(CITIES)}{rng.choice(KINDS)}{n}"
            context.member_names[n] = name  # the register copies it
            yield {
                "id": n,
                "name": name,
                "agency_type": rng.choice(types),
                "province": province,
                "city": rng.choice(CITIES),
                "credit_code": make_credit_code(f"91{province}0000{n:09d}"[:17]),
                "member_no": f"OHA-{approved.year}-{n:05d}",
                "premises_m2": float(rng.randrange(150, 2000)),
                "exam_rooms": rng.randrange(2, 20),
                "approved_at": approved,
                "credentials_approved_at": approved,
                "qualification_lapsed": rng.random() < 0.03,
                "suspended": False,
                "profile_text": "",
                "created_at": approved - timedelta(days=30),
            }

    count = bulk(table("members"), rows())
    context.member_ids = list(range(1, count + 1))
    return count


@step("member scopes and credentials")
def scopes_and_credentials(context: Context) -> int:
    rng = context.rng
    categories = [c.value for c in HazardCategory]
    scope_rows, credential_rows = [], []
    for member_id in context.member_ids:
        for category in rng.sample(categories, rng.randrange(1, 4)):
            scope_rows.append({"member_id": member_id, "category": category})
        valid_from = END.date() - timedelta(days=rng.randrange(30, 1400))
        for kind in ("qualification", "iso9001"):
            credential_rows.append(
                {
                    "member_id": member_id,
                    "kind": kind,
                    "number": f"{kind[:3].upper()}-{member_id:06d}",
                    "issuer": "省卫生健康委员会" if kind == "qualification" else "认证中心",
                    "valid_from": valid_from,
                    "valid_to": valid_from + timedelta(days=365 * 5),
                }
            )
    return bulk(table("member_scopes"), scope_rows) + bulk(
        table("member_credentials"), credential_rows
    )
