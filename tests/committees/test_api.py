"""Every step through the API: committees, seats, ties, motions, votes, recusal, results;
the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from portal.committees import roster, ties
from portal.committees.motions import get_motion
from portal.extensions import db
from tests.committees.factories import cast, close, committee_user, open_vote
from tests.factories import DEFAULT_PASSWORD


def test_administrators_build_a_committee_through_the_api(client, api_token, now, admin):
    headers = api_token(admin)
    created = client.post("/api/v1/committees", json={"kind": "mediation"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    committee_id = created.get_json()["id"]
    again = client.post("/api/v1/committees", json={"kind": "mediation"}, headers=headers)
    assert again.status_code == 409
    member = committee_user("api-member")
    db.session.commit()  # the refused request's rollback must not take it along
    bad = client.post(
        f"/api/v1/committees/{committee_id}/seats",
        headers=headers,
        json={
            "user_id": member.id,
            "category": "worker_rep",
            "term_start": "2026-01-01",
            "term_end": "2025-12-31",
        },
    )
    assert bad.status_code == 422 and "term_end" in bad.get_json()["error"]["fields"]
    placed = client.post(
        f"/api/v1/committees/{committee_id}/seats",
        headers=headers,
        json={
            "user_id": member.id,
            "category": "worker_rep",
            "term_start": "2026-01-01",
            "term_end": "2027-12-31",
        },
    )
    assert placed.status_code == 201 and placed.get_json()["in_office"] is True
    patched = client.patch(
        f"/api/v1/committee-seats/{placed.get_json()['id']}",
        headers=headers,
        json={"term_end": "2026-06-14"},
    )
    assert patched.get_json()["in_office"] is False
    detail = client.get(f"/api/v1/committees/{committee_id}", headers=headers).get_json()
    assert detail["composition"]["total"] == 0 and len(detail["seats"]) == 1
    assert "no member in office" in detail["problem"]


def test_ties_through_the_api(client, api_token, board, admin, agency):
    member = board.members[0]
    mine = client.post(
        "/api/v1/me/committee-ties",
        headers=api_token(member),
        json={"member_id": agency.id, "nature": "employment", "note": "2019-2023"},
    )
    assert mine.status_code == 201 and mine.get_json()["declared_by_id"] == member.id
    smuggled = client.post(
        "/api/v1/me/committee-ties",
        headers=api_token(member),
        json={"member_id": agency.id, "nature": "family", "user_id": board.members[1].id},
    )
    assert smuggled.status_code == 422  # unknown field: a member declares only their own
    headers = api_token(admin)
    recorded = client.post(
        "/api/v1/committee-ties",
        headers=headers,
        json={"user_id": board.members[1].id, "member_id": agency.id, "nature": "family"},
    )
    assert recorded.status_code == 201
    listed = client.get(f"/api/v1/committee-ties?member_id={agency.id}", headers=headers)
    assert len(listed.get_json()["items"]) == 2
    tie_id = recorded.get_json()["id"]
    done = client.post(f"/api/v1/committee-ties/{tie_id}/withdraw", headers=headers)
    assert done.get_json()["active"] is False
    mine_listed = client.get("/api/v1/me/committee-ties", headers=api_token(member)).get_json()
    assert [t["nature"] for t in mine_listed["items"]] == ["employment"]


def test_a_whole_vote_through_the_api(client, api_token, board, secretary, agency):
    ties.declare_tie(board.members[8], member_id=agency.id, nature="consultancy")
    staff = api_token(secretary)
    closes = (clock.now() + timedelta(days=2)).isoformat()
    drafted = client.post(
        "/api/v1/motions",
        headers=staff,
        json={
            "committee_id": board.committee.id,
            "title": "取消会员资格的议案",
            "subject_type": "sanction",
            "member_id": agency.id,
            "subject_ref": "discipline_case:7",
            "closes_at": closes,
        },
    )
    assert drafted.status_code == 201, drafted.get_json()
    motion = drafted.get_json()
    assert motion["kind"] == "major" and motion["status"] == "draft"
    motion_id = motion["id"]
    naive = client.patch(
        f"/api/v1/motions/{motion_id}", headers=staff, json={"closes_at": "2026-06-20T10:00:00"}
    )
    assert naive.status_code == 422 and "closes_at" in naive.get_json()["error"]["fields"]
    opened = client.post(f"/api/v1/motions/{motion_id}/open", headers=staff)
    assert opened.status_code == 200 and opened.get_json()["status"] == "open"

    voter = board.members[0]
    headers = api_token(voter)
    mine = client.get("/api/v1/me/motions", headers=headers).get_json()
    assert [m["id"] for m in mine["open"]] == [motion_id]
    assert mine["open"][0]["me"]["can_vote"] is True
    no_password = client.post(
        f"/api/v1/motions/{motion_id}/votes", headers=headers, json={"choice": "yes"}
    )
    assert (
        no_password.status_code == 422 and "password" in no_password.get_json()["error"]["fields"]
    )
    wrong = client.post(
        f"/api/v1/motions/{motion_id}/votes",
        headers=headers,
        json={"choice": "yes", "password": "nope-nope-nope"},
    )
    assert wrong.status_code == 422
    voted = client.post(
        f"/api/v1/motions/{motion_id}/votes",
        headers=headers,
        json={"choice": "no", "reason": "过重", "password": DEFAULT_PASSWORD},
    )
    assert voted.status_code == 201 and voted.get_json()["choice"] == "no"
    twice = client.post(
        f"/api/v1/motions/{motion_id}/votes",
        headers=headers,
        json={"choice": "yes", "password": DEFAULT_PASSWORD},
    )
    assert twice.status_code == 409

    seen = client.get(f"/api/v1/motions/{motion_id}", headers=headers).get_json()
    assert seen["me"]["my_vote"] == "no" and seen["tally"] is None and seen["result"] is None
    for who in (secretary, voter):
        hidden = client.get(f"/api/v1/motions/{motion_id}/result", headers=api_token(who))
        assert hidden.status_code == 409
    electorate = client.get(f"/api/v1/motions/{motion_id}/electorate", headers=staff).get_json()
    assert (electorate["eligible"], electorate["voted"], electorate["recused"]) == (8, 1, 1)
    assert "choice" not in str(electorate)

    tied = api_token(board.members[8])
    refused = client.post(
        f"/api/v1/motions/{motion_id}/votes",
        headers=tied,
        json={"choice": "yes", "password": DEFAULT_PASSWORD},
    )
    assert refused.status_code == 403
    assert (
        client.get(f"/api/v1/motions/{motion_id}", headers=tied).get_json()["me"]["recusal_kind"]
        == "tie"
    )
    recusing = client.post(
        f"/api/v1/motions/{motion_id}/recusal",
        headers=api_token(board.members[1]),
        json={"reason": "利益相关"},
    )
    assert recusing.get_json()["me"]["recused"] is True
    motion_row = get_motion(motion_id)
    for member in board.members[2:8]:
        cast(member, motion_row, "yes")
    close(motion_row)
    staff, headers = api_token(secretary), api_token(voter)  # the clock moved: fresh tokens
    result = client.get(f"/api/v1/motions/{motion_id}/result", headers=staff).get_json()
    assert result["tally"] == {
        "eligible": 7,
        "yes": 6,
        "no": 1,
        "abstain": 0,
        "did_not_vote": 0,
        "yes_needed": 5,
        "result": "passed",
    }
    ballots = {b["user_id"]: b for b in result["ballots"]}
    assert ballots[voter.id]["reason"] == "过重"
    assert ballots[board.members[8].id]["recused"] is True
    assert (
        client.get(f"/api/v1/motions/{motion_id}", headers=headers).get_json()["result"] == "passed"
    )


def test_outsiders_cannot_see_or_vote_through_the_api(client, api_token, board, secretary):
    motion = open_vote(secretary, board.committee)
    outsider = api_token(committee_user("api-outsider"))
    assert client.get(f"/api/v1/motions/{motion.id}", headers=outsider).status_code == 404
    voted = client.post(
        f"/api/v1/motions/{motion.id}/votes",
        headers=outsider,
        json={"choice": "yes", "password": DEFAULT_PASSWORD},
    )
    assert voted.status_code == 404
    staff_vote = client.post(
        f"/api/v1/motions/{motion.id}/votes",
        headers=api_token(secretary),
        json={"choice": "yes", "password": DEFAULT_PASSWORD},
    )
    assert staff_vote.status_code == 403


def test_opening_through_the_api_names_the_short_group(client, api_token, board, secretary, admin):
    for leaving in board.members[:2]:
        seat = roster.seats_of(leaving)[0]
        roster.update_seat(
            admin,
            seat,
            category=seat.category,
            term_start=seat.term_start,
            term_end=clock.today() - timedelta(days=1),
        )
    staff = api_token(secretary)
    motion_id = client.post(
        "/api/v1/motions",
        headers=staff,
        json={
            "committee_id": board.committee.id,
            "title": "x",
            "closes_at": (clock.now() + timedelta(days=2)).isoformat(),
        },
    ).get_json()["id"]
    refused = client.post(f"/api/v1/motions/{motion_id}/open", headers=staff)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert "Large enterprise representative: 1 of 7" in error["message"]
    assert "committee_id" in error["fields"]


def test_public_composition_and_resolutions(client, board, secretary):
    motion = open_vote(secretary, board.committee, title="公开的决议")
    cast(board.members[0], motion, "no", "secret reason")
    assert client.get("/api/v1/public/resolutions").get_json()["items"] == []
    close(motion)
    items = client.get("/api/v1/public/resolutions").get_json()["items"]
    assert [i["title"] for i in items] == ["公开的决议"]
    assert items[0]["tally"]["no"] == 1 and "secret reason" not in str(items)
    one = client.get(f"/api/v1/public/resolutions/{motion.id}").get_json()
    assert one["tally"]["result"] == "failed"
    committees = client.get("/api/v1/public/committees").get_json()["items"]
    assert committees[0]["kind"] == "self_regulation" and len(committees[0]["members"]) == 9
    assert committees[0]["composition"]["met"] is True
    assert "username" not in str(committees)


def test_the_openapi_document_describes_every_step(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/committees",
        "/committees/{committee_id}/seats",
        "/committee-seats/{seat_id}",
        "/committee-ties",
        "/me/committee-ties",
        "/motions",
        "/motions/{motion_id}",
        "/motions/{motion_id}/open",
        "/motions/{motion_id}/withdraw",
        "/motions/{motion_id}/electorate",
        "/motions/{motion_id}/result",
        "/motions/{motion_id}/votes",
        "/motions/{motion_id}/recusal",
        "/me/motions",
        "/public/committees",
        "/public/resolutions",
    ):
        assert "/api/v1" + path in paths, path
