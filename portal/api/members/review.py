"""The secretariat's review through the API: the queue, approve, reject, return."""

from __future__ import annotations

from portal.api.members.schemas import (
    ApplicationList,
    ApplicationOut,
    ApplicationSummaryOut,
    QueueQuery,
    ReasonIn,
    page_info,
)
from portal.api.registry import api_route
from portal.api.validation import parse_body, parse_query
from portal.extensions import db
from portal.members.services import review
from portal.security import Role, current_actor, roles_required


@api_route(
    "/members/review/queue",
    summary="Applications to review (default: submitted, oldest first)",
    tags=["review"],
    query=QueueQuery,
    response=ApplicationList,
)
@roles_required(Role.STAFF)
def member_review_queue():
    query = parse_query(QueueQuery)
    page = db.paginate(
        review.queue(None if query.status == "all" else query.status, query.kind),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    return ApplicationList(
        items=[ApplicationSummaryOut.of(a) for a in page.items], page=page_info(page)
    ).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/approve",
    methods=["POST"],
    summary="Approve: refused (409, failing rules named in fields) while a hard rule "
    "fails; a new member gets its membership number",
    tags=["review"],
    response=ApplicationOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def member_application_approve(application_id: int):
    actor = current_actor()
    application = review.approve(actor, review.for_review(actor, application_id))
    db.session.commit()
    return ApplicationOut.of(application).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/reject",
    methods=["POST"],
    summary="Reject, with the reason",
    tags=["review"],
    body=ReasonIn,
    response=ApplicationOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def member_application_reject(application_id: int):
    data = parse_body(ReasonIn)
    actor = current_actor()
    application = review.reject(actor, review.for_review(actor, application_id), data.reason)
    db.session.commit()
    return ApplicationOut.of(application).model_dump(mode="json")


@api_route(
    "/members/applications/<int:application_id>/return",
    methods=["POST"],
    summary="Return for correction, saying what to correct",
    tags=["review"],
    body=ReasonIn,
    response=ApplicationOut,
    errors=(404, 409),
)
@roles_required(Role.STAFF)
def member_application_return(application_id: int):
    data = parse_body(ReasonIn)
    actor = current_actor()
    application = review.return_for_correction(
        actor, review.for_review(actor, application_id), data.reason
    )
    db.session.commit()
    return ApplicationOut.of(application).model_dump(mode="json")
