"""Print views: each returns a PDF the tablet's browser opens for printing."""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from printforms import build_sheet, render_incident_list, render_sheets

from ..access import CLINICAL, records, roles
from ..cases.queries import get_case_or_404
from ..incidents.queries import get_incident_or_404
from . import bp
from .content import CaseSheets
from .documents import available_documents, offers_cancel_notice
from .list_sheets import incident_list_sheet
from .responses import flash_print_failed, pdf_response
from .services import PrintFailed, PrintPlan, plan_list_print, plan_prints, print_pdf
from .versions import case_changes, document_version


@bp.route("/cases/<int:case_id>/<kind>.pdf")
@roles(*CLINICAL)
@records
def case_document(case_id: int, kind: str) -> ResponseReturnValue:
    """One document of a case; 'all' gives every document in one PDF (one-tap print)."""
    case = get_case_or_404(case_id)
    available = available_documents(case)
    if kind == "all":
        kinds = [k for k in available if not k.endswith("-anon")]
    elif kind in available or (kind == "cancel-notice" and offers_cancel_notice(case)):
        kinds = [kind]
    else:
        abort(404)
    filename = f"{case.code}-{kind}.pdf"
    changes = case_changes(case.id)
    sheets = CaseSheets(case, g.site_config)
    plan = plan_prints(
        user=g.user,
        case=case,
        incident_id=case.incident_id,
        documents=[(k, document_version(case, k, changes)) for k in kinds],
        contents={k: sheets.content_version(k, changes) for k in kinds},
    )

    def draw(plan: PrintPlan) -> bytes:
        documents = [sheets.build(k, plan.printed[k]) for k in kinds]
        return render_sheets([build_sheet(d) for d in documents])

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("cases.show", case_id=case_id))
    return pdf_response(pdf, filename)


@bp.route("/incidents/<int:incident_id>/list.pdf")
@roles(*CLINICAL)
@records
def incident_list(incident_id: int) -> ResponseReturnValue:
    """All cases of an incident with status, one line each (masked for the TiB)."""
    incident = get_incident_or_404(incident_id)
    masked = request.args.get("masked", "1") != "0"
    doc = "list-masked" if masked else "list"
    plan = plan_list_print(user=g.user, incident_id=incident.id, doc=doc)

    def draw(plan: PrintPlan) -> bytes:
        return render_incident_list(
            incident_list_sheet(incident, g.site_config, masked=masked, printed_at=plan.at)
        )

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("incidents.show", incident_id=incident_id))
    return pdf_response(pdf, f"driftstopp-{incident_id}.pdf")
