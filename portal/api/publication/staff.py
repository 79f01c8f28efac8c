"""The secretariat's publication queues through the API: answering disputes and deciding
credit repair."""

from __future__ import annotations

from portal.api.publication.schemas import (
    DisputeAnswerIn,
    DisputeList,
    DisputeOut,
    QueueQuery,
    RepairDecisionIn,
    RepairList,
    RepairOut,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo
from portal.api.validation import parse_body, parse_query
from portal.extensions import db
from portal.publication import access, secretariat
from portal.security import Role, current_actor, roles_required

TAGS = ["publication", "secretariat"]


def _status(query: QueueQuery, default: str) -> str | None:
    return None if query.status == "all" else (query.status or default)


@api_route(
    "/staff/publication/disputes",
    summary="Disputes of factual errors (open ones unless status is given; 'all' for every one)",
    tags=TAGS,
    query=QueueQuery,
    response=DisputeList,
)
@roles_required(Role.STAFF)
def staff_publication_disputes():
    query = parse_query(QueueQuery)
    page = db.paginate(
        secretariat.disputes_queue(_status(query, "open")),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return DisputeList(
        items=[DisputeOut.of(d) for d in page.items], page=PageInfo.of(page)
    ).model_dump(mode="json")


@api_route(
    "/staff/publication/disputes/<int:dispute_id>/answer",
    methods=["POST"],
    summary="Answer a dispute (and correct the entry when the agency is right)",
    tags=TAGS,
    body=DisputeAnswerIn,
    response=DisputeOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def staff_publication_dispute_answer(dispute_id: int):
    actor = current_actor()
    dispute = access.dispute_for_staff(actor, dispute_id)
    body = parse_body(DisputeAnswerIn)
    secretariat.answer_dispute(
        actor,
        dispute,
        answer=body.answer,
        corrected=body.corrected,
        corrected_summary=body.corrected_summary,
    )
    db.session.commit()
    return DisputeOut.of(dispute).model_dump(mode="json")


@api_route(
    "/staff/publication/repairs",
    summary="Credit-repair applications (waiting ones unless status is given; 'all' for all)",
    tags=TAGS,
    query=QueueQuery,
    response=RepairList,
)
@roles_required(Role.STAFF)
def staff_publication_repairs():
    query = parse_query(QueueQuery)
    page = db.paginate(
        secretariat.repairs_queue(_status(query, "submitted")),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return RepairList(
        items=[RepairOut.of(r) for r in page.items], page=PageInfo.of(page)
    ).model_dump(mode="json")


@api_route(
    "/staff/publication/repairs/<int:repair_id>",
    summary="One credit-repair application",
    tags=TAGS,
    response=RepairOut,
    errors=(404,),
)
@roles_required(Role.STAFF)
def staff_publication_repair(repair_id: int):
    return RepairOut.of(access.repair_for_staff(current_actor(), repair_id)).model_dump(mode="json")


@api_route(
    "/staff/publication/repairs/<int:repair_id>/decision",
    methods=["POST"],
    summary="Grant (the publication ends today) or refuse (with a reason) credit repair",
    tags=TAGS,
    body=RepairDecisionIn,
    response=RepairOut,
    errors=(404, 409, 422),
)
@roles_required(Role.STAFF)
def staff_publication_repair_decide(repair_id: int):
    actor = current_actor()
    repair = access.repair_for_staff(actor, repair_id)
    body = parse_body(RepairDecisionIn)
    secretariat.decide_repair(actor, repair, grant=body.decision == "grant", reason=body.reason)
    db.session.commit()
    return RepairOut.of(repair).model_dump(mode="json")
