"""Notifications: each user sees and marks only their own; counts; e-mail; pages and API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import notifications
from portal.errors import NotFound
from portal.mail import OutboxMessage
from portal.notifications import Notification
from tests.factories import make_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def alice(db):
    return make_user("member", username="alice", email="alice@example.cn")


@pytest.fixture
def bob(db):
    return make_user("worker", username="bob", email="bob@example.cn")


def note(user, title="申请已受理", **kwargs):
    kwargs.setdefault("kind", "application.received")
    kwargs.setdefault("body", "您的入会申请已受理。")
    return notifications.notify(user, title=title, **kwargs)


def outbox(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


# -- the service -------------------------------------------------------------------------


def test_notify_adds_the_notification_and_queues_an_email(app, db, alice, clock_at, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://portal.example.cn/")
    clock_at(T0)
    created = note(alice, link="/applications/3")
    db.session.commit()
    assert (created.user_id, created.kind, created.created_at, created.read_at) == (
        alice.id,
        "application.received",
        T0,
        None,
    )
    [message] = outbox(db)
    assert (message.to_address, message.subject, message.kind) == (
        "alice@example.cn",
        "申请已受理",
        "application.received",
    )
    assert (message.object_type, message.object_id) == ("notification", str(created.id))
    assert message.body_text.startswith("您的入会申请已受理。")
    assert "https://portal.example.cn/applications/3" in message.body_text


def test_without_a_base_url_the_email_asks_to_sign_in(db, alice):
    note(alice, link="/applications/3")
    [message] = outbox(db)
    assert (
        "Sign in to the portal" in message.body_text and "/applications/3" not in message.body_text
    )


def test_no_email_when_not_wanted_or_not_possible(db, alice):
    no_address = make_user("worker", username="noaddr")
    bad_address = make_user("worker", username="badaddr", email="not an address")
    disabled = make_user("worker", username="gone", email="gone@example.cn", active=False)
    note(alice, email=False)
    for user in (no_address, bad_address, disabled):
        note(user)
    db.session.flush()
    assert outbox(db) == []
    assert db.session.scalar(select(Notification).where(Notification.user_id == bad_address.id))


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:x",
        "/a\\b",
        "/a b",
        "relative/path",
        "/" + "x" * 500,
    ],
)
def test_links_stay_within_the_portal(db, alice, link):
    with pytest.raises(ValueError):
        note(alice, link=link)


def test_titles_are_one_short_line(db, alice):
    assert note(alice, title="标题\n第二行 " + "长" * 300).title.startswith("标题 第二行 长")
    assert len(note(alice, title="x" * 300).title) == 200


def test_counts_and_order_unread_first_then_newest(db, alice, bob, clock_at):
    for n in range(3):
        clock_at(T0 + timedelta(minutes=n))
        note(alice, title=f"A{n}")
    note(bob, title="B0")
    db.session.flush()
    first = db.session.scalar(select(Notification).where(Notification.title == "A0"))
    notifications.mark_read(alice, first.id)
    clock_at(T0 + timedelta(minutes=5))
    note(alice, title="A3")
    titles = [n.title for n in db.session.scalars(notifications.notifications_of(alice))]
    assert titles == ["A3", "A2", "A1", "A0"]
    assert (notifications.unread_count(alice), notifications.unread_count(bob)) == (3, 1)
    assert notifications.mark_all_read(alice) == 3
    assert (notifications.unread_count(alice), notifications.unread_count(bob)) == (0, 1)


def test_marking_read_twice_keeps_the_first_time(db, alice, clock_at):
    clock_at(T0)
    created = note(alice)
    db.session.flush()
    notifications.mark_read(alice, created.id)
    clock_at(T0 + timedelta(hours=1))
    assert notifications.mark_read(alice, created.id).read_at == T0


def test_another_users_notification_is_not_found(db, alice, bob):
    theirs = note(bob)
    db.session.flush()
    with pytest.raises(NotFound):
        notifications.mark_read(alice, theirs.id)
    assert theirs.read_at is None


# -- pages -------------------------------------------------------------------------------


def test_the_page_shows_only_the_users_own(client, db, alice, bob, login):
    note(alice, title="给 Alice 的通知")
    note(bob, title="给 Bob 的通知")
    db.session.commit()
    login(alice)
    html = client.get("/notifications").get_data(as_text=True)
    assert "给 Alice 的通知" in html and "给 Bob 的通知" not in html
    assert " style=" not in html and "<script>" not in html


def test_the_header_shows_the_unread_count(client, db, alice, login):
    note(alice)
    note(alice)
    db.session.commit()
    login(alice)
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/notifications"' in html
    assert (
        '<span aria-hidden="true">(2)</span><span class="visually-hidden">(2 unread)</span>' in html
    )


def test_the_header_has_no_count_for_anonymous_visitors(client, db):
    assert 'href="/notifications"' not in client.get("/").get_data(as_text=True)


def test_marking_one_read_redirects_with_303(client, db, alice, login):
    created = note(alice)
    db.session.commit()
    login(alice)
    response = client.post(f"/notifications/{created.id}/read", data={"page": "2"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/notifications?page=2")
    db.session.refresh(created)
    assert created.read_at is not None


def test_a_user_cannot_mark_anothers_notification(client, db, alice, bob, login):
    theirs = note(bob)
    db.session.commit()
    login(alice)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert client.post("/notifications/read-all").status_code == 303
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_read_marks_only_ones_own(client, db, alice, bob, login):
    mine = [note(alice), note(alice)]
    theirs = note(bob)
    db.session.commit()
    login(alice)
    response = client.post("/notifications/read-all")
    assert response.status_code == 303
    assert "2 notifications marked as read." in client.get("/notifications").get_data(as_text=True)
    for each in (*mine, theirs):
        db.session.refresh(each)
    assert all(n.read_at for n in mine) and theirs.read_at is None


def test_the_forms_need_the_csrf_token(app, client, db, alice, login):
    created = note(alice)
    db.session.commit()
    login(alice)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/notifications/{created.id}/read").status_code == 400
        assert client.post("/notifications/read-all").status_code == 400
        html = client.get("/notifications").get_data(as_text=True)
        assert html.count('name="csrf_token"') >= 3  # sign out, mark all, mark one
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(created)
    assert created.read_at is None


# -- API ---------------------------------------------------------------------------------


def test_api_lists_marks_one_and_marks_all(client, db, alice, bob, api_token, clock_at):
    clock_at(T0)
    first = note(alice, title="one", link="/x")
    clock_at(T0 + timedelta(minutes=1))
    note(alice, title="two")
    theirs = note(bob, title="bob's")
    db.session.commit()
    headers = api_token(alice)

    listed = client.get("/api/v1/notifications", headers=headers).get_json()
    assert [n["title"] for n in listed["items"]] == ["two", "one"]
    assert listed["unread"] == 2 and listed["page"]["total"] == 2
    assert listed["items"][1]["link"] == "/x" and listed["items"][1]["read_at"] is None
    assert listed["items"][1]["created_at"].startswith("2026-03-02T09:00:00")

    read = client.post(f"/api/v1/notifications/{first.id}/read", headers=headers)
    assert read.status_code == 200 and read.get_json()["read_at"] is not None
    unread_only = client.get("/api/v1/notifications?unread_only=true", headers=headers).get_json()
    assert [n["title"] for n in unread_only["items"]] == ["two"] and unread_only["unread"] == 1

    refused = client.post(f"/api/v1/notifications/{theirs.id}/read", headers=headers)
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"

    assert client.post("/api/v1/notifications/read-all", headers=headers).get_json() == {
        "marked": 1,
        "unread": 0,
    }
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_api_needs_a_token(client, db):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read-all").status_code == 401


def test_api_paging_is_validated(client, db, alice, api_token):
    response = client.get("/api/v1/notifications?per_page=1000", headers=api_token(alice))
    assert response.status_code == 422 and "per_page" in response.get_json()["error"]["fields"]


def test_the_pages_render_in_the_default_language(app, client, db, alice, login, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "zh_CN")
    note(alice)
    db.session.commit()
    login(alice)
    html = client.get("/notifications").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and 'href="/notifications"' in html and "申请已受理" in html
