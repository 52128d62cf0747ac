"""The routines' overview page: the three routines, and what is open in each."""

from __future__ import annotations

from flask import g, render_template
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..incidents.queries import current_incident
from ..offered_routines import offers_releases, offers_reviewer, offers_transfers
from . import bp
from .queries import admin_queue, exchanges_for_incident, transfer_count


@bp.route("/")
@roles(*CLINICAL)
def index() -> ResponseReturnValue:
    """The three routines, and what is open in each."""
    incident = current_incident()
    routines = g.site_config.routines
    return render_template(
        "routines/index.html",
        incident=incident,
        exchanges=exchanges_for_incident(incident.id) if incident else [],
        open_transfer_count=transfer_count(g.user.site_id, open_only=True),
        queue_count=len(admin_queue(g.user.site_id)[0]),
        rc=routines.release,
        reviewer_offered=offers_reviewer(g.user.site_id, routines),
        transfers_offered=offers_transfers(g.user.site_id, routines),
        releases_offered=offers_releases(g.user.site_id, routines),
    )
