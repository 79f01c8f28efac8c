"""Administrators' forbidden advertising phrases through the API."""

from __future__ import annotations

from sqlalchemy import select

from portal.api.members.schemas import PhraseIn, PhraseList, PhraseOut
from portal.api.registry import api_route
from portal.api.validation import parse_body
from portal.extensions import db
from portal.members.advertising import DEFAULT_FORBIDDEN_PHRASES
from portal.members.models import ForbiddenPhrase
from portal.members.services import profile
from portal.security import Role, current_actor, roles_required


def _out(row) -> PhraseOut:
    return PhraseOut(id=row.id, phrase=row.phrase, created_at=row.created_at)


@api_route(
    "/admin/forbidden-phrases",
    summary="The built-in and the added forbidden phrases",
    tags=["admin"],
    response=PhraseList,
)
@roles_required(Role.ADMIN)
def forbidden_phrases():
    rows = db.session.scalars(select(ForbiddenPhrase).order_by(ForbiddenPhrase.id))
    return PhraseList(
        builtin=list(DEFAULT_FORBIDDEN_PHRASES), added=[_out(row) for row in rows]
    ).model_dump(mode="json")


@api_route(
    "/admin/forbidden-phrases",
    methods=["POST"],
    summary="Add a forbidden phrase",
    tags=["admin"],
    body=PhraseIn,
    response=PhraseOut,
    status=201,
    errors=(409,),
)
@roles_required(Role.ADMIN)
def forbidden_phrase_add():
    data = parse_body(PhraseIn)
    row = profile.add_phrase(current_actor(), data.phrase)
    db.session.commit()
    return _out(row).model_dump(mode="json"), 201


@api_route(
    "/admin/forbidden-phrases/<int:phrase_id>",
    methods=["DELETE"],
    summary="Remove an added phrase (built-in ones stay)",
    tags=["admin"],
    errors=(404,),
)
@roles_required(Role.ADMIN)
def forbidden_phrase_remove(phrase_id: int):
    profile.remove_phrase(current_actor(), phrase_id)
    db.session.commit()
    return {"removed": True}
