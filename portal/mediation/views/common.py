"""Helpers shared by the mediation pages."""

from __future__ import annotations

from flask import make_response, render_template
from werkzeug.datastructures import FileStorage
from wtforms import SelectChoice

from portal.mediation.services import casefile, documents, outcome, panel
from portal.mediation.states import allowed


def private_page(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def upload_of(field) -> documents.FileUpload | None:
    data = field.data
    if isinstance(data, FileStorage) and data.filename:
        return documents.FileUpload(data, data.filename)
    return None


def correctable(case) -> list:
    """(key, title) of the documents a correction may target (not the agreement or notice)."""
    return [
        SelectChoice(group[0].key, f"{group[0].key} · {group[-1].title} (v{group[-1].version})")
        for group in documents.grouped(case)
        if group[0].kind not in ("agreement", "notice")
    ]


def prepare_common(name: str, form, case) -> bool:
    """Fill a form's choices; False when the form has nothing to act on."""
    if name == "correct":
        form.key.choices = correctable(case)
        return bool(form.key.choices)
    if name == "minutes":
        form.session_id.choices = [
            SelectChoice(str(s.id), str(s.number)) for s in case.sessions if s.held_at is None
        ]
        return bool(form.session_id.choices)
    return True


def case_page(actor, case, *, forms=None, holds_receipt=False, track=None, status=200, back=None):
    """The case page for any reader; `forms` are the actions the reader may take."""
    view = casefile.build(actor, case, holds_receipt=holds_receipt)
    return private_page(
        "mediation/case.html",
        status=status,
        file=view,
        case=case,
        forms=forms or {},
        track=track,
        back=back,
        allowed=lambda action: allowed(case.status, action),
        agreement_state=outcome.agreement_state(case),
        panel_complete=panel.complete(case),
    )
