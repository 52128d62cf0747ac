"""Binder views: the site's outage routines printed for the binder."""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import records, roles
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.routines import routines_pdf
from ..printing.services import PrintFailed
from ..web import tablet_url
from . import bp


@bp.route("/routines.pdf")
@roles("admin")
@records
def routines() -> ResponseReturnValue:
    """Every outage routine of the site (or ?scenario= one) as a PDF for the binder."""
    scenario = request.args.get("scenario")
    try:
        pdf = routines_pdf(g.user, tablet_url(), scenario)
    except KeyError:
        abort(404)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("blanks.index") + "#routines")
    return pdf_response(pdf, "rutiner.pdf" if scenario is None else "rutin.pdf")
