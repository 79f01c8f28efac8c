"""/admin/outbox: staff and administrators only; newest first, search, one message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal import mail


@pytest.fixture
def messages(db, clock_at):
    made = []
    for n in range(30):
        clock_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=n))
        made.append(
            mail.queue_mail(
                f"user{n}@example.cn", f"Subject {n:02d}", f"Body {n}", kind="test.kind"
            )
        )
    made.append(
        mail.queue_mail(
            "zhang.san@qiye.cn",
            "入会申请已受理",
            "正文\n第二行",
            kind="application.received",
            object_type="application",
            object_id=9,
        )
    )
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("admin", 200), ("worker", 403), ("member", 403), ("committee", 403)],
)
def test_only_staff_and_administrators_see_the_outbox(client, users, login, messages, role, status):
    login(users[role])
    assert client.get("/admin/outbox").status_code == status
    assert client.get(f"/admin/outbox/{messages[0].id}").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, messages):
    response = client.get("/admin/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_newest_first_with_pages(client, users, login, messages):
    login(users["staff"])
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert html.index("入会申请已受理") < html.index("Subject 29") < html.index("Subject 06")
    assert "Subject 05" not in html  # 31 messages, 25 a page
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)
    assert "Subject 05" in second and "Subject 00" in second


def test_search_by_address_or_subject(client, users, login, messages):
    login(users["admin"])
    by_address = client.get("/admin/outbox?q=zhang.san").get_data(as_text=True)
    assert "入会申请已受理" in by_address and "Subject 01" not in by_address
    by_subject = client.get("/admin/outbox?q=Subject 1").get_data(as_text=True)
    assert "Subject 12" in by_subject and "zhang.san" not in by_subject
    by_status = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "No message matches." in by_status


def test_one_message_shows_its_text(client, users, login, messages):
    login(users["staff"])
    mail.send_queued()
    html = client.get(f"/admin/outbox/{messages[-1].id}").get_data(as_text=True)
    assert "zhang.san@qiye.cn" in html and "正文\n第二行" in html
    assert "application.received" in html and "application 9" in html
    assert client.get("/admin/outbox/999999").status_code == 404


def test_the_workspace_links_to_the_outbox(client, users, login):
    for role, linked in (("staff", True), ("admin", True), ("worker", False)):
        login(users[role])
        assert ('href="/admin/outbox"' in client.get("/dashboard").get_data(as_text=True)) is linked
        client.post("/logout")


def test_the_page_has_no_inline_styles_or_scripts(client, users, login, messages):
    login(users["staff"])
    for url in ("/admin/outbox", f"/admin/outbox/{messages[-1].id}"):
        html = client.get(url).get_data(as_text=True)
        assert " style=" not in html and "<script>" not in html
