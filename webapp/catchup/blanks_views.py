"""Every blank of the site printed before the close and neither joined nor voided, for it.

The batch page names the first of them (a restock prints hundreds); this page lists them all,
in the order printed, each linked to where a filled one is taken in.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from ..access import roles
from ..blanks.kinds import BLANK_KIND_NAMES
from ..incidents.close_blanks import loose_blanks as loose_blanks_of
from ..incidents.queries import get_incident_or_404
from . import STAFF, bp
from .batch_views import blank_url


@bp.route("/catchup/incidents/<int:incident_id>/blanks")
@roles(*STAFF)
def loose_blanks(incident_id: int) -> ResponseReturnValue:
    """The incident's loose blanks, all of them (codes of the binder: no patient)."""
    incident = get_incident_or_404(incident_id)
    loose = loose_blanks_of(incident)
    return render_template(
        "catchup/loose_blanks.html",
        incident=incident,
        loose_blanks=loose,
        blank_links={b.code: blank_url(b.code, b.doc_kind) for b in loose},
        blank_kind_names=BLANK_KIND_NAMES,
    )
