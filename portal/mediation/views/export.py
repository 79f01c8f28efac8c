"""The case file as one printable page and as a PDF (WeasyPrint, CJK font embedded). The
same view (`services.casefile`) as the case page: the complainant's identity only as far
as the reader is entitled. Without a CJK font the PDF export says so and offers the
printable page."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _

from portal import audit, pdf
from portal.errors import DomainError
from portal.mediation.services import access, casefile
from portal.mediation.views import bp
from portal.security import Role, current_actor, roles_required

PRINT_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "mediation-print.css"
READERS = (Role.STAFF, Role.COMMITTEE, Role.WORKER, Role.MEMBER)


def printable(actor, case, *, holds_receipt: bool = False, for_pdf: bool = False) -> str:
    view = casefile.build(actor, case, holds_receipt=holds_receipt)
    return render_template("mediation/file.html", file=view, case=case, for_pdf=for_pdf)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def html_response(actor, case, *, holds_receipt: bool = False):
    return _no_store(make_response(printable(actor, case, holds_receipt=holds_receipt)))


class PdfUnavailable(DomainError):
    """The API's answer when no CJK font is installed: the printable page instead."""

    status = 503
    code = "pdf_unavailable"


def pdf_response(actor, case, *, holds_receipt: bool = False, printable_url: str | None = None):
    html = printable(actor, case, holds_receipt=holds_receipt, for_pdf=True)
    try:
        data = pdf.render_pdf(html, stylesheet_paths=(PRINT_CSS,))
    except pdf.NoCJKFont:
        current_app.logger.warning("mediation case file: no CJK font for the PDF export")
        if request.path.startswith("/api/"):
            raise PdfUnavailable(
                _(
                    "The server has no font that can print Chinese, so no PDF is made. "
                    "Open the printable case file instead: %(url)s",
                    url=f"/mediation/{case.number}/file",
                )
            ) from None
        page = render_template("mediation/no_font.html", case=case, printable_url=printable_url)
        return _no_store(make_response(page, 503))
    audit.record(
        "mediation.file_exported",
        case,
        actor=actor,
        payload={"number": case.number, "format": "pdf", "size": len(data)},
    )
    from portal.extensions import db

    db.session.commit()
    response = make_response(data)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{case.number}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@bp.route("/mediation/<number>/file")
@roles_required(*READERS)
def file_page(number: str):
    actor = current_actor()
    return html_response(actor, access.for_actor(actor, number))


@bp.route("/mediation/<number>/file.pdf")
@roles_required(*READERS)
def file_pdf(number: str):
    actor = current_actor()
    case = access.for_actor(actor, number)
    return pdf_response(
        actor, case, printable_url=url_for("mediation.file_page", number=case.number)
    )
