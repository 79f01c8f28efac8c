"""The secretariat's pages: the queue, opening a case, the case page and its actions, the
decisions with their appeals, rectification and the letter to the regulator, and the
breach reports."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, pdf, uploads
from portal.discipline import forms as f
from portal.discipline.constants import MEASURES, Measure
from portal.discipline.models import DisciplineCase
from portal.discipline.services import access, appeals, breaches, cases, decisions, queries
from portal.discipline.states import Action, BreachStatus, CaseStatus, DecisionStatus, allowed
from portal.discipline.views import bp
from portal.discipline.views.common import closes_in, private_page, uploads_of
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import see_other, show_domain_error
from portal.members.models import Member
from portal.security import Role, current_actor, roles_required

LETTER_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "discipline-letter-print.css"

PER_PAGE = 25


def _member_choices() -> list[SelectChoice]:
    members = db.session.scalars(
        select(Member).where(Member.member_no.is_not(None)).order_by(Member.name)
    )
    return [SelectChoice(0, _("— Choose the agency —"))] + [
        SelectChoice(m.id, f"{m.name}（{m.member_no}）") for m in members
    ]


@bp.route("/staff/discipline")
@roles_required(Role.STAFF)
def queue():
    status = request.args.get("status") or None
    if status not in {s.value for s in CaseStatus}:
        status = None
    page = db.paginate(queries.cases(status), per_page=PER_PAGE, error_out=False)
    return render_template(
        "discipline/queue.html",
        page=page,
        status=status,
        statuses=list(CaseStatus),
        counts=queries.case_counts(),
        decision_counts=queries.decision_counts(),
        appeals=queries.pending_appeals(),
        windows=list(db.session.scalars(queries.decisions(DecisionStatus.NOTIFIED.value))),
        late_breaches=queries.late_breaches_to_handle(),
        now=clock.now(),
    )


@bp.route("/staff/discipline/cases/new", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def case_new():
    form = f.OpenCaseForm()
    form.member_id.choices = _member_choices()
    if request.method == "GET" and request.args.get("member_id", "").isdigit():
        form.member_id.data = int(request.args["member_id"])
    if form.validate_on_submit():
        try:
            case = cases.open_case(
                current_actor(),
                member_id=form.member_id.data or None,
                source=form.source.data,
                source_ref=form.source_ref.data,
                summary=form.summary.data,
                findings=form.findings.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Case %(id)d opened.", id=case.id), "success")
            return see_other("discipline.case_detail", case_id=case.id)
    status = 422 if request.method == "POST" else 200
    return render_template("discipline/case_new.html", form=form), status


CASE_FORMS = {
    "findings": (Action.RECORD, f.FindingsForm),
    "evidence": (Action.RECORD, f.EvidenceForm),
    "propose": (Action.PROPOSE, f.ProposeForm),
    "decide": (Action.DECIDE, f.EmptyForm),
    "submit": (Action.SUBMIT, f.SubmitForm),
    "dismiss": (Action.DISMISS, f.DismissForm),
}


def _case_forms(case: DisciplineCase, failed=None) -> dict:
    built = {}
    for name, (action, form_class) in CASE_FORMS.items():
        if not allowed(CaseStatus, case.status, action):
            continue
        if name == "decide" and case.level != "minor":
            continue
        if name == "submit" and case.level == "minor":
            continue
        if failed and failed[0] == name:
            built[name] = failed[1]
            continue
        form = form_class(formdata=None)
        if name == "findings":
            form.findings.data = case.findings
        if name == "propose" and case.level:
            form.level.data, form.measures.data = case.level, list(case.measures)
            form.publication_months.data = case.publication_months
            form.rectify_due_on.data, form.reasons.data = case.rectify_due_on, case.reasons
        built[name] = form
    return built


def _case_page(case: DisciplineCase, failed=None, status: int = 200):
    return private_page(
        "discipline/case.html",
        status=status,
        case=case,
        forms=_case_forms(case, failed),
        evidence_files={e.id: uploads.files_of(access.EVIDENCE_FILES, e.id) for e in case.evidence},
        table=MEASURES,
    )


@bp.route("/staff/discipline/cases/<int:case_id>")
@roles_required(Role.STAFF)
def case_detail(case_id: int):
    return _case_page(access.case_for_staff(current_actor(), case_id))


def _case_act(name: str, actor, case: DisciplineCase, form) -> str:
    if name == "findings":
        cases.record_findings(actor, case, form.findings.data)
        return _("Findings recorded.")
    if name == "evidence":
        cases.add_evidence(actor, case, form.note.data, uploads_of(form.files))
        return _("Evidence added.")
    if name == "propose":
        cases.propose(
            actor,
            case,
            level=form.level.data,
            measures=form.measures.data or [],
            publication_months=form.publication_months.data,
            rectify_due_on=form.rectify_due_on.data,
            reasons=form.reasons.data,
        )
        return _("Sanction proposed.")
    if name == "decide":
        decision = cases.decide_minor(actor, case)
        return _(
            "Decision %(number)s issued; the agency has been notified.", number=decision.number
        )
    if name == "submit":
        cases.submit_to_committee(actor, case, closes_in(form.voting_days.data))
        return _("Put to the self-regulation committee's vote.")
    if name == "dismiss":
        cases.dismiss(actor, case, form.reason.data)
        return _("Case closed without sanction.")
    raise AssertionError(name)


@bp.route("/staff/discipline/cases/<int:case_id>/<action>", methods=["POST"])
@roles_required(Role.STAFF)
def case_action(case_id: int, action: str):
    if action not in CASE_FORMS:
        abort(404)
    actor = current_actor()
    case = access.case_for_staff(actor, case_id)
    form = CASE_FORMS[action][1]()
    if form.validate_on_submit():
        try:
            message = _case_act(action, actor, case, form)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _case_page(case, failed=(action, form), status=error.status)
        db.session.commit()
        flash(message, "success")
        if action == "decide":
            return see_other("discipline.decision_detail", decision_id=case.decision.id)
        return redirect(url_for("discipline.case_detail", case_id=case.id) + "#actions", code=303)
    flash(_("Some fields need correcting."), "danger")
    return _case_page(case, failed=(action, form), status=422)


# --- decisions ------------------------------------------------------------------------------


@bp.route("/staff/discipline/decisions")
@roles_required(Role.STAFF)
def decision_list():
    status = request.args.get("status") or None
    if status not in {s.value for s in DecisionStatus}:
        status = None
    page = db.paginate(queries.decisions(status), per_page=PER_PAGE, error_out=False)
    return render_template(
        "discipline/decisions.html",
        page=page,
        status=status,
        statuses=list(DecisionStatus),
        counts=queries.decision_counts(),
    )


def _decision_page(decision, failed=None, status: int = 200):
    actor = current_actor()
    appeal = decision.appeal
    outcome_form = None
    if (
        appeal is not None
        and decision.status == DecisionStatus.APPEALED
        and appeal.status == "pending"
    ):
        outcome_form = (
            failed[1] if failed and failed[0] == "outcome" else f.OutcomeForm(formdata=None)
        )
    return private_page(
        "discipline/decision.html",
        status=status,
        decision=decision,
        appeal=appeal,
        staff=access.is_staff(actor),
        outcome_form=outcome_form,
        accept_form=f.EmptyForm(formdata=None),
        appeal_files=uploads.files_of(access.APPEAL_FILES, appeal.id) if appeal else [],
        rectification_files=uploads.files_of(access.RECTIFICATION_FILES, decision.id),
        table=MEASURES,
        now=clock.now(),
    )


@bp.route("/staff/discipline/decisions/<int:decision_id>")
@roles_required(Role.STAFF)
def decision_detail(decision_id: int):
    return _decision_page(access.decision_for_staff(current_actor(), decision_id))


@bp.route("/staff/discipline/decisions/<int:decision_id>/outcome", methods=["POST"])
@roles_required(Role.STAFF)
def decision_outcome(decision_id: int):
    actor = current_actor()
    decision = access.decision_for_staff(actor, decision_id)
    form = f.OutcomeForm()
    if form.validate_on_submit():
        try:
            appeals.propose_outcome(
                actor,
                decision,
                outcome=form.outcome.data or "",
                closes_at=closes_in(form.voting_days.data),
                reasons=form.reasons.data,
                level=form.level.data,
                measures=form.measures.data or [],
                publication_months=form.publication_months.data,
                rectify_due_on=form.rectify_due_on.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _decision_page(decision, failed=("outcome", form), status=error.status)
        db.session.commit()
        flash(_("Put to the appeal committee's vote."), "success")
        return see_other("discipline.decision_detail", decision_id=decision.id)
    flash(_("Some fields need correcting."), "danger")
    return _decision_page(decision, failed=("outcome", form), status=422)


@bp.route("/staff/discipline/decisions/<int:decision_id>/accept-rectification", methods=["POST"])
@roles_required(Role.STAFF)
def decision_accept_rectification(decision_id: int):
    actor = current_actor()
    decision = access.decision_for_staff(actor, decision_id)
    if not f.EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return _decision_page(decision, status=400)
    try:
        decisions.accept_rectification(actor, decision)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _decision_page(decision, status=error.status)
    db.session.commit()
    flash(_("Rectification accepted."), "success")
    return see_other("discipline.decision_detail", decision_id=decision.id)


def _letter_decision(decision_id: int):
    decision = access.decision_for_staff(current_actor(), decision_id)
    if (
        Measure.REVOCATION_RECOMMENDATION.value not in decision.measures
        or decision.status != DecisionStatus.IN_FORCE
    ):
        abort(404)
    return decision


@bp.route("/staff/discipline/decisions/<int:decision_id>/letter")
@roles_required(Role.STAFF)
def decision_letter(decision_id: int):
    decision = _letter_decision(decision_id)
    return private_page("discipline/letter.html", decision=decision, today=clock.today())


@bp.route("/staff/discipline/decisions/<int:decision_id>/letter.pdf")
@roles_required(Role.STAFF)
def decision_letter_pdf(decision_id: int):
    """The letter as a PDF, in Chinese whatever the reader's language: it goes to a Chinese
    authority. Without a CJK font, the printable page is offered instead."""
    decision = _letter_decision(decision_id)
    with force_locale("zh_CN"):
        html = render_template("discipline/letter_pdf.html", decision=decision, today=clock.today())
    try:
        data = pdf.render_pdf(html, stylesheet_paths=(LETTER_CSS,))
    except pdf.NoCJKFont:
        flash(_("The server has no font that can print Chinese: print this page."), "warning")
        return see_other("discipline.decision_letter", decision_id=decision.id)
    response = make_response(data)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{decision.number}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- breach reports --------------------------------------------------------------------------


@bp.route("/staff/discipline/breaches")
@roles_required(Role.STAFF)
def breach_list():
    late = {"late": True, "on_time": False}.get(request.args.get("show", ""))
    page = db.paginate(queries.breaches(late=late), per_page=PER_PAGE, error_out=False)
    return render_template(
        "discipline/breaches.html",
        page=page,
        show=request.args.get("show", ""),
        no_case_form=f.NoCaseForm(formdata=None),
        open_form=f.EmptyForm(formdata=None),
        received=BreachStatus.RECEIVED.value,
    )


@bp.route("/staff/discipline/breaches/<int:breach_id>/<action>", methods=["POST"])
@roles_required(Role.STAFF)
def breach_action(breach_id: int, action: str):
    if action not in ("open-case", "no-case"):
        abort(404)
    actor = current_actor()
    report = access.breach_for(actor, breach_id)
    form = f.EmptyForm() if action == "open-case" else f.NoCaseForm()
    if not form.validate_on_submit():
        flash(_("Some fields need correcting."), "danger")
        return see_other("discipline.breach_list")
    try:
        if action == "open-case":
            case = cases.open_from_breach(actor, report)
        else:
            breaches.close_without_case(actor, report, form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return see_other("discipline.breach_list")
    db.session.commit()
    if action == "open-case":
        flash(_("Case %(id)d opened.", id=case.id), "success")
        return see_other("discipline.case_detail", case_id=case.id)
    flash(_("Closed without a case."), "success")
    return see_other("discipline.breach_list")
