"""Demo complaints in every state, built through the services (so the timeline, the audit
chain, the deadlines and the notifications are what real use would leave behind).

Each demo complaint has a fixed submission key, so running the seeder again adds nothing
that is there. Dates are set by moving the portal's clock back while each step is taken,
so some complaints are overdue now (the scheduler's first sweep escalates them), some are
at risk, some paused, and the closed ones feed the public statistics. Complaints about
members need approved members (the members seeder runs first); without any, only the
complaint about a non-member is made, and the rest come on a later run.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal import calendar, clock
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.complaints.models import Complaint
from portal.complaints.receipts import submission_key
from portal.complaints.services import intake, workflow
from portal.complaints.services.intake import ComplaintInput, Submission
from portal.extensions import db
from portal.members.models import Member, MemberUser
from portal.security import Role
from portal.validators import make_resident_id

EXPERTS = [
    ("expert-legal", "法律专家 赵律师"),
    ("expert-industry", "行业专家 孙工"),
]


@dataclass
class Demo:
    key: str
    subtype: str
    text: str
    days_ago: int  # working days between receipt and now
    steps: list = field(default_factory=list)  # (working days after receipt, action, args)
    who: str = "anonymous"  # anonymous, worker, staff:hotline, staff:walk_in
    agency: str = "any"  # "own": the demo member user's agency; "none": not a member
    share: bool = False
    person: tuple[str, str, date] = ("陈建国", "13800138000", date(1986, 5, 20))


CATEGORY = {
    "wrong_report": "service_quality",
    "non_standard_examination": "service_quality",
    "false_advertising": "violation",
    "outside_scope": "violation",
    "data_falsification": "violation",
    "health_data_leak": "rights_infringement",
    "failure_to_inform": "rights_infringement",
}

DEMOS = [
    Demo(
        "demo-c01",
        "wrong_report",
        "2026年10月的在岗体检报告写我的听力正常，但我到市职业病防治院复查，"
        "诊断为双耳高频听力下降。请核查该机构的报告是否有误。",
        1,
        agency="own",
        who="worker",
    ),
    Demo(
        "demo-c02",
        "non_standard_examination",
        "粉尘作业岗前体检没有拍胸片，医生说“不用拍”，整个体检十分钟就结束了。",
        4,
        who="staff:hotline",
    ),
    Demo(
        "demo-c03", "false_advertising", "该机构在公众号宣传“国家级认证，100%准确”，与事实不符。", 9
    ),
    Demo(
        "demo-c04",
        "outside_scope",
        "该机构没有放射类资质，却给我们单位做了放射工作人员体检。",
        8,
        steps=[(2, "accept", "simple"), (3, "start", None)],
        agency="own",
        share=True,
    ),
    Demo(
        "demo-c05",
        "data_falsification",
        "我当天没有做肺功能检查，报告上却有完整的肺功能检查结果和医生签名。",
        12,
        steps=[
            (1, "accept", "complex"),
            (2, "start", None),
            (3, "panel", None),
            (4, "respond", "本机构已调取当日检查记录，正在核实，将于一周内书面说明。"),
        ],
        agency="own",
        who="worker",
    ),
    Demo(
        "demo-c06",
        "health_data_leak",
        "体检机构把我们全车间的体检结果发到了公司微信群。",
        6,
        steps=[
            (1, "accept", "simple"),
            (2, "start", None),
            (3, "request", "请提供微信群截图，并注明发送时间和发送人。"),
        ],
        share=True,
    ),
    Demo(
        "demo-c07",
        "failure_to_inform",
        "体检发现我有职业禁忌证，但机构没有告诉我本人，只告诉了单位。",
        20,
        steps=[
            (2, "accept", "simple"),
            (3, "start", None),
            (
                5,
                "resolve",
                (
                    "substantiated",
                    "经调查属实。机构未履行告知义务，已责令其书面告知本人并整改告知流程。",
                ),
            ),
        ],
        who="worker",
    ),
    Demo(
        "demo-c08",
        "wrong_report",
        "体检报告把我的名字和另一位同事的检查结果弄混了，单位据此给我调了岗。",
        30,
        steps=[
            (1, "accept", "simple"),
            (2, "start", None),
            (
                4,
                "resolve",
                ("substantiated", "报告信息录入错误，机构已重新出具报告并向投诉人致歉。"),
            ),
            (5, "close", None),
        ],
        agency="own",
    ),
    Demo(
        "demo-c09",
        "non_standard_examination",
        "我在噪声岗位工作，年度体检却没有做纯音测听，报告上也没有相关结果。",
        40,
        steps=[
            (2, "accept", "simple"),
            (3, "start", None),
            (
                9,
                "resolve",
                ("partly_substantiated", "部分属实：测听已做但未记录，机构已补正记录。"),
            ),
            (10, "close", None),
        ],
        who="staff:walk_in",
    ),
    Demo(
        "demo-c10",
        "false_advertising",
        "该机构发放的宣传册写着“包治职业病、当天出结果”，明显夸大宣传。",
        45,
        steps=[
            (1, "accept", "simple"),
            (2, "start", None),
            (
                3,
                "resolve",
                ("not_substantiated", "经查该宣传册系他人冒用机构名义印制，机构已报警并声明。"),
            ),
            (4, "close", None),
        ],
    ),
    Demo(
        "demo-c11",
        "data_falsification",
        "机构出具的车间粉尘浓度检测报告与现场实际情况严重不符，怀疑数据被篡改。",
        60,
        steps=[
            (1, "accept", "complex"),
            (2, "start", None),
            (3, "panel", None),
            (6, "request", "请提供当日现场检测的照片或视频。"),
            (12, "material", "现场照片三张（邮寄）。"),
            (
                25,
                "resolve",
                ("substantiated", "专家组认定检测数据与原始记录不符，移送自律委员会处理。"),
            ),
            (26, "close", None),
        ],
    ),
    Demo(
        "demo-c12",
        "outside_scope",
        "该机构超出资质范围，为我们医院放射科开展了放射防护检测。",
        15,
        steps=[(3, "reject", "经核实，该机构资质证书已包含放射类检测，投诉事项不成立，不予受理。")],
    ),
    Demo(
        "demo-c14",
        "health_data_leak",
        "机构工作人员把我的体检结论告诉了我的邻居，我的病情在小区里传开了。",
        3,
        steps=[(1, "accept", "complex")],
        agency="own",
    ),
    Demo(
        "demo-c13",
        "wrong_report",
        "华安体检站出具的体检报告有明显错误，血压一栏写的是别人的数据。",
        2,
        agency="none",
    ),
]


def _experts() -> list[User]:
    made = []
    for username, name in EXPERTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            from portal.demo import DEMO_PASSWORD

            user = accounts.create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=Role.COMMITTEE,
                display_name=name,
                email=f"{username}@demo.oha.example.cn",
                actor="seed-demo",
            )
        made.append(user)
    return made


def _own_member(users: dict[str, User]) -> Member | None:
    member_user = users.get("member")
    if member_user is None:
        return None
    return db.session.scalar(
        select(Member)
        .join(MemberUser, MemberUser.member_id == Member.id)
        .where(MemberUser.user_id == member_user.id, Member.member_no.is_not(None))
    )


def _working_days_before(today: date, n: int) -> date:
    day, counted = today, 0
    while counted < n:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=clock.SHANGHAI)


@contextlib.contextmanager
def _clock_at(instant: datetime):
    clock.set_now(min(instant, datetime.now(clock.SHANGHAI)))
    try:
        yield
    finally:
        clock.reset()


def _input(demo: Demo, member: Member | None) -> ComplaintInput:
    name, phone, birth = demo.person
    return ComplaintInput(
        category=CATEGORY[demo.subtype],
        subtype=demo.subtype,
        description=demo.text,
        member_no=member.member_no if member else None,
        agency_name=None if member else "华安职业健康体检站（非会员）",
        name=name,
        id_number=make_resident_id(birth, "440106", 37),
        phone=phone,
        email=None,
        health="长期粉尘、噪声作业。" if demo.subtype != "false_advertising" else None,
        share_identity_with_agency=demo.share,
    )


def _step(action: str, argument, complaint: Complaint, users: dict[str, User], panel) -> None:
    staff = users["staff"]
    if action == "accept":
        workflow.accept(staff, complaint, argument)
    elif action == "reject":
        workflow.reject(staff, complaint, argument)
    elif action == "start":
        workflow.start_investigation(staff, complaint)
    elif action == "request":
        workflow.request_material(staff, complaint, argument)
    elif action == "material":
        workflow.add_material(staff, complaint, argument)
    elif action == "panel":
        workflow.assign_panel(staff, complaint, panel)
    elif action == "respond":
        workflow.respond(users["member"], complaint, argument)
    elif action == "resolve":
        workflow.resolve(staff, complaint, *argument)
    elif action == "close":
        workflow.close(staff, complaint)


def seed_complaints(users: dict[str, User]) -> None:
    members = list(
        db.session.scalars(select(Member).where(Member.member_no.is_not(None)).order_by(Member.id))
    )
    own = _own_member(users)
    experts = _experts()
    panel = {"clinical": users["committee"].id, "legal": experts[0].id, "industry": experts[1].id}
    today = clock.today()
    for index, demo in enumerate(DEMOS):
        key = submission_key("demo", demo.key)
        if db.session.scalar(select(Complaint.id).where(Complaint.submission_key == key)):
            continue
        if demo.agency == "none":
            member = None
        elif demo.agency == "own" and own is not None:
            member = own
        elif members:
            member = members[index % len(members)]
        else:
            continue  # no member yet: made on a later run
        received = _working_days_before(today, demo.days_ago)
        actor, channel = None, "online"
        if demo.who == "worker":
            actor = users["worker"]
        elif demo.who.startswith("staff:"):
            actor, channel = users["staff"], demo.who.split(":")[1]
        with _clock_at(_at(received, 9 + index % 8)):
            filed = intake.file_complaint(
                actor,
                _input(demo, member),
                channel=channel,
                submission=Submission("demo", demo.key),
            )
        complaint = filed.complaint
        for after, action, argument in demo.steps:
            when = calendar.add_working_days(received, after)
            with _clock_at(_at(when, 10 + index % 6)):
                _step(action, argument, complaint, users, panel)
        db.session.flush()
