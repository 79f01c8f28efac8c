"""Following a complaint with its tracking number and receipt code."""

from __future__ import annotations

import pytest

from portal.complaints import receipts
from portal.complaints.services import tracking, workflow
from portal.errors import NotFound
from tests.complaints.conftest import file


def test_the_number_and_code_open_the_complaint(people, member, now):
    filed = file(None, member)
    found = tracking.track(filed.complaint.tracking_number, filed.receipt_code)
    assert found is filed.complaint


def test_input_is_forgiving(people, member, now):
    filed = file(None, member)
    number = filed.complaint.tracking_number.lower().replace("-", " ")
    code = receipts.normalize_code(filed.receipt_code).lower()
    code = code.replace("0", "o").replace("1", "l")
    assert tracking.track(number, f"  {code} ") is filed.complaint


def test_every_failure_answers_the_same(people, member, now):
    filed = file(None, member)
    worker_complaint = file(people["worker"], member).complaint  # has no code at all
    answers = []
    for number, code in [
        (filed.complaint.tracking_number, "AAAA-BBBB-CCCC"),
        ("TS-2026-999999", filed.receipt_code),
        (worker_complaint.tracking_number, filed.receipt_code),
        ("", ""),
    ]:
        with pytest.raises(NotFound) as caught:
            tracking.track(number, code)
        answers.append((caught.value.message, caught.value.fields, caught.value.status))
    assert len(set(map(str, answers))) == 1


def test_argon2_runs_even_for_an_unknown_number(people, member, now, monkeypatch):
    calls = []
    real = receipts._hasher

    class Spy:
        def verify(self, stored, plain):
            calls.append(stored)
            return real.verify(stored, plain)

    monkeypatch.setattr(receipts, "_hasher", Spy())
    with pytest.raises(NotFound):
        tracking.track("TS-2026-999999", "AAAA-BBBB-CCCC")
    assert len(calls) == 1


def test_the_public_view_shows_feedback_but_no_internal_notes(people, member, now):
    filed = file(None, member)
    complaint = filed.complaint
    staff = people["staff"]
    workflow.assign_handler(staff, [complaint], people["staff2"].id)
    workflow.accept(staff, complaint, "simple")
    workflow.start_investigation(staff, complaint)
    workflow.resolve(staff, complaint, "substantiated", "机构已重新出具报告并致歉。")
    view = tracking.public_view(complaint)
    assert view.outcome == "机构已重新出具报告并致歉。"
    assert view.finding == "substantiated"
    kinds = [item.kind for item in view.timeline]
    assert "handler_assigned" not in kinds
    assert kinds == ["filed", "accepted", "investigation_started", "resolved"]
    assert [c.kind for c in view.clocks] == ["decision", "resolution"]


def test_codes_have_sixty_random_bits_in_an_unambiguous_alphabet(app):
    with app.app_context():
        codes = {receipts.derive_code(f"seed-{n}") for n in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert set(code.replace("-", "")) <= set(receipts.CODE_ALPHABET)
        assert not set(code) & set("ILOU")
