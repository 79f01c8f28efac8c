"""Turning discipline rows into API answers."""

from __future__ import annotations

from portal import uploads
from portal.api.discipline.schemas import (
    AppealOut,
    CaseOut,
    DecisionOut,
    EvidenceOut,
    FileIn,
)
from portal.discipline.models import Decision, DisciplineCase
from portal.discipline.services import access
from portal.discipline.services.cases import Upload


def uploads_of(files: list[FileIn]) -> list[Upload]:
    return [Upload(item.data(), item.name) for item in files]


def _uids(owner_type: str, owner_id: int) -> list[str]:
    return [f.uid for f in uploads.files_of(owner_type, owner_id)]


def case_out(case: DisciplineCase) -> dict:
    out = CaseOut.model_validate(case)
    out.decision_id = case.decision.id if case.decision else None
    out.evidence = [
        EvidenceOut(
            id=e.id, note=e.note, added_at=e.added_at, files=_uids(access.EVIDENCE_FILES, e.id)
        )
        for e in case.evidence
    ]
    return out.model_dump(mode="json")


def decision_out(decision: Decision) -> dict:
    out = DecisionOut.model_validate(decision)
    if decision.appeal is not None:
        appeal = AppealOut.model_validate(decision.appeal)
        appeal.files = _uids(access.APPEAL_FILES, decision.appeal.id)
        out.appeal = appeal
    return out.model_dump(mode="json")
