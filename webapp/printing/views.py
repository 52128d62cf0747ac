"""Print views: each returns a PDF the tablet's browser opens for printing."""

from __future__ import annotations

from flask import abort, g
from flask.typing import ResponseReturnValue

from printforms import build_sheet, render_incident_list, render_sheets

from ..access import CLINICAL, roles
from ..cases.queries import get_case_or_404
from ..incidents.queries import get_incident_or_404
from . import bp
from .documents import available_documents
from .list_sheets import incident_list_sheet
from .responses import pdf_response
from .services import record_list_print, record_prints
from .sheets import BUILDERS
from .versions import case_changes, content_version, document_version


@bp.route("/cases/<int:case_id>/<kind>.pdf")
@roles(*CLINICAL)
def case_document(case_id: int, kind: str) -> ResponseReturnValue:
    """One document of a case; 'all' gives every document in one PDF (one-tap print)."""
    case = get_case_or_404(case_id)
    available = available_documents(case)
    if kind == "all":
        kinds = [k for k in available if not k.endswith("-anon")]
    elif kind in available:
        kinds = [kind]
    else:
        abort(404)
    changes = case_changes(case.id)
    reprints = record_prints(
        user=g.user,
        case=case,
        incident_id=case.incident_id,
        documents=[(k, document_version(case, k, changes)) for k in kinds],
        contents={k: content_version(case, k, changes) for k in kinds},
    )
    documents = [BUILDERS[k](case, g.site_config, reprints[k]) for k in kinds]
    pdf = render_sheets([build_sheet(d) for d in documents])
    return pdf_response(pdf, f"{case.code}-{kind}.pdf")


@bp.route("/incidents/<int:incident_id>/list.pdf")
@roles(*CLINICAL)
def incident_list(incident_id: int) -> ResponseReturnValue:
    """All cases of an incident with status, one line each (masked for the TiB)."""
    from flask import request

    incident = get_incident_or_404(incident_id)
    masked = request.args.get("masked", "1") != "0"
    doc = "list-masked" if masked else "list"
    printed_at = record_list_print(user=g.user, incident_id=incident.id, doc=doc)
    data = incident_list_sheet(incident, g.site_config, masked=masked, printed_at=printed_at)
    return pdf_response(render_incident_list(data), f"driftstopp-{incident.id}.pdf")
