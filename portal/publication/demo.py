"""Demo entries of the public register, published through `publish_decision` (as discipline
will), so the blacklist and the decisions are not empty before discipline has demo data.

Idempotent: each demo entry has a fixed `source_ref`. Needs approved members (the members
seeder runs first); with fewer than three, nothing is published and a later run adds them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.accounts.models import User
from portal.extensions import db
from portal.members.models import Member, MemberUser
from portal.publication import agency
from portal.publication.constants import add_months
from portal.publication.models import PublicEntry
from portal.publication.services import publish_decision

ACTOR = "seed-demo"

DEMO = [
    # (member index, days ago it took effect, months published, level, blacklist, appeal,
    #  measures, title, summary)
    (
        2,
        60,
        24,
        "serious",
        True,
        "upheld",
        ["expulsion", "blacklist"],
        "伪造职业病危害因素检测数据",
        "经调查，该机构在2025年度为多家企业出具的噪声和粉尘检测报告中，部分采样记录与现场"
        "情况不符，存在伪造检测数据的行为。自律委员会决定予以除名并公开披露。机构提出申诉，"
        "申诉委员会维持原决定。",
    ),
    (
        1,
        400,
        36,
        "serious",
        True,
        None,
        ["revocation_recommendation", "blacklist"],
        "体检结论失实损害劳动者健康",
        "该机构在职业健康检查中未按规范开展听力复查，导致多名噪声作业劳动者的职业禁忌证"
        "未被发现。自律委员会决定建议监管部门撤销其资质并公开披露。",
    ),
    (
        0,
        120,
        12,
        "general",
        False,
        "changed",
        ["written_warning", "public_criticism"],
        "未履行职业健康检查结果告知义务",
        "该机构未在规定时限内将职业健康检查结果书面告知劳动者本人。自律委员会决定给予书面"
        "警告和通报批评；申诉委员会将原决定中的暂停会员资格变更为通报批评。",
    ),
    (
        0,
        500,
        6,
        "general",
        False,
        None,
        ["written_warning"],
        "检查报告出具超过规定时限",
        "该机构出具职业健康检查报告超过规定时限。自律委员会决定给予书面警告。",
    ),
]


def seed_publication(users: dict[str, User]) -> None:
    members = list(
        db.session.scalars(
            select(Member).where(Member.member_no.is_not(None)).order_by(Member.id).limit(3)
        )
    )
    if len(members) < 3:
        return
    today = clock.today()
    for number, (
        index,
        days,
        months,
        level,
        blacklist,
        appeal,
        measures,
        title,
        summary,
    ) in enumerate(DEMO, start=1):
        took = today - timedelta(days=days)
        publish_decision(
            ACTOR,
            member_id=members[index].id,
            decision_no=f"OHA-D-{took.year}-{900 + number:03d}",
            level=level,
            measures=measures,
            title=title,
            summary=summary,
            took_effect_on=took,
            published_until=add_months(took, months),
            blacklist=blacklist,
            appeal_outcome=appeal,
            source_ref=f"demo:publication:{number}",
        )
    db.session.flush()
    _seed_requests(members)


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def _agency_user(member: Member) -> User | None:
    return db.session.scalar(
        select(User)
        .join(MemberUser, MemberUser.user_id == User.id)
        .where(MemberUser.member_id == member.id)
        .order_by(User.id)
    )


def _seed_requests(members: list[Member]) -> None:
    """A dispute and a credit-repair application waiting in the secretariat's queues."""
    disputed = db.session.scalar(
        select(PublicEntry).where(PublicEntry.source_ref == "demo:publication:3")
    )
    user = _agency_user(members[0])
    if disputed is not None and user is not None and not agency.disputes_of(disputed):
        agency.file_dispute(
            user,
            disputed,
            "决定摘要中写明“暂停会员资格”，但申诉委员会已将其变更为通报批评，请更正摘要表述。",
        )
    repaired = db.session.scalar(
        select(PublicEntry).where(PublicEntry.source_ref == "demo:publication:2")
    )
    user = _agency_user(members[1])
    if (
        repaired is not None
        and user is not None
        and not agency.repairs_of(repaired)
        and agency.repair_refusal(repaired) is None
    ):
        agency.apply_for_repair(
            user,
            repaired,
            rectification="已更换体检科负责人，对全部医师完成听力复查规范培训，并对受影响的劳动者"
            "免费安排复查。",
            commitment_accepted=True,
            commitment_name="陈志强",
            files=[agency.Upload(DEMO_PDF, "整改报告.pdf")],
        )
