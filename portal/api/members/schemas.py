"""Request and response models of the members API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask_babel import gettext as _
from pydantic import BaseModel, Field

from portal.api.schemas import PageInfo, PageQuery, Strict
from portal.members import draft as drafts
from portal.members import presenters
from portal.members.regions import province_name
from portal.members.rules import Checklist
from portal.members.services import applications
from portal.members.services import directory as listing

AgencyTypeName = Literal["examination", "hygiene_service", "risk_assessment"]
HazardName = Literal["dust", "chemical", "physical", "radiation", "biological"]
StatusName = Literal["active", "lapsed", "suspended", "expelled"]
ApplicationStatusName = Literal["draft", "submitted", "returned", "approved", "rejected"]
KindName = Literal["new", "renewal", "change"]
Loose = str | int | float | None  # kept as typed in the draft, checked afterwards


def page_info(page) -> PageInfo:
    return PageInfo(page=page.page, per_page=page.per_page, total=page.total or 0, pages=page.pages)


# --- checklist -----------------------------------------------------------------------------


class RuleOut(BaseModel):
    code: str = Field(description="Stable rule code, e.g. premises.area or equipment.spirometer")
    title: str
    status: Literal["pass", "fail", "expiring", "not_applicable"]
    reason: str
    hard: bool = Field(description="A failing hard rule blocks approval")
    subject: str | None


class ChecklistOut(BaseModel):
    on: date
    passed: bool = Field(description="No hard rule fails: the secretariat may approve")
    hard_failures: int
    results: list[RuleOut]

    @classmethod
    def of(cls, checklist: Checklist) -> ChecklistOut:
        return cls(
            on=checklist.on,
            passed=checklist.passed,
            hard_failures=len(checklist.hard_failures),
            results=[
                RuleOut(
                    code=r.code,
                    title=presenters.rule_title(r),
                    status=r.status.value,
                    reason=r.reason,
                    hard=r.hard,
                    subject=r.subject,
                )
                for r in checklist.results
            ],
        )


# --- applications --------------------------------------------------------------------------


class StepOut(BaseModel):
    key: str
    title: str
    state: Literal["complete", "attention", "todo"]
    errors: dict[str, str] = Field(description="What is missing or wrong, by field")


class DocumentOut(BaseModel):
    slot: str
    label: str
    file_uid: str
    download: str = Field(description="GET this path (with the bearer token) for the file")
    original_name: str
    media_type: str
    size: int
    sha256: str

    @classmethod
    def of(cls, doc) -> DocumentOut:
        stored = doc.stored_file
        return cls(
            slot=doc.slot,
            label=drafts.slot_label(doc.slot),
            file_uid=stored.uid,
            download=f"/api/v1/files/{stored.uid}",
            original_name=stored.original_name,
            media_type=stored.media_type,
            size=stored.size,
            sha256=stored.sha256,
        )


class ApplicationSummaryOut(BaseModel):
    id: int
    kind: KindName
    status: ApplicationStatusName
    status_label: str
    agency_name: str
    member_no: str | None
    submitted_at: datetime | None
    decided_at: datetime | None

    @classmethod
    def of(cls, app) -> ApplicationSummaryOut:
        return cls(
            id=app.id,
            kind=app.kind,
            status=app.status,
            status_label=app.status_enum.label,
            agency_name=(app.draft or {}).get("name") or app.member.name,
            member_no=app.member.member_no,
            submitted_at=app.submitted_at,
            decided_at=app.decided_at,
        )


class ApplicationOut(ApplicationSummaryOut):
    member_id: int
    created_at: datetime
    updated_at: datetime
    decision_reason: str | None
    member_no_issued: str | None
    draft: dict[str, Any] = Field(description="The saved fields, exactly as typed")
    steps: list[StepOut]
    documents: list[DocumentOut]
    checklist: ChecklistOut

    @classmethod
    def of(cls, app) -> ApplicationOut:
        summary = ApplicationSummaryOut.of(app).model_dump()
        slots = applications.slots_of(app)
        errors = drafts.all_errors(app.draft or {}, slots)
        progress = applications.progress(app)
        return cls(
            **summary,
            member_id=app.member_id,
            created_at=app.created_at,
            updated_at=app.updated_at,
            decision_reason=app.decision_reason,
            member_no_issued=app.member_no_issued,
            draft={k: v for k, v in (app.draft or {}).items() if not k.startswith("_")},
            steps=[
                StepOut(
                    key=s.key,
                    title=str(s.title),
                    state=progress[s.key],
                    errors=errors.get(s.key, {}),
                )
                for s in drafts.STEPS
            ],
            documents=[DocumentOut.of(doc) for doc in app.documents],
            checklist=ChecklistOut.of(applications.checklist(app)),
        )


class ApplicationList(BaseModel):
    items: list[ApplicationSummaryOut]
    page: PageInfo


class StartIn(Strict):
    kind: KindName | None = Field(
        None,
        description="new for an agency that is not a member; "
        "renewal (default) or change for a member",
    )


class InstrumentIn(Strict):
    key: str | None = Field(None, description="Keep an instrument's key to keep its scan")
    kind: str | None = None
    serial_number: Loose = None
    calibration_certificate: Loose = None
    calibration_expires: Loose = Field(None, description="YYYY-MM-DD")


class DraftIn(Strict):
    """Any fields of the draft; those sent are stored as typed (even if wrong), the others
    are left as they are."""

    agency_type: Loose = None
    name: Loose = None
    province: Loose = Field(None, description="Two-digit division code, e.g. 11 for Beijing")
    city: Loose = None
    credit_code: Loose = None
    qualification_number: Loose = None
    qualification_issuer: Loose = None
    qualification_valid_from: Loose = None
    qualification_valid_to: Loose = None
    scope: list[str] | None = None
    premises_m2: Loose = None
    exam_rooms: Loose = None
    instruments: list[InstrumentIn] | None = None
    iso9001_number: Loose = None
    iso9001_issuer: Loose = None
    iso9001_valid_from: Loose = None
    iso9001_valid_to: Loose = None
    industry_number: Loose = None
    industry_issuer: Loose = None
    industry_valid_from: Loose = None
    industry_valid_to: Loose = None


class ReasonIn(Strict):
    reason: str = Field(max_length=2000)


class QueueQuery(PageQuery):
    status: Literal["submitted", "returned", "approved", "rejected", "all"] = "submitted"
    kind: KindName | None = None


# --- staff ---------------------------------------------------------------------------------


class CertificateIO(Strict):
    code: str
    number: str = Field("", max_length=60)
    valid_to: date | None = None


class StaffIn(Strict):
    name: str = Field(max_length=50)
    role: Literal["physician", "hygiene_tester", "health_promotion"]
    experience_years: float | None = None
    first_assignment: date | None = None
    certificates: list[CertificateIO] = Field(default_factory=list)
    active: bool = True


class TrainingIn(Strict):
    kind: Literal["pre_job", "continuing"]
    hours: float
    completed_on: date
    course: str = Field("", max_length=200)


class ExamIn(Strict):
    taken_on: date
    passed: bool
    note: str = Field("", max_length=200)


class TrainingOut(BaseModel):
    id: int
    kind: str
    hours: float
    completed_on: date
    course: str


class ExamOut(BaseModel):
    id: int
    taken_on: date
    passed: bool
    note: str


class ComplianceOut(BaseModel):
    compliant: bool
    practice_suspended: bool
    can_practise: bool
    problems: list[str]
    warnings: list[str]


class StaffOut(BaseModel):
    id: int
    member_id: int
    name: str
    role: str
    role_label: str
    experience_years: float | None
    first_assignment: date | None
    active: bool
    practice_suspended: bool
    certificates: list[CertificateIO]
    training: list[TrainingOut]
    exams: list[ExamOut]
    compliance: ComplianceOut

    @classmethod
    def of(cls, person, verdict) -> StaffOut:
        return cls(
            id=person.id,
            member_id=person.member_id,
            name=person.name,
            role=person.role,
            role_label=presenters.role_label(person.role),
            experience_years=person.experience_years,
            first_assignment=person.first_assignment,
            active=person.active,
            practice_suspended=person.practice_suspended,
            certificates=[
                CertificateIO(code=c.code, number=c.number or "", valid_to=c.valid_to)
                for c in person.certificates
            ],
            training=[
                TrainingOut(
                    id=t.id,
                    kind=t.kind,
                    hours=t.hours,
                    completed_on=t.completed_on,
                    course=t.course,
                )
                for t in person.training
            ],
            exams=[
                ExamOut(id=e.id, taken_on=e.taken_on, passed=e.passed, note=e.note)
                for e in person.exams
            ],
            compliance=ComplianceOut(**verdict.as_dict()),
        )


class StaffList(BaseModel):
    items: list[StaffOut]


# --- public directory ----------------------------------------------------------------------


class DirectoryQuery(PageQuery):
    q: str = Field(
        "", max_length=100, description="Part of the name, a credit code or a membership number"
    )
    province: str | None = Field(None, pattern=r"^\d{2}$", description="Division code, e.g. 44")
    type: AgencyTypeName | None = None
    scope: HazardName | None = None
    status: StatusName | None = None


class CertificationOut(BaseModel):
    kind: Literal["iso9001", "industry_certification"]
    valid_to: date | None


class PublicMemberOut(BaseModel):
    member_no: str
    name: str
    agency_type: str | None
    agency_type_label: str
    province: str | None
    province_name: str
    city: str | None
    scope: list[str]
    status: StatusName
    qualification_lapsed: bool
    suspended: bool
    qualification_valid_from: date | None
    qualification_valid_to: date | None
    profile: str = Field(description="The profile page's path")

    @classmethod
    def fields_of(cls, member) -> dict[str, Any]:
        qualification = listing.qualification(member)
        return dict(
            member_no=member.member_no,
            name=member.name,
            agency_type=member.agency_type,
            agency_type_label=presenters.agency_type_label(member.agency_type),
            province=member.province,
            province_name=province_name(member.province),
            city=member.city,
            scope=[c.value for c in listing.scope_categories(member)],
            status=listing.status_of(member),
            qualification_lapsed=member.qualification_lapsed,
            suspended=member.suspended,
            qualification_valid_from=qualification.valid_from if qualification else None,
            qualification_valid_to=qualification.valid_to if qualification else None,
            profile=f"/members/{member.member_no}",
        )

    @classmethod
    def of(cls, member) -> PublicMemberOut:
        return cls(**cls.fields_of(member))


class PublicMemberDetail(PublicMemberOut):
    credit_code: str | None
    qualification_number: str | None
    qualification_issuer: str | None
    certifications: list[CertificationOut]
    lapsed_since: date | None
    member_since: datetime | None
    profile_text: str

    @classmethod
    def of(cls, member) -> PublicMemberDetail:
        qualification = listing.qualification(member)
        return cls(
            **cls.fields_of(member),
            credit_code=member.credit_code,
            qualification_number=qualification.number if qualification else None,
            qualification_issuer=qualification.issuer if qualification else None,
            certifications=[
                CertificationOut(kind=c.kind, valid_to=c.valid_to)
                for c in listing.certifications(member)
            ],
            lapsed_since=member.lapsed_since,
            member_since=member.approved_at,
            profile_text=member.profile_text or "",
        )


class PublicMemberList(BaseModel):
    items: list[PublicMemberOut]
    page: PageInfo


# --- the agency's own record and the phrases -----------------------------------------------


class MyAgencyOut(BaseModel):
    member_id: int | None
    name: str | None
    member_no: str | None
    status: StatusName | None
    qualification_lapsed: bool
    profile_text: str
    open_application_id: int | None


class ProfileTextIn(Strict):
    profile_text: str = Field(max_length=4000)


class ProfileTextOut(BaseModel):
    profile_text: str


class PhraseIn(Strict):
    phrase: str = Field(max_length=200)


class PhraseOut(BaseModel):
    id: int
    phrase: str
    created_at: datetime


class PhraseList(BaseModel):
    builtin: list[str]
    added: list[PhraseOut]


def not_a_member_message() -> str:
    return _("Your account is not linked to an agency yet: start an application first.")
