"""Helpers shared by the complaint pages."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal import text_search
from portal.complaints import receipts
from portal.complaints.forms import NOT_A_MEMBER
from portal.complaints.services import intake
from portal.complaints.services.intake import ComplaintInput, Upload
from portal.extensions import db

MEMBER_LIST_MAX = 300


def uploads_of(field) -> list[Upload]:
    """The files chosen in a MultipleFileField (an empty file input sends one empty part)."""
    return [
        Upload(item, item.filename)
        for item in (field.data or [])
        if item is not None and getattr(item, "filename", None)
    ]


def ensure_token(form) -> bool:
    """Give a new form its one-time token; False if a sent token is malformed."""
    token = form.submission_token.data
    if not token:
        form.submission_token.data = receipts.new_form_token()
        return True
    if not receipts.TOKEN_RE.match(token):
        form.submission_token.data = receipts.new_form_token()
        return False
    return True


def member_choices(query: str = "", chosen: str | None = None) -> list[SelectChoice]:
    """Approved members (filtered by a name search, when given), then "not a member"."""
    stmt = intake.approved_members()
    query = " ".join(query.split())[:60]
    if query:
        from portal.members.models import Member

        stmt = stmt.where(
            text_search.contains(Member.name, query) | (Member.member_no == query.upper())
        )
    members = list(db.session.scalars(stmt.limit(MEMBER_LIST_MAX)))
    if chosen and chosen != NOT_A_MEMBER and chosen not in {m.member_no for m in members}:
        from sqlalchemy import select

        from portal.members.models import Member

        extra = db.session.scalar(select(Member).where(Member.member_no == chosen))
        if extra is not None and extra.member_no:
            members.insert(0, extra)
    choices = [SelectChoice("", _("— Choose the agency —"))]
    choices += [
        SelectChoice(m.member_no, f"{m.name}（{m.city}）" if m.city else m.name) for m in members
    ]
    choices.append(SelectChoice(NOT_A_MEMBER, _("Not a member / not listed")))
    return choices


def complaint_input(form) -> ComplaintInput:
    chosen = form.member_no.data or ""
    member_no = chosen if chosen not in ("", NOT_A_MEMBER) else None
    return ComplaintInput(
        category=_category_of(form.subtype.data),
        subtype=form.subtype.data or "",
        description=form.description.data or "",
        member_no=member_no,
        agency_name=form.agency_name.data if member_no is None else None,
        name=form.name.data,
        id_number=form.id_number.data,
        phone=form.phone.data,
        email=form.email.data,
        health=form.health.data,
        share_identity_with_agency=bool(form.share_identity_with_agency.data),
    )


def _category_of(subtype: str | None) -> str:
    from portal.complaints.constants import SUBTYPE_CATEGORY

    category = SUBTYPE_CATEGORY.get(subtype or "")
    return category.value if category else ""


def private_page(template: str, status: int = 200, **context):
    """A page holding a case or a secret: never stored by a cache."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response
