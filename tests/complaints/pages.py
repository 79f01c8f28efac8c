"""Helpers for the page tests: form tokens, codes and numbers read from the HTML."""

from __future__ import annotations

import re


def token_of(html: str) -> str:
    return re.search(r'name="submission_token" type="hidden" value="([^"]+)"', html).group(1)


def receipt_of(html: str) -> tuple[str, str | None]:
    number = re.search(r'class="tracking-number">(TS-\d{4}-\d{6})<', html).group(1)
    code = re.search(r'class="receipt-code[^"]*"[^>]*>([0-9A-Z-]{14})<', html)
    return number, code.group(1) if code else None


def form_data(member_no: str | None, token: str, **changes) -> dict:
    data = {
        "submission_token": token,
        "member_no": member_no or "none",
        "agency_name": "" if member_no else "某某未入会体检站",
        "subtype": "non_standard_examination",
        "description": "肺功能检查只做了一次，医生也没有解释结果，五分钟就结束了。",
        "name": "李四",
        "id_number": "11010519491231002X",
        "phone": "13900001111",
        "email": "",
        "health": "",
    }
    data.update(changes)
    return data
