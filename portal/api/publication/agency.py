"""A member agency's public entries through the API: statement, dispute, credit repair."""

from __future__ import annotations

from portal.api.publication.schemas import (
    AgencyEntryList,
    AgencyEntryOut,
    AgencyEntrySummary,
    DisputeIn,
    DisputeOut,
    PublicEntryOut,
    RepairIn,
    RepairOut,
    StatementIn,
)
from portal.api.registry import api_route
from portal.api.schemas import PageInfo, PageQuery
from portal.api.validation import parse_body, parse_query
from portal.extensions import db
from portal.publication import access
from portal.publication import agency as actions
from portal.security import Role, current_actor, roles_required

TAGS = ["publication", "member agencies"]


def _detail(entry) -> dict:
    base = PublicEntryOut.of(entry).model_dump()
    return AgencyEntryOut(
        **base,
        id=entry.id,
        disputes=[DisputeOut.of(d) for d in actions.disputes_of(entry)],
        repairs=[RepairOut.of(r) for r in actions.repairs_of(entry)],
        repair_opens_on=actions.repair_opens_on(entry),
        repair_refusal=actions.repair_refusal(entry),
    ).model_dump(mode="json")


@api_route(
    "/agency/publication",
    summary="Published decisions about the caller's agency",
    tags=TAGS,
    query=PageQuery,
    response=AgencyEntryList,
)
@roles_required(Role.MEMBER)
def agency_publication_list():
    query = parse_query(PageQuery)
    page = db.paginate(
        access.own_entries(current_actor()),
        page=query.page,
        per_page=query.per_page,
        error_out=False,
    )
    items = [AgencyEntrySummary(**PublicEntryOut.of(e).model_dump(), id=e.id) for e in page.items]
    return AgencyEntryList(items=items, page=PageInfo.of(page)).model_dump(mode="json")


@api_route(
    "/agency/publication/<int:entry_id>",
    summary="One entry about the caller's agency, with its disputes and credit repair",
    tags=TAGS,
    response=AgencyEntryOut,
    errors=(404,),
)
@roles_required(Role.MEMBER)
def agency_publication_entry(entry_id: int):
    return _detail(access.own_entry(current_actor(), entry_id))


@api_route(
    "/agency/publication/<int:entry_id>/statement",
    methods=["PUT"],
    summary="Attach, replace or (empty) remove the agency's statement (at most 500 characters)",
    tags=TAGS,
    body=StatementIn,
    response=AgencyEntryOut,
    errors=(404, 422),
)
@roles_required(Role.MEMBER)
def agency_publication_statement(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    body = parse_body(StatementIn)
    actions.set_statement(actor, entry, body.statement)
    db.session.commit()
    return _detail(entry)


@api_route(
    "/agency/publication/<int:entry_id>/disputes",
    methods=["POST"],
    summary="Dispute a factual error in the entry; the secretariat answers",
    tags=TAGS,
    body=DisputeIn,
    response=DisputeOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def agency_publication_dispute(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    body = parse_body(DisputeIn)
    dispute = actions.file_dispute(actor, entry, body.text)
    db.session.commit()
    return DisputeOut.of(dispute).model_dump(mode="json"), 201


@api_route(
    "/agency/publication/<int:entry_id>/credit-repair",
    methods=["POST"],
    summary="Apply for credit repair with proof of rectification and the signed commitment",
    tags=TAGS,
    body=RepairIn,
    response=RepairOut,
    status=201,
    errors=(404, 409, 422),
)
@roles_required(Role.MEMBER)
def agency_publication_repair(entry_id: int):
    actor = current_actor()
    entry = access.own_entry(actor, entry_id)
    body = parse_body(RepairIn)
    repair = actions.apply_for_repair(
        actor,
        entry,
        rectification=body.rectification,
        commitment_accepted=body.commitment_accepted,
        commitment_name=body.commitment_name,
        files=[actions.Upload(f.data(), f.name) for f in body.files],
    )
    db.session.commit()
    return RepairOut.of(repair).model_dump(mode="json"), 201
