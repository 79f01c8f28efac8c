"""Text a complainant types is shown as text on every page that shows it, never run."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import file

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>“引号”《书名》'


@pytest.mark.parametrize(
    ("reader", "url"),
    [
        ("staff", "/staff/complaints/{number}"),
        ("worker", "/my/complaints/{number}"),
    ],
)
def test_hostile_complaint_text_is_escaped(client, login, people, member, now, reader, url):
    complaint = file(people["worker"], member, description=HOSTILE, health=HOSTILE).complaint
    login(people[reader])
    html = client.get(url.format(number=complaint.tracking_number)).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "“引号”《书名》" in html
