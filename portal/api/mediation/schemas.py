"""Request and response schemas of the mediation API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, StrictBool

from portal.api.complaints.schemas import FileIn
from portal.api.schemas import PageInfo, Strict
from portal.mediation.services.casefile import CaseFile

StatusName = Literal[
    "awaiting_consent", "declined", "open", "agreement_drafted", "agreed", "failed"
]


class ProposeIn(Strict):
    note: str = Field("", max_length=2000)


class PanelIn(Strict):
    user_ids: list[int] = Field(min_length=1, max_length=10)
    reason: str = Field("", max_length=500)


class SessionIn(Strict):
    starts_at: AwareDatetime
    place: str = Field("", max_length=200)
    online_link: str = Field("", max_length=300)


class RecordIn(Strict):
    complainant_present: StrictBool
    agency_present: StrictBool
    panel_present: list[int] = Field(default_factory=list, max_length=10)
    minutes: str = Field(min_length=1, max_length=20000)


class AgreementIn(Strict):
    text: str = Field(min_length=1, max_length=20000)


class FailIn(Strict):
    reason: str = Field(min_length=1, max_length=5000)
    complaint_after: Literal["resume", "close"]


class DocumentIn(Strict):
    kind: Literal["evidence", "document"] = "document"
    title: str = Field(min_length=1, max_length=200)
    text: str | None = Field(None, max_length=20000)
    file: FileIn | None = None


class CorrectionIn(Strict):
    note: str = Field(min_length=1, max_length=1000)
    text: str | None = Field(None, max_length=20000)
    file: FileIn | None = None


class DeclineIn(Strict):
    reason: str = Field("", max_length=2000)


class ConfirmIn(Strict):
    version: int = Field(ge=1, description="The agreement version the party read")


class TrackIn(Strict):
    tracking_number: str = Field(min_length=1, max_length=30)
    receipt_code: str = Field(min_length=1, max_length=30)


class TrackDeclineIn(TrackIn):
    reason: str = Field("", max_length=2000)


class TrackConfirmIn(TrackIn):
    version: int = Field(ge=1)


class PartyOut(BaseModel):
    shown: Literal["full", "masked", "shared", "none"]
    name: str | None
    id_number: str | None


class SeatOut(BaseModel):
    user_id: int
    display_name: str
    category: str
    reason: str


class SessionOut(BaseModel):
    id: int
    number: int
    starts_at: datetime
    place: str
    online_link: str
    held_at: datetime | None
    attendance: dict | None


class DocumentOut(BaseModel):
    key: str
    version: int
    kind: str
    title: str
    text: str | None
    sha256: str
    file_uid: str | None = Field(description="For GET /api/v1/files/{uid}")
    note: str
    added_at: datetime
    added_by: str


class AgreementOut(BaseModel):
    version: int
    text: str | None
    complainant_confirmed_at: datetime | None
    agency_confirmed_at: datetime | None
    frozen_at: datetime | None
    sha256: str | None
    judicial_confirmation: bool


class FailureOut(BaseModel):
    failed_at: datetime | None
    reason: str | None
    notice: str | None
    complaint_after: str | None


class DeadlineOut(BaseModel):
    due_date: date
    due_at: datetime
    state: str
    percent: int


class EventOut(BaseModel):
    at: datetime
    kind: str
    label: str
    who: str
    note: str | None


class CaseOut(BaseModel):
    number: str
    status: StatusName
    viewer: str
    tracking_number: str
    agency_name: str
    complainant: PartyOut
    complainant_consent_at: datetime | None
    agency_consent_at: datetime | None
    panel: list[SeatOut]
    panel_explanation: list[str]
    sessions: list[SessionOut]
    documents: list[DocumentOut]
    agreement: AgreementOut
    failure: FailureOut
    first_session: DeadlineOut
    timeline: list[EventOut]

    @classmethod
    def of(cls, view: CaseFile) -> CaseOut:
        case = view.case
        return cls(
            number=view.number,
            status=view.status,
            viewer=view.viewer,
            tracking_number=view.tracking_number,
            agency_name=view.agency_name,
            complainant=PartyOut(
                shown=view.complainant.shown,
                name=view.complainant.name,
                id_number=view.complainant.id_number,
            ),
            complainant_consent_at=case.complainant_consent_at,
            agency_consent_at=case.agency_consent_at,
            panel=[
                SeatOut(
                    user_id=s.user_id,
                    display_name=s.user.display_name,
                    category=s.category,
                    reason=view.reasons[s.user_id] if view.viewer in ("staff", "committee") else "",
                )
                for s in view.panel
            ],
            panel_explanation=view.explanation,
            sessions=[
                SessionOut(
                    id=s.id,
                    number=s.number,
                    starts_at=s.starts_at,
                    place=s.place,
                    online_link=s.online_link,
                    held_at=s.held_at,
                    attendance=s.attendance,
                )
                for s in view.sessions
            ],
            documents=[
                DocumentOut(
                    key=d.key,
                    version=d.version,
                    kind=d.kind,
                    title=d.title,
                    text=d.text,
                    sha256=d.sha256,
                    file_uid=d.file.uid if d.file else None,
                    note=d.note,
                    added_at=d.added_at,
                    added_by=d.added_by_role,
                )
                for group in view.documents
                for d in group
            ],
            agreement=AgreementOut(
                version=case.agreement_version,
                text=case.agreement_text,
                complainant_confirmed_at=case.complainant_confirmed_at,
                agency_confirmed_at=case.agency_confirmed_at,
                frozen_at=case.agreement_frozen_at,
                sha256=case.agreement_sha256,
                judicial_confirmation=case.judicial_confirmation,
            ),
            failure=FailureOut(
                failed_at=case.failed_at,
                reason=case.failure_reason,
                notice=case.notice_text,
                complaint_after=case.complaint_after,
            ),
            first_session=DeadlineOut(
                due_date=case.first_due_date,
                due_at=case.first_due_at,
                state=view.due_state,
                percent=view.due_percent,
            ),
            timeline=[
                EventOut(at=e.at, kind=e.kind, label=e.label, who=e.who, note=e.note)
                for e in view.timeline
            ],
        )


class CaseSummary(BaseModel):
    number: str
    status: StatusName
    tracking_number: str
    agency_name: str
    first_session_due: date


class CaseList(BaseModel):
    items: list[CaseSummary]
    page: PageInfo


class RosterSeat(BaseModel):
    user_id: int
    display_name: str
    category: str
    term_start: date
    term_end: date
    ties: list[int] = Field(description="Member ids of the agencies the person is tied to")


class RosterOut(BaseModel):
    committee_id: int | None
    seats: list[RosterSeat]
