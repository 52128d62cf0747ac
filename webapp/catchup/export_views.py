"""The reconciliation batch's exports: downloaded from the batch page, again as an earlier
export held them, and the wiring to printing that the close and the CLI export share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..access import records, roles
from ..extensions import db
from ..i18n import gettext as _
from ..incidents.queries import get_incident_or_404
from ..models import Case, ExportBatch, Report
from ..printing.documents import document_urls
from ..reporting.signed import SignedTextMissing
from ..web import local_time
from . import bp
from .batch import CaseExport
from .exporting import FORMATS, NothingChanged, PdfRenderer, attachment_header, export_batch
from .moved_out import MovedOut
from .reexport import CannotExportAgain, export_again

# The batch stops rather than let other text go out under a signature (reporting.signed); the
# catch-up page says the same beside the case's report.
MSG_SIGNED_TEXT_MISSING = (
    "Exporten gjordes inte: den signerade texten i utlåtandet för ärende %(code)s finns inte i "
    "utlåtandets historik. Radiologen signerar utlåtandet igen; exportera sedan."
)


def site_url() -> str:
    """This server as the user reached it, for the JSON export's document links."""
    # Links only: they must open from where the user is.
    return request.url_root.rstrip("/")


def pdf_renderer_for(incident_id: int) -> PdfRenderer:
    """The reconciliation checklist renderer, from the print feature."""

    def render(
        cases: list[CaseExport], withdrawn: Sequence[MovedOut], since: datetime | None
    ) -> bytes:
        from ..printing.list_sheets import reconciliation_pdf

        return reconciliation_pdf(incident_id, cases, withdrawn, since=since)

    return render


def document_urls_for(base: str) -> Callable[[list[int]], dict[int, list[dict[str, str]]]]:
    """URLs of every case's printable documents, for the JSON export."""
    return lambda case_ids: document_urls(case_ids, base)


@bp.route("/catchup/incidents/<int:incident_id>/export/<fmt>")
@roles("secretary", "admin")
@records
def export(incident_id: int, fmt: str) -> ResponseReturnValue:
    """Download the batch as CSV, JSON, PDF checklist or FHIR bundle."""
    incident = get_incident_or_404(incident_id)
    if fmt not in FORMATS:
        return render_template("error.html", code=404, message=_("Okänt format.")), 404
    try:
        result = export_batch(
            incident=incident,
            config=g.site_config,
            fmt=fmt,
            user=g.user,
            changed_only=request.args.get("changed") == "1",
            document_urls=document_urls_for(site_url()),
            pdf_renderer=pdf_renderer_for(incident.id),
        )
    except NothingChanged as exc:
        flash(
            _(
                "Inget ärende har ändrats sedan förra exporten i formatet %(fmt)s (%(at)s). "
                "Ingen fil skapades.",
                fmt=fmt.upper(),
                at=local_time(exc.previous),
            ),
            "info",
        )
        return redirect(url_for("catchup.batch", incident_id=incident.id))
    except SignedTextMissing as exc:
        return _stopped(incident.id, exc)
    return Response(
        result.content,
        # The whole Content-Type: with mimetype= Werkzeug would add CSV's charset again.
        content_type=result.mimetype,
        headers={"Content-Disposition": attachment_header(result.filename)},
    )


@bp.route("/catchup/incidents/<int:incident_id>/exports/<int:export_id>", endpoint="export_again")
@roles("secretary", "admin")
@records
def export_again_view(incident_id: int, export_id: int) -> ResponseReturnValue:
    """Download an earlier export again, for the cases it held, with their data as it is now."""
    incident = get_incident_or_404(incident_id)
    batch = db.session.get(ExportBatch, export_id)
    if batch is None or batch.incident_id != incident.id:
        return render_template("error.html", code=404, message=_("Exporten finns inte.")), 404
    try:
        result = export_again(
            batch=batch,
            incident=incident,
            config=g.site_config,
            user=g.user,
            document_urls=document_urls_for(site_url()),
            pdf_renderer=pdf_renderer_for(incident.id),
        )
    except CannotExportAgain:
        flash(
            _(
                "Exporten gjordes innan programmet sparade vilka ärenden den innehöll och kan "
                "inte laddas ned igen. Ta en hel export i stället."
            ),
            "error",
        )
        return redirect(url_for("catchup.batch", incident_id=incident.id))
    except SignedTextMissing as exc:
        return _stopped(incident.id, exc)
    return Response(
        result.content,
        # The whole Content-Type: with mimetype= Werkzeug would add CSV's charset again.
        content_type=result.mimetype,
        headers={"Content-Disposition": attachment_header(result.filename)},
    )


def signed_text_missing_code(exc: SignedTextMissing) -> str:
    """The code of the case whose report stopped the export, as the secretary finds it."""
    code = db.session.scalar(
        select(Case.code).join(Report, Report.case_id == Case.id).where(Report.id == exc.report_id)
    )
    return code or "–"


def _stopped(incident_id: int, exc: SignedTextMissing) -> ResponseReturnValue:
    """The batch page, naming the case whose signed report text is missing; nothing exported."""
    flash(_(MSG_SIGNED_TEXT_MISSING, code=signed_text_missing_code(exc)), "error")
    return redirect(url_for("catchup.batch", incident_id=incident_id))
