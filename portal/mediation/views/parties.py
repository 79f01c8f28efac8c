"""The parties' pages (a worker's own cases, an agency's cases) and the panel members'
pages (only the cases on their panel): read the case file; agree or decline; confirm the
agreement; add documents and corrections."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _

from portal import clock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.mediation.forms import ConfirmForm, CorrectionForm, DeclineForm, DocumentForm, EmptyForm
from portal.mediation.models import MediationCase
from portal.mediation.services import access, cases, documents, outcome
from portal.mediation.states import Action, Status, allowed
from portal.mediation.views import bp
from portal.mediation.views.common import case_page, prepare_common, upload_of
from portal.security import Role, current_actor, roles_required

PER_PAGE = 20

PARTY_FORMS = {
    "consent": (Action.CONSENT, EmptyForm),
    "decline": (Action.DECLINE, DeclineForm),
    "confirm": (Action.CONFIRM, ConfirmForm),
    "document": (Action.ADD_DOCUMENT, DocumentForm),
    "correct": (Action.ADD_DOCUMENT, CorrectionForm),
}
PANEL_FORMS = {k: PARTY_FORMS[k] for k in ("document", "correct")}


def _already(case: MediationCase, party: str | None, name: str) -> bool:
    """Whether this party already did what the form offers."""
    if name in ("consent", "decline"):
        done = case.complainant_consent_at if party == "complainant" else case.agency_consent_at
        return done is not None
    if name == "confirm":
        done = case.complainant_confirmed_at if party == "complainant" else case.agency_confirmed_at
        return done is not None
    return False


def forms_for(case: MediationCase, party: str | None, table: dict, failed=None) -> dict:
    forms = {}
    for name, (action, form_class) in table.items():
        if not allowed(case.status, action) or _already(case, party, name):
            continue
        fresh = not (failed and failed[0] == name)
        form = form_class(formdata=None) if fresh else failed[1]
        if prepare_common(name, form, case):
            forms[name] = form
    return forms


def act(name: str, actor, case: MediationCase, form, *, holds_receipt: bool = False) -> str:
    if name == "consent":
        cases.consent(actor, case, holds_receipt=holds_receipt)
        if case.status == Status.OPEN.value:
            return _("Both parties agreed: the case is open.")
        return _("Your agreement is recorded; the other party is asked too.")
    if name == "decline":
        cases.decline(actor, case, holds_receipt=holds_receipt, reason=form.reason.data or "")
        return _("You declined mediation; the complaint continues as before.")
    if name == "confirm":
        outcome.confirm(actor, case, version=form.version.data or 0, holds_receipt=holds_receipt)
        if case.status == Status.AGREED.value:
            return _("Both parties confirmed: the agreement is final.")
        return _("Your confirmation is recorded with its time.")
    if name == "document":
        documents.add(
            actor,
            case,
            kind=form.kind.data,
            title=form.title.data,
            text=form.text.data,
            upload=upload_of(form.file),
            holds_receipt=holds_receipt,
        )
        return _("Document added to the case file.")
    if name == "correct":
        documents.correct(
            actor,
            case,
            form.key.data or "",
            text=form.text.data,
            upload=upload_of(form.file),
            note=form.note.data,
            holds_receipt=holds_receipt,
        )
        return _("The correction has been added as a new version; the earlier one stays.")
    raise AssertionError(name)


def _list(heading: str, endpoint: str, list_endpoint: str):
    page = db.paginate(access.visible_to(current_actor()), per_page=PER_PAGE, error_out=False)
    return render_template(
        "mediation/list.html",
        page=page,
        statuses=None,
        status=None,
        heading=heading,
        endpoint=endpoint,
        list_endpoint=list_endpoint,
        now=clock.now(),
    )


def _detail(number: str, table: dict, back: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    party = access.party_of(actor, case)
    return case_page(actor, case, forms=forms_for(case, party, table), back=back)


def _post(number: str, action: str, table: dict, back: str, detail_endpoint: str):
    if action not in table:
        abort(404)
    actor = current_actor()
    case = access.for_actor(actor, number)
    party = access.party_of(actor, case)
    form = table[action][1]()
    prepare_common(action, form, case)
    if form.validate_on_submit():
        try:
            message = act(action, actor, case, form)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return case_page(
                actor,
                case,
                forms=forms_for(case, party, table, failed=(action, form)),
                status=error.status,
                back=back,
            )
        db.session.commit()
        flash(message, "success")
        return see_other(detail_endpoint, number=case.number)
    flash(_("Some fields need correcting."), "danger")
    return case_page(
        actor,
        case,
        forms=forms_for(case, party, table, failed=(action, form)),
        status=422,
        back=back,
    )


@bp.route("/my/mediation")
@roles_required(Role.WORKER)
def my_list():
    return _list(_("My mediation cases"), "mediation.my_detail", "mediation.my_list")


@bp.route("/my/mediation/<number>")
@roles_required(Role.WORKER)
def my_detail(number: str):
    return _detail(number, PARTY_FORMS, "my")


@bp.route("/my/mediation/<number>/<action>", methods=["POST"])
@roles_required(Role.WORKER)
def my_action(number: str, action: str):
    return _post(number, action, PARTY_FORMS, "my", "mediation.my_detail")


@bp.route("/agency/mediation")
@roles_required(Role.MEMBER)
def agency_list():
    return _list(_("Mediation"), "mediation.agency_detail", "mediation.agency_list")


@bp.route("/agency/mediation/<number>")
@roles_required(Role.MEMBER)
def agency_detail(number: str):
    return _detail(number, PARTY_FORMS, "agency")


@bp.route("/agency/mediation/<number>/<action>", methods=["POST"])
@roles_required(Role.MEMBER)
def agency_action(number: str, action: str):
    return _post(number, action, PARTY_FORMS, "agency", "mediation.agency_detail")


@bp.route("/panel/mediation")
@roles_required(Role.COMMITTEE)
def panel_list():
    return _list(_("My mediation panels"), "mediation.panel_detail", "mediation.panel_list")


@bp.route("/panel/mediation/<number>")
@roles_required(Role.COMMITTEE)
def panel_detail(number: str):
    return _detail(number, PANEL_FORMS, "panel")


@bp.route("/panel/mediation/<number>/<action>", methods=["POST"])
@roles_required(Role.COMMITTEE)
def panel_action(number: str, action: str):
    return _post(number, action, PANEL_FORMS, "panel", "mediation.panel_detail")
