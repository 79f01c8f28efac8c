"""The agency's applications: start, read, save the draft, attach scans, submit."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from portal.api.members.schemas import (
    ApplicationList,
    ApplicationOut,
    ApplicationSummaryOut,
    ChecklistOut,
    DocumentOut,
    DraftIn,
    MyAgencyOut,
    ProfileTextIn,
    ProfileTextOut,
    StartIn,
    not_a_member_message,
)
from portal.api.registry import api_route
from portal.api.validation import parse_body
from portal.errors import NotFound, ValidationFailed
from portal.extensions import db
from portal.http import json_error
from portal.members.services import access, applications, directory, profile
from portal.security import Role, current_actor, roles_required


@api_route(
    "/members/me",
    summary="The caller's agency and its membership",
    tags=["members"],
    response=MyAgencyOut,
)
@roles_required(Role.MEMBER)
def member_me():
    member = access.member_of(current_actor())
    current = applications.open_application(member)
    return MyAgencyOut(
        member_id=member.id if member else None,
        name=member.name if member else None,
        member_no=member.member_no if member else None,
        status=directory.status_of(member) if member and member.is_member else None,
        qualification_lapsed=bool(member and member.qualification_lapsed),
        profile_text=member.profile_text if member else "",
        open_application_id=current.id if current else None,
    ).model_dump()


@api_route(
    "/members/me/profile-text",
    methods=["PUT"],
    summary="Change the public profile text (refused if it makes absolute claims, naming them)",
    tags=["members"],
    body=ProfileTextIn,
    response=ProfileTextOut,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def member_profile_text():
    data = parse_body(ProfileTextIn)
    actor = current_actor()
    member = access.member_of(actor)
    if member is None:
        raise NotFound(not_a_member_message())
    profile.update_profile_text(actor, member, data.profile_text)
    db.session.commit()
    return ProfileTextOut(profile_text=member.profile_text).model_dump()


@api_route(
    "/members/applications",
    summary="The applications of the caller's agency",
    tags=["members"],
    response=ApplicationList,
)
@roles_required(Role.MEMBER)
def member_applications():
    member = access.member_of(current_actor())
    items = [ApplicationSummaryOut.of(a) for a in applications.applications_of(member)]
    return {
        "items": [i.model_dump(mode="json") for i in items],
        "page": {"page": 1, "per_page": len(items), "total": len(items), "pages": 1},
    }


@api_route(
    "/members/applications",
    methods=["POST"],
    summary="Start an application "
    "(new for an agency, renewal or change for a member), prefilled where possible",
    tags=["members"],
    body=StartIn,
    response=ApplicationOut,
    status=201,
    errors=(409,),
)
@roles_required(Role.MEMBER)
def member_application_start():
    data = parse_body(StartIn)
    application = applications.start(current_actor(), data.kind)
    db.session.commit()
    return ApplicationOut.of(application).model_dump(mode="json"), 201


@api_route(
    "/members/applications/<int:application_id>",
    summary="One application: the draft "
    "as typed, each step's state and errors, the scans, the live checklist",
    tags=["members"],
    response=ApplicationOut,
    errors=(404,),
)
@roles_required(Role.MEMBER, Role.STAFF)
def member_application(application_id: int):
    application = access.application_for(current_actor(), application_id)
    return ApplicationOut.of(application).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/checklist",
    summary="The qualification checklist of the application as saved, today",
    tags=["members"],
    response=ChecklistOut,
    errors=(404,),
)
@roles_required(Role.MEMBER, Role.STAFF)
def member_application_checklist(application_id: int):
    application = access.application_for(current_actor(), application_id)
    return ChecklistOut.of(applications.checklist(application)).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/draft",
    methods=["PATCH"],
    summary="Save fields of the draft. They are stored even when wrong; a 422 then "
    "names each field to correct (what was sent is kept)",
    tags=["members"],
    body=DraftIn,
    response=ApplicationOut,
    errors=(404, 409),
)
@roles_required(Role.MEMBER)
def member_application_draft(application_id: int):
    data = parse_body(DraftIn)
    actor = current_actor()
    application = access.own_application(actor, application_id)
    sent = data.model_dump(exclude_unset=True)
    errors = applications.save_draft(actor, application, sent)
    db.session.commit()
    # What was sent and is wrong (missing scans are not: they are uploaded separately, and
    # the steps of the application list them).
    prefixes = tuple(f"{name}-" for name in sent)
    fields = {
        name: why
        for step_errors in errors.values()
        for name, why in step_errors.items()
        if (name in sent or name.startswith(prefixes)) and not name.endswith("-file")
    }
    if fields:
        return json_error(
            422,
            "validation_failed",
            _("Saved as a draft, but some fields need correcting."),
            fields,
        )
    return ApplicationOut.of(application).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/documents/<slot>",
    methods=["POST"],
    summary="Upload a scan as multipart/form-data field `file` (PDF, PNG or JPEG, "
    "checked by content, at most 10 MB). Slots: licence, qualification, quality_manual, "
    "procedure_documents, work_instructions, iso9001, industry_certification, "
    "calibration:<instrument key>",
    tags=["members"],
    response=DocumentOut,
    status=201,
    errors=(404, 409, 413),
)
@roles_required(Role.MEMBER)
def member_application_document(application_id: int, slot: str):
    actor = current_actor()
    application = access.own_application(actor, application_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        why = _("Send the file as multipart/form-data in the field named file.")
        raise ValidationFailed(why, {"file": why})
    document = applications.attach(actor, application, slot, upload, field="file")
    db.session.commit()
    return DocumentOut.of(document).model_dump(), 201


@api_route(
    "/members/applications/<int:application_id>/submit",
    methods=["POST"],
    summary="Submit the application to the secretariat (every step complete)",
    tags=["members"],
    response=ApplicationOut,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def member_application_submit(application_id: int):
    actor = current_actor()
    application = access.own_application(actor, application_id)
    applications.submit(actor, application)
    db.session.commit()
    return ApplicationOut.of(application).model_dump(mode="json")
