"""The pages: administrators' committees and ties, the secretariat's motions, a committee
member's votes, and the public register."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.committees import roster, ties, voting
from portal.committees.models import Motion, Vote
from portal.extensions import db
from tests.committees.factories import cast, close, committee_user, make_agency, open_vote
from tests.factories import DEFAULT_PASSWORD


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_administrators_set_up_committees_and_seats(client, login, now, admin):
    login(admin)
    page = client.get("/admin/committees")
    assert page.status_code == 200 and "Set up the Mediation committee" in _text(page)
    created = client.post("/admin/committees", data={"kind": "mediation"})
    assert created.status_code == 303
    committee = roster.committee_of_kind("mediation")
    member = committee_user("med-expert", display_name="王医生")
    db.session.commit()  # a view's rollback on bad input must not take the test's data along
    form = client.get(f"/admin/committees/{committee.id}/seats/new")
    assert "王医生 (med-expert)" in _text(form)
    bad = client.post(
        f"/admin/committees/{committee.id}/seats/new",
        data={
            "user_id": member.id,
            "category": "medical_expert",
            "term_start": "2026-01-01",
            "term_end": "2025-01-01",
        },
    )
    assert bad.status_code == 422 and "cannot end before it starts" in _text(bad)
    good = client.post(
        f"/admin/committees/{committee.id}/seats/new",
        data={
            "user_id": member.id,
            "category": "medical_expert",
            "term_start": "2026-01-01",
            "term_end": "2028-12-31",
        },
    )
    assert good.status_code == 303
    detail = _text(client.get(f"/admin/committees/{committee.id}"))
    assert "王医生" in detail and "Medical expert" in detail and "In office" in detail
    placed = roster.seats_of(member)[0]
    edited = client.post(
        f"/admin/committees/seats/{placed.id}",
        data={"category": "legal_expert", "term_start": "2026-01-01", "term_end": "2026-06-14"},
    )
    assert edited.status_code == 303
    assert roster.seats_in_office(committee) == []


def test_administrators_record_and_withdraw_ties(client, login, board, admin, agency):
    login(admin)
    member = board.members[0]
    response = client.post(
        "/admin/committees/ties",
        data={
            "user_id": member.id,
            "member_id": agency.id,
            "nature": "consultancy",
            "note": "顾问",
        },
    )
    assert response.status_code == 303
    tie = ties.ties(user_id=member.id)[0]
    listing = _text(client.get("/admin/committees/ties"))
    assert agency.name in listing and "recorded by an administrator" in listing
    assert client.post(f"/admin/committees/ties/{tie.id}/withdraw").status_code == 303
    assert not tie.active


def test_a_member_declares_a_tie(client, login, board, agency):
    login(board.members[0])
    page = client.get("/committee/ties")
    assert page.status_code == 200 and "Declare a tie" in _text(page)
    response = client.post("/committee/ties", data={"member_id": agency.id, "nature": "family"})
    assert response.status_code == 303
    assert "Active: you are recused" in _text(client.get("/committee/ties"))


def test_the_secretariat_drafts_and_opens_a_vote(client, login, board, secretary, agency):
    ties.declare_tie(board.members[0], member_id=agency.id, nature="employment")
    login(secretary)
    assert client.get("/secretariat/motions/new").status_code == 200
    response = client.post(
        "/secretariat/motions/new",
        data={
            "committee_id": board.committee.id,
            "title": "对某机构给予公开批评",
            "body": "Details.",
            "subject_type": "sanction",
            "kind": "",
            "member_id": agency.id,
            "subject_ref": "discipline_case:12",
            "closes_at": "2026-06-20T17:00",
        },
    )
    assert response.status_code == 303, _text(response)[:2000]
    motion = db.session.scalars(select(Motion)).one()
    assert motion.kind == "major"
    assert clock.shanghai(motion.closes_at).strftime("%Y-%m-%d %H:%M") == "2026-06-20 17:00"
    detail = _text(client.get(f"/secretariat/motions/{motion.id}"))
    assert "Electorate if the vote opened today" in detail
    assert "Recused: Employed by the agency" in detail
    assert "meets the composition rule" in detail
    edited = client.post(
        f"/secretariat/motions/{motion.id}/edit",
        data={
            "title": "对某机构给予公开批评（修订）",
            "body": "Details.",
            "subject_type": "sanction",
            "kind": "",
            "member_id": agency.id,
            "subject_ref": "",
            "closes_at": "2026-06-21T17:00",
        },
    )
    assert edited.status_code == 303
    assert client.post(f"/secretariat/motions/{motion.id}/open").status_code == 303
    assert motion.status == "open"
    detail = _text(client.get(f"/secretariat/motions/{motion.id}"))
    assert "0 of 8 eligible voters have voted; 8 have not. 1 recused." in detail


def test_bad_drafts_keep_what_was_typed(client, login, board, secretary):
    db.session.commit()
    login(secretary)
    response = client.post(
        "/secretariat/motions/new",
        data={
            "committee_id": board.committee.id,
            "title": "Keep me",
            "subject_type": "sanction",
            "kind": "ordinary",
            "closes_at": "2020-01-01T10:00",
        },
    )
    assert response.status_code == 422
    body = _text(response)
    assert 'value="Keep me"' in body and "always major matters" in body
    assert "must be in the future" in body


def test_opening_is_refused_while_the_composition_rule_fails(
    client, login, board, secretary, admin
):
    for leaving in board.members[6:8]:  # two of the three worker representatives leave
        seat = roster.seats_of(leaving)[0]
        roster.update_seat(
            admin,
            seat,
            category=seat.category,
            term_start=seat.term_start,
            term_end=clock.today() - timedelta(days=1),
        )
    from tests.committees.factories import draft

    motion = draft(secretary, board.committee)
    db.session.commit()
    login(secretary)
    detail = _text(client.get(f"/secretariat/motions/{motion.id}"))
    assert "does not meet the composition rule" in detail and "disabled" in detail
    response = client.post(f"/secretariat/motions/{motion.id}/open", follow_redirects=True)
    assert "Worker representative: 1 of 7, at least 2 needed" in _text(response)
    assert db.session.get(Motion, motion.id).status == "draft"


def test_a_member_votes_with_the_password_again(client, login, board, secretary):
    motion = open_vote(secretary, board.committee, title="关于修订自律公约的议案")
    db.session.commit()
    member = board.members[0]
    login(member)
    votes = _text(client.get("/committee/votes"))
    assert "关于修订自律公约的议案" in votes and "3 d 0 h" in votes and "Vote needed" in votes
    page = _text(client.get(f"/committee/motions/{motion.id}"))
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    wrong = client.post(
        f"/committee/motions/{motion.id}/vote",
        data={"choice": "no", "reason": "理由", "password": "wrong-password"},
    )
    assert wrong.status_code == 422 and "The password is wrong." in _text(wrong)
    assert voting.own_vote(member, motion) is None
    right = client.post(
        f"/committee/motions/{motion.id}/vote",
        data={"choice": "no", "reason": "理由", "password": DEFAULT_PASSWORD},
    )
    assert right.status_code == 303
    page = _text(client.get(f"/committee/motions/{motion.id}"))
    assert "Your vote" in page and "理由" in page and 'type="password"' not in page
    again = client.post(
        f"/committee/motions/{motion.id}/vote", data={"choice": "yes", "password": DEFAULT_PASSWORD}
    )
    assert again.status_code == 409
    assert db.session.scalar(select(Vote).where(Vote.voter_id == member.id)).choice == "no"


def test_a_recused_member_sees_why_and_cannot_vote(client, login, board, secretary, agency):
    tied = board.members[0]
    ties.declare_tie(tied, member_id=agency.id, nature="management")
    motion = open_vote(secretary, board.committee, member_id=agency.id)
    db.session.commit()
    login(tied)
    page = _text(client.get(f"/committee/motions/{motion.id}"))
    assert "You are recused from this motion" in page
    assert "Manager or director of the agency" in page and 'type="password"' not in page
    refused = client.post(
        f"/committee/motions/{motion.id}/vote", data={"choice": "yes", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 403
    assert voting.own_vote(tied, motion) is None


def test_a_member_recuses_themself_on_the_page(client, login, board, secretary):
    motion = open_vote(secretary, board.committee)
    login(board.members[0])
    response = client.post(
        f"/committee/motions/{motion.id}/recuse",
        data={"recuse-reason": "I advised the agency last year."},
    )
    assert response.status_code == 303
    assert "You are recused from this motion" in _text(
        client.get(f"/committee/motions/{motion.id}")
    )


def test_outsiders_do_not_see_an_open_motion(client, login, board, secretary):
    motion = open_vote(secretary, board.committee)
    outsider = committee_user("outsider")
    db.session.commit()
    login(outsider)
    assert client.get(f"/committee/motions/{motion.id}").status_code == 404
    response = client.post(
        f"/committee/motions/{motion.id}/vote", data={"choice": "yes", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 404
    assert db.session.scalars(select(Vote)).all() == []


def test_results_are_hidden_until_closing_and_names_are_not_public(client, login, board, secretary):
    motion = open_vote(secretary, board.committee, title="年度工作报告")
    for member in board.members[:5]:
        cast(member, motion, "yes")
    cast(board.members[5], motion, "no", "报告数据不完整")
    login(secretary)
    before = _text(client.get(f"/secretariat/motions/{motion.id}"))
    assert "How each member voted" not in before and "报告数据不完整" not in before
    assert "6 of 9 eligible voters have voted" in before
    assert "年度工作报告" not in _text(client.get("/committees"))
    close(motion)  # days later: the secretary's idle session has ended; they sign in again
    login(secretary)
    after = _text(client.get(f"/secretariat/motions/{motion.id}"))
    assert "How each member voted" in after and "报告数据不完整" in after
    assert "Adopted" in after and "yes votes from more than half" in after
    client.post("/logout")
    public = _text(client.get("/committees"))
    assert "年度工作报告" in public and "5 yes · 1 no · 0 abstain, of 9 eligible" in public
    resolution = _text(client.get(f"/committees/resolutions/{motion.id}"))
    assert "报告数据不完整" not in resolution and "How each member voted" not in resolution
    assert "Adopted" in resolution
    login(board.members[8])
    member_view = _text(client.get(f"/committee/motions/{motion.id}"))
    assert "How each member voted" in member_view and "报告数据不完整" in member_view


def test_sanction_votes_are_not_published_here(client, board, secretary):
    agency = make_agency()
    motion = open_vote(
        secretary,
        board.committee,
        subject_type="sanction",
        member_id=agency.id,
        title="给予警告处分",
    )
    close(motion)
    assert "给予警告处分" not in _text(client.get("/committees"))
    assert client.get(f"/committees/resolutions/{motion.id}").status_code == 404


def test_the_public_page_shows_the_composition(client, board):
    page = _text(client.get("/committees"))
    assert "Self-regulation committee" in page
    assert board.members[0].display_name in page
    assert "The committee meets the composition rule (9 members in office)." in page
    assert "style=" not in page and "<script>" not in page


def test_the_workspace_tiles(client, login, board, secretary):
    login(board.members[0])
    home = _text(client.get("/dashboard"))
    assert "My votes" in home and "My ties to agencies" in home
    client.post("/logout")
    login(secretary)
    assert "Committee motions" in _text(client.get("/dashboard"))


def test_pages_speak_chinese_by_default(client, login, board, secretary):
    motion = open_vote(secretary, board.committee)
    client.set_cookie("lang", "zh_CN")
    public = _text(client.get("/committees"))
    assert "自律委员会" in public and "决议" in public
    login(board.members[0])
    page = _text(client.get(f"/committee/motions/{motion.id}"))
    assert "投票" in page and "密码" in page
