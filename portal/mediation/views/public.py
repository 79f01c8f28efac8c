"""An anonymous complainant's mediation: they prove the case with the complaint's tracking
number and receipt code, sent in each POST body (never in a URL), rate-limited like the
complaint tracking (failed attempts only count)."""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _

from portal.complaints.views.public import track_failed, track_limit
from portal.errors import DomainError, NotFound
from portal.extensions import db, limiter
from portal.forms_support import show_domain_error
from portal.mediation.forms import TrackForm
from portal.mediation.services import access
from portal.mediation.views import bp
from portal.mediation.views.common import case_page, prepare_common, private_page
from portal.mediation.views.export import html_response, pdf_response
from portal.mediation.views.parties import PARTY_FORMS, act, forms_for
from portal.security import current_actor, public

TRACK_ACTIONS = {k: PARTY_FORMS[k] for k in ("consent", "decline", "confirm", "document")}


def _failed(form, error: NotFound):
    from flask import g

    g.complaint_track_failed = True
    form.receipt_code.errors = [*form.receipt_code.errors, error.message]
    flash(error.message, "danger")
    return private_page("mediation/track.html", status=404, form=form)


def _proved():
    """The case the POST body's tracking number and receipt code prove; NotFound if none."""
    number = request.form.get("tracking_number", "")
    code = request.form.get("receipt_code", "")
    return access.by_receipt(number, code), {"tracking_number": number, "receipt_code": code}


def _page(case, track, failed=None, status=200):
    return case_page(
        current_actor(),
        case,
        forms=forms_for(case, "complainant", TRACK_ACTIONS, failed=failed),
        holds_receipt=True,
        track=track,
        status=status,
        back="track",
    )


@bp.route("/mediation/track", methods=["GET", "POST"])
@public
@limiter.limit(track_limit, methods=["POST"], deduct_when=track_failed)
def track():
    form = TrackForm()
    if form.validate_on_submit():
        try:
            case, proof = _proved()
        except NotFound as error:
            form.receipt_code.data = ""
            return _failed(form, error)
        return _page(case, proof)
    return private_page("mediation/track.html", status=422 if form.errors else 200, form=form)


@bp.route("/mediation/track/<action>", methods=["POST"])
@public
@limiter.limit(track_limit, deduct_when=track_failed)
def track_action(action: str):
    if action not in (*TRACK_ACTIONS, "file", "pdf"):
        abort(404)
    try:
        case, proof = _proved()
    except NotFound as error:
        return _failed(TrackForm(formdata=None), error)
    actor = current_actor()
    if action == "file":
        return html_response(actor, case, holds_receipt=True)
    if action == "pdf":
        return pdf_response(actor, case, holds_receipt=True)
    form = TRACK_ACTIONS[action][1]()
    prepare_common(action, form, case)
    if form.validate_on_submit():
        try:
            message = act(action, actor, case, form, holds_receipt=True)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _page(case, proof, failed=(action, form), status=error.status)
        db.session.commit()
        flash(message, "success")
        return _page(case, proof)
    flash(_("Some fields need correcting."), "danger")
    return _page(case, proof, failed=(action, form), status=422)
