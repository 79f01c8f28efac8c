"""Demo members in every state, built through the services (so the audit chain, the files and
the notifications are what real use would leave behind).

The `member` demo user owns 华康职业健康体检中心, an active member with a few staff (one of
them suspended after a failed examination). Other agencies have their own demo users
(`agency-<place>`, the demo password) and are: active members of each type, one with a
calibration expiring soon, one whose qualification has lapsed, one with a renewal waiting
for review, and applications that are submitted, returned, rejected or still a draft.
Approvals are dated in the past (the clock is moved back while each is made), so members
have realistic "member since" dates and numbers of earlier years. Idempotent.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.extensions import db
from portal.members.constants import (
    REQUIRED_CERTIFICATES,
    AgencyType,
    InstrumentKind,
    StaffRole,
    required_instruments,
)
from portal.members.services import access, applications, expiry, profile, review, staff
from portal.security import Role
from portal.validators import make_credit_code

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages "
    b"/Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
ROLE_FOR = {
    AgencyType.EXAMINATION: StaffRole.PHYSICIAN,
    AgencyType.HYGIENE_SERVICE: StaffRole.HYGIENE_TESTER,
    AgencyType.RISK_ASSESSMENT: StaffRole.HEALTH_PROMOTION,
}
ISSUERS = {
    "11": "北京市卫生健康委员会",
    "44": "广东省卫生健康委员会",
    "32": "江苏省卫生健康委员会",
    "33": "浙江省卫生健康委员会",
    "37": "山东省卫生健康委员会",
    "51": "四川省卫生健康委员会",
    "42": "湖北省卫生健康委员会",
    "41": "河南省卫生健康委员会",
    "31": "上海市卫生健康委员会",
    "12": "天津市卫生健康委员会",
    "21": "辽宁省卫生健康委员会",
}


@dataclass
class Agency:
    username: str | None  # None: the `member` demo user
    name: str
    agency_type: AgencyType
    province: str
    city: str
    region6: str
    scope: tuple[str, ...]
    state: str  # active, lapsed, renewal, submitted, returned, rejected, draft
    approved_days_ago: int = 400
    people: tuple[str, ...] = ("王立新",)
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


AGENCIES = [
    Agency(
        None,
        "华康职业健康体检中心",
        AgencyType.EXAMINATION,
        "11",
        "北京",
        "110105",
        ("dust", "chemical", "physical"),
        "active",
        520,
        ("张建国", "李晓梅"),
        "华康职业健康体检中心位于北京市朝阳区，开展粉尘、化学因素和噪声等物理因素作业人员的"
        "上岗前、在岗期间和离岗时职业健康检查，配备数字化X射线摄影系统、肺功能仪和纯音听力计，"
        "检查结果在规定时限内告知劳动者本人。",
    ),
    Agency(
        "agency-guangzhou",
        "粤安职业卫生技术服务有限公司",
        AgencyType.HYGIENE_SERVICE,
        "44",
        "广州",
        "440106",
        ("dust", "chemical", "physical"),
        "active",
        610,
        ("陈志强",),
        "提供工作场所职业病危害因素检测与评价、职业病防护设施效果评价服务，覆盖粉尘、化学毒物和噪声。",
    ),
    Agency(
        "agency-suzhou",
        "苏州德润职业健康检测评价有限公司",
        AgencyType.HYGIENE_SERVICE,
        "32",
        "苏州",
        "320505",
        ("dust", "physical"),
        "active",
        330,
        ("周敏",),
        "专注于制造业企业的粉尘与噪声检测，出具的检测报告可追溯至原始记录。",
        {"calibration_days": 25},
    ),  # a reminder is due
    Agency(
        "agency-hangzhou",
        "浙江康安健康风险评估中心",
        AgencyType.RISK_ASSESSMENT,
        "33",
        "杭州",
        "330106",
        ("chemical", "biological"),
        "active",
        200,
        ("孙丽华",),
        "为用人单位开展职业健康风险评估和健康促进服务。",
    ),
    Agency(
        "agency-tianjin",
        "天津滨海职业健康检查中心",
        AgencyType.EXAMINATION,
        "12",
        "天津",
        "120116",
        ("dust", "radiation"),
        "active",
        95,
        ("刘洋",),
    ),
    Agency(
        "agency-jinan",
        "山东鲁卫职业健康体检医院",
        AgencyType.EXAMINATION,
        "37",
        "济南",
        "370102",
        ("dust", "physical"),
        "lapsed",
        700,
        ("赵海峰",),
        "山东鲁卫职业健康体检医院提供职业健康检查服务。",
        {"qualification_days": -12},
    ),  # expired twelve days ago
    Agency(
        "agency-shenyang",
        "辽宁盛京职业卫生评价有限公司",
        AgencyType.HYGIENE_SERVICE,
        "21",
        "沈阳",
        "210102",
        ("dust", "chemical"),
        "renewal",
        1050,
        ("郭建华",),
        extra={"qualification_days": -150, "calibration_days": -100},
    ),
    Agency(
        "agency-chengdu",
        "四川天府职业病防治技术服务中心",
        AgencyType.HYGIENE_SERVICE,
        "51",
        "成都",
        "510107",
        ("dust", "chemical", "physical"),
        "submitted",
        people=("何静",),
    ),
    Agency(
        "agency-wuhan",
        "湖北楚康职业健康管理有限公司",
        AgencyType.EXAMINATION,
        "42",
        "武汉",
        "420106",
        ("dust", "physical"),
        "returned",
        people=("黄伟",),
    ),
    Agency(
        "agency-zhengzhou",
        "河南中原职业卫生检测有限公司",
        AgencyType.HYGIENE_SERVICE,
        "41",
        "郑州",
        "410105",
        ("dust",),
        "rejected",
        people=("马超",),
        extra={"premises": 150},
    ),
    Agency(
        "agency-shanghai",
        "上海申安职业健康服务有限公司",
        AgencyType.EXAMINATION,
        "31",
        "上海",
        "310104",
        ("chemical",),
        "draft",
        people=(),
    ),
]


@contextlib.contextmanager
def _days_ago(days: int):
    """Act as if it were `days` days earlier (the clock is put back afterwards)."""
    before = getattr(clock, "_frozen", None)
    clock.set_now((before or clock.now()) - timedelta(days=days))
    try:
        yield
    finally:
        if before is not None:
            clock.set_now(before)
        else:
            clock.reset()


def _credit_code(agency: Agency, index: int) -> str:
    return make_credit_code(f"91{agency.region6}MA0{index:02d}DEMO"[:17].replace("O", "0"))


def _qualification_number(agency: Agency, year: int, index: int) -> str:
    return f"{ISSUERS[agency.province][:2]}职检字〔{year}〕第{index:03d}号"


def _draft(agency: Agency, index: int, today: date, real_today: date) -> dict[str, Any]:
    """The application as filled in on `today`; validity ends are set relative to
    `real_today`, so each demo member is in its intended state now."""
    qualification_to = real_today + timedelta(days=agency.extra.get("qualification_days", 900))
    calibration_to = real_today + timedelta(days=agency.extra.get("calibration_days", 240))
    kinds = list(required_instruments(agency.agency_type, agency.scope)) or [
        InstrumentKind.AIR_SAMPLER
    ]
    return {
        "agency_type": agency.agency_type.value,
        "name": agency.name,
        "province": agency.province,
        "city": agency.city,
        "credit_code": _credit_code(agency, index),
        "qualification_number": _qualification_number(agency, today.year - 1, index),
        "qualification_issuer": ISSUERS[agency.province],
        "qualification_valid_from": (today - timedelta(days=500)).isoformat(),
        "qualification_valid_to": qualification_to.isoformat(),
        "scope": list(agency.scope),
        "premises_m2": str(agency.extra.get("premises", 260 + 40 * index)),
        "exam_rooms": "6" if agency.agency_type is AgencyType.EXAMINATION else "",
        "instruments": [
            {
                "key": f"demo{n:02d}",
                "kind": kind.value,
                "serial_number": f"SN-{index:02d}{n:03d}",
                "calibration_certificate": f"JL{today.year - 1}-{index:02d}{n:03d}",
                "calibration_expires": calibration_to.isoformat(),
            }
            for n, kind in enumerate(kinds, start=1)
        ],
        "iso9001_number": f"00{today.year - 2}Q{index:05d}R0M",
        "iso9001_issuer": "中国质量认证中心",
        "iso9001_valid_from": (today - timedelta(days=400)).isoformat(),
        "iso9001_valid_to": (real_today + timedelta(days=700)).isoformat(),
    }


def _fill(actor, application, values: dict[str, Any]) -> None:
    applications.save_draft(actor, application, values)
    slots = [
        "licence",
        "qualification",
        "quality_manual",
        "procedure_documents",
        "work_instructions",
        "iso9001",
    ]
    slots += [f"calibration:{row['key']}" for row in values.get("instruments", [])]
    for slot in slots:
        applications.attach(
            actor,
            application,
            slot,
            PDF,
            original_name=f"{slot}.pdf".replace("calibration:", "calibration-"),
        )


def _staff(actor, member, agency: Agency, today: date) -> None:
    role = ROLE_FOR[agency.agency_type]
    for number, name in enumerate(agency.people):
        certificates = [
            staff.CertificateIn(
                code=sorted(group)[0],
                number=f"ZS{number:02d}{i}",
                valid_to=today + timedelta(days=800),
            )
            for i, group in enumerate(REQUIRED_CERTIFICATES[role])
        ]
        first = date(today.year - 6, 3, 1)
        person = staff.save_person(
            actor,
            member,
            None,
            name=name,
            role=role.value,
            experience_years=6 + number,
            first_assignment=first,
            certificates=certificates,
        )
        staff.add_training(
            actor,
            person,
            kind="pre_job",
            hours=64,
            completed_on=date(first.year, 2, 10),
            course="岗前职业卫生培训",
        )
        for year in range(first.year + 1, today.year + 1):
            day = min(date(year, 6, 20), today)
            staff.add_training(
                actor,
                person,
                kind="continuing",
                hours=42,
                completed_on=day,
                course="职业健康继续教育",
            )
        for year in range(first.year + 1, today.year):
            staff.record_exam(
                actor, person, taken_on=date(year, 11, 20), passed=True, note="理论与实操考核"
            )


def _user(agency: Agency, users: dict[str, User]) -> tuple[User, bool]:
    if agency.username is None:
        return users["member"], access.member_of(users["member"]) is None
    existing = db.session.scalar(select(User).where(User.username == agency.username))
    if existing is not None:
        return existing, False
    from portal.demo import DEMO_PASSWORD

    user = accounts.create_user(
        username=agency.username,
        password=DEMO_PASSWORD,
        role=Role.MEMBER,
        display_name=agency.name,
        email=f"{agency.username}@demo.oha.example.cn",
        actor="seed-demo",
    )
    return user, True


def _seed_one(agency: Agency, index: int, users: dict[str, User]) -> None:
    user, fresh = _user(agency, users)
    if not fresh:
        return
    secretariat = users["staff"]
    admitted = agency.state in ("active", "lapsed", "renewal")
    days = agency.approved_days_ago if admitted else 3
    real_today = clock.today()
    with _days_ago(days):
        application = applications.start(user)
        member = application.member
        if agency.state == "draft":
            applications.save_step(
                user,
                application,
                "agency",
                {
                    "agency_type": agency.agency_type.value,
                    "name": agency.name,
                    "province": agency.province,
                    "city": agency.city,
                },
            )
            applications.save_step(
                user, application, "licence", {"credit_code": _credit_code(agency, index)}
            )
            return
    _staff(user, member, agency, real_today)  # records of every year, up to now
    with _days_ago(days + 9 if admitted else days):  # filled and sent some days before
        _fill(user, application, _draft(agency, index, clock.today(), real_today))
        applications.submit(user, application)
    if agency.state == "submitted":
        return
    with _days_ago(days):
        if agency.state == "returned":
            review.return_for_correction(
                secretariat,
                application,
                "请补充上传全部体检设备的计量检定证书，并核对资质证书有效期后重新提交。",
            )
            return
        if agency.state == "rejected":
            review.reject(
                secretariat,
                application,
                "检测场所面积不足200平方米，不符合《自律公约》第三章关于场地的要求。",
            )
            return
        review.approve(secretariat, application)
        if agency.text:
            profile.update_profile_text(user, member, agency.text)
    if agency.state in ("lapsed", "renewal"):
        expiry.flag_lapsed(clock.today())
    if agency.state == "renewal":
        _renew(user, index)
    if agency.username is None:
        _suspend_one(user, member)


def _renew(user, index: int) -> None:
    """A renewal with a new qualification certificate and new calibrations, submitted."""
    with _days_ago(2):
        today = clock.today()
        renewal = applications.start(user, "renewal")
        rows = [
            dict(
                row,
                calibration_certificate=f"JL{today.year}-{index:02d}{n:03d}",
                calibration_expires=(today + timedelta(days=330)).isoformat(),
            )
            for n, row in enumerate(renewal.draft.get("instruments", []), start=1)
        ]
        applications.save_draft(
            user,
            renewal,
            {
                "qualification_number": f"辽职检字〔{today.year}〕第{index:03d}号",
                "qualification_valid_from": (today - timedelta(days=20)).isoformat(),
                "qualification_valid_to": (today + timedelta(days=3 * 365)).isoformat(),
                "instruments": rows,
            },
        )
        for slot in ["qualification"] + [f"calibration:{row['key']}" for row in rows]:
            applications.attach(
                user,
                renewal,
                slot,
                PDF + slot.encode(),
                original_name="renewal-" + slot.replace(":", "-") + ".pdf",
            )
        applications.submit(user, renewal)


def _suspend_one(user, member) -> None:
    """The second physician of the demo member failed this year's examination."""
    people = [p for p in staff.staff_of(member) if p.name == "李晓梅"]
    if people:
        staff.record_exam(
            user,
            people[0],
            taken_on=clock.today() - timedelta(days=20),
            passed=False,
            note="实操考核未通过",
        )


def seed_members(users: dict[str, User]) -> None:
    for index, agency in enumerate(AGENCIES, start=1):
        _seed_one(agency, index, users)
        db.session.flush()
