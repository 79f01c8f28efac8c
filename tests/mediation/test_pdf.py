"""The case file export: printable HTML and a PDF with the CJK font embedded; without a
CJK font the PDF export says so and offers the printable page."""

from __future__ import annotations

import re
import zlib

import pytest

from portal import pdf
from tests.mediation.factories import agreed, opened, with_session


def pdf_streams(data: bytes) -> bytes:
    """Every stream of the PDF, inflated where compressed (object streams included)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


def cjk_font_embedded(data: bytes, text: str) -> bool:
    """A font file is embedded and its ToUnicode map covers the Chinese characters."""
    inflated = pdf_streams(data)
    codes = {f"<{ord(ch):04x}>".encode() for ch in text}
    return b"/FontFile" in inflated and all(code in inflated for code in codes)


@pytest.fixture
def concluded(board, complaint, people):
    case = opened(people, complaint)
    with_session(people, case)
    return agreed(people, case)


def test_the_pdf_holds_the_case_file_with_the_cjk_font(client, login, concluded, people):
    if pdf.cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    login(people["worker"])
    response = client.get(f"/mediation/{concluded.number}/file.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.data
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert cjk_font_embedded(data, "双方同意机构复查")


def test_the_printable_page_has_the_whole_file(client, login, concluded, people):
    login(people["staff"])
    page = client.get(f"/mediation/{concluded.number}/file").get_data(as_text=True)
    for part in ("Parties", "Panel", "Sessions", "Outcome", "Documents and evidence", "Timeline"):
        assert part in page
    assert concluded.agreement_sha256 in page
    assert "张卫国" not in page  # staff see the identity masked


def test_the_complainant_sees_their_own_name_the_agency_only_if_shared(
    client, login, concluded, people
):
    login(people["worker"])
    assert "张卫国" in client.get(f"/mediation/{concluded.number}/file").get_data(as_text=True)
    client.post("/logout")
    login(people["member"])
    page = client.get(f"/mediation/{concluded.number}/file").get_data(as_text=True)
    assert "张卫国" not in page


def test_without_a_cjk_font_the_export_says_so(app, client, login, concluded, people, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_CJK_FONT", "/nonexistent/font.otf")
    login(people["staff"])
    response = client.get(f"/mediation/{concluded.number}/file.pdf")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "no font that can print Chinese" in text
    assert f"/mediation/{concluded.number}/file" in text


def test_the_api_answers_503_with_the_printable_page_without_a_cjk_font(
    app, client, api_token, concluded, people, monkeypatch
):
    monkeypatch.setitem(app.config, "PDF_CJK_FONT", "/nonexistent/font.otf")
    response = client.get(
        f"/api/v1/mediation/{concluded.number}/file.pdf", headers=api_token(people["staff"])
    )
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "pdf_unavailable"
    assert f"/mediation/{concluded.number}/file" in error["message"]
