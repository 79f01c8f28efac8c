"""The secretariat's pages: the dashboard, hotline and walk-in intake, one complaint with its
timeline, clocks and the actions its state allows, bulk assignment, revealing identity."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from wtforms import SelectChoice

from portal import clock, uploads
from portal.complaints import constants as c
from portal.complaints.forms import (
    AcceptForm,
    EmptyForm,
    HandlerForm,
    MaterialForm,
    PanelForm,
    RejectForm,
    RequestMaterialForm,
    ResolveForm,
    StaffComplaintForm,
)
from portal.complaints.models import Complaint
from portal.complaints.services import access, deadlines, identity, queries, tracking, workflow
from portal.complaints.services.intake import Submission
from portal.complaints.states import Action, Status, allowed
from portal.complaints.views import bp
from portal.complaints.views.common import ensure_token, private_page, uploads_of
from portal.complaints.views.public import file_with_form, show_receipt
from portal.errors import DomainError
from portal.extensions import db
from portal.forms_support import show_domain_error
from portal.members.models import Member
from portal.security import Role, current_actor, roles_required

PER_PAGE = 25
FILTER_KEYS = ("status", "category", "channel", "member_id", "queue", "handler", "q")


def _filters() -> queries.Filters:
    return queries.Filters.clean(**{key: request.args.get(key) for key in FILTER_KEYS})


def _filter_args(filters: queries.Filters) -> dict:
    return {k: v for k, v in vars(filters).items() if v not in (None, "")}


def _complained_members() -> list[Member]:
    return list(
        db.session.scalars(
            select(Member).where(Member.id.in_(select(Complaint.member_id))).order_by(Member.name)
        )
    )


@bp.route("/staff/complaints")
@roles_required(Role.STAFF)
def dashboard():
    filters = _filters()
    now = clock.now()
    page = db.paginate(
        queries.search(filters, current_actor(), now), per_page=PER_PAGE, error_out=False
    )
    handler_form = HandlerForm(formdata=None)
    handler_form.handler_id.choices = _handler_choices()
    return render_template(
        "complaints/dashboard.html",
        page=page,
        filters=filters,
        filter_args=_filter_args(filters),
        statuses=list(Status),
        by_status=queries.counts_by_status(),
        by_queue=queries.queue_counts(now),
        escalated=queries.escalated(),
        members=_complained_members(),
        clocks={item.id: deadlines.clocks(item, now) for item in page.items},
        handler_form=handler_form,
        categories=list(c.Category),
        channels=list(c.Channel),
    )


def _handler_choices() -> list[SelectChoice]:
    return [SelectChoice(0, _("— Choose —"))] + [
        SelectChoice(u.id, u.display_name) for u in workflow.staff_choices()
    ]


def _panel_choices() -> list[SelectChoice]:
    role_words = {Role.STAFF.value: _("secretariat"), Role.COMMITTEE.value: _("committee")}
    return [SelectChoice(0, _("— Choose —"))] + [
        SelectChoice(u.id, f"{u.display_name} ({role_words.get(u.role, u.role)})")
        for u in workflow.panel_choices()
    ]


@bp.route("/staff/complaints/assign", methods=["POST"])
@roles_required(Role.STAFF)
def bulk_assign():
    form = HandlerForm()
    form.handler_id.choices = _handler_choices()
    numbers = request.form.getlist("complaint")[: PER_PAGE * 4]
    back = {k: request.form.get(k) for k in FILTER_KEYS if request.form.get(k)}
    if form.validate_on_submit():
        chosen = list(
            db.session.scalars(select(Complaint).where(Complaint.tracking_number.in_(numbers)))
        )
        try:
            assigned, skipped = workflow.assign_handler(
                current_actor(), chosen, form.handler_id.data
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message + " " + " ".join(error.fields.values()), "danger")
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d complaint assigned.", "%(num)d complaints assigned.", len(assigned)
                ),
                "success",
            )
            if skipped:
                flash(
                    ngettext(
                        "%(num)d closed or rejected complaint was left as it was.",
                        "%(num)d closed or rejected complaints were left as they were.",
                        len(skipped),
                    ),
                    "warning",
                )
    else:
        flash(_("The form expired. Please send it again."), "danger")
    from flask import redirect

    return redirect(url_for("complaints.dashboard", **back), code=303)


@bp.route("/staff/complaints/new", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def staff_new():
    return file_with_form(
        StaffComplaintForm(),
        "staff-form",
        lambda form: form.channel.data,
        "complaints/staff_new.html",
    )


@bp.route("/staff/complaints/receipt")
@roles_required(Role.STAFF)
def staff_receipt():
    return show_receipt("complaints/staff_receipt.html")


def _forms_for(complaint: Complaint, failed: tuple[str, object] | None = None) -> dict:
    """The action forms the complaint's state allows (and only those), blank unless one was
    just sent with errors."""
    staff_forms = {
        "accept": (Action.ACCEPT, AcceptForm),
        "reject": (Action.REJECT, RejectForm),
        "start": (Action.START_INVESTIGATION, EmptyForm),
        "request-material": (Action.REQUEST_MATERIAL, RequestMaterialForm),
        "material": (Action.ADD_MATERIAL, MaterialForm),
        "panel": (Action.ASSIGN_PANEL, PanelForm),
        "resolve": (Action.RESOLVE, ResolveForm),
        "close": (Action.CLOSE, EmptyForm),
        "handler": (Action.ASSIGN_HANDLER, HandlerForm),
    }
    forms = {}
    for name, (action, form_class) in staff_forms.items():
        if not allowed(complaint.status, action):
            continue
        if name == "panel" and complaint.complexity != c.Complexity.COMPLEX.value:
            continue
        form = failed[1] if failed and failed[0] == name else form_class(formdata=None)
        if name == "panel":
            for seat in ("clinical", "legal", "industry"):
                getattr(form, seat).choices = _panel_choices()
            if not failed or failed[0] != name:
                for seat in complaint.panel:
                    getattr(form, seat.field).data = seat.user_id
        if name == "handler":
            form.handler_id.choices = _handler_choices()
            if not failed or failed[0] != name:
                form.handler_id.data = complaint.handler_id or 0
        if name == "material":
            ensure_token(form)
        forms[name] = form
    return forms


def _detail(complaint: Complaint, *, failed=None, revealed=None, status: int = 200):
    actor = current_actor()
    staff = access.is_staff(actor)
    return private_page(
        "complaints/detail.html",
        status=status,
        complaint=complaint,
        view=tracking.public_view(complaint),
        events=tracking.timeline_items(complaint, public_only=False),
        identity=revealed or identity.masked(complaint),
        forms=_forms_for(complaint, failed) if staff else {},
        reveal_form=EmptyForm(formdata=None) if staff else None,
        panel_complete=workflow.panel_complete(complaint),
        in_mediation=staff and workflow.mediation_under_way(complaint),
        files={
            "evidence": uploads.files_of(access.EVIDENCE_FILES, complaint.id),
            "materials": {
                m.id: uploads.files_of(access.MATERIAL_FILES, m.id) for m in complaint.materials
            },
        },
    )


@bp.route("/staff/complaints/<tracking_number>")
@roles_required(Role.STAFF, Role.COMMITTEE)
def staff_detail(tracking_number: str):
    return _detail(access.for_staff(current_actor(), tracking_number))


@bp.route("/staff/complaints/<tracking_number>/reveal", methods=["POST"])
@roles_required(Role.STAFF)
def staff_reveal(tracking_number: str):
    actor = current_actor()
    complaint = access.for_staff(actor, tracking_number)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "danger")
        return _detail(complaint, status=400)
    revealed = identity.reveal(actor, complaint)
    db.session.commit()
    return _detail(complaint, revealed=revealed)


def _act(name: str, actor, complaint: Complaint, form) -> str:
    """Call the one service behind the action; the message to flash."""
    if name == "accept":
        workflow.accept(actor, complaint, form.complexity.data)
        return _("Accepted as %(level)s.", level=c.label(c.COMPLEXITY_SHORT, form.complexity.data))
    if name == "reject":
        workflow.reject(actor, complaint, form.reason.data)
        return _("Not accepted; the complainant is told why.")
    if name == "start":
        workflow.start_investigation(actor, complaint)
        return _("The investigation has started.")
    if name == "request-material":
        workflow.request_material(actor, complaint, form.message.data)
        return _("The complainant has been asked for material; the deadline is paused.")
    if name == "material":
        workflow.add_material(
            actor,
            complaint,
            form.text.data,
            files=uploads_of(form.files),
            submission=Submission("staff", form.submission_token.data),
        )
        return _("Material added.")
    if name == "panel":
        workflow.assign_panel(
            actor,
            complaint,
            {
                "clinical": form.clinical.data,
                "legal": form.legal.data,
                "industry": form.industry.data,
            },
        )
        return _("The expert panel has been assigned.")
    if name == "resolve":
        workflow.resolve(actor, complaint, form.finding.data, form.outcome.data)
        return _("Resolved; the complainant has been told the outcome.")
    if name == "close":
        workflow.close(actor, complaint)
        return _("Closed.")
    if name == "handler":
        workflow.assign_handler(actor, [complaint], form.handler_id.data)
        return _("Handler assigned.")
    raise AssertionError(name)


ACTION_FORMS = {
    "accept": AcceptForm,
    "reject": RejectForm,
    "start": EmptyForm,
    "request-material": RequestMaterialForm,
    "material": MaterialForm,
    "panel": PanelForm,
    "resolve": ResolveForm,
    "close": EmptyForm,
    "handler": HandlerForm,
}


@bp.route("/staff/complaints/<tracking_number>/<action>", methods=["POST"])
@roles_required(Role.STAFF)
def staff_action(tracking_number: str, action: str):
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        abort(404)
    actor = current_actor()
    complaint = access.for_staff(actor, tracking_number)
    form = form_class()
    if action == "panel":
        for seat in ("clinical", "legal", "industry"):
            getattr(form, seat).choices = _panel_choices()
    if action == "handler":
        form.handler_id.choices = _handler_choices()
    if action == "material" and not ensure_token(form):
        flash(_("The form expired. Please send it again."), "danger")
        return _detail(complaint, failed=(action, form), status=400)
    if form.validate_on_submit():
        try:
            message = _act(action, actor, complaint, form)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return _detail(complaint, failed=(action, form), status=error.status)
        db.session.commit()
        flash(message, "success")
        from flask import redirect

        return redirect(
            url_for("complaints.staff_detail", tracking_number=complaint.tracking_number)
            + f"#{'actions' if action != 'material' else 'materials'}",
            code=303,
        )
    flash(_("Some fields need correcting."), "danger")
    return _detail(complaint, failed=(action, form), status=422)
