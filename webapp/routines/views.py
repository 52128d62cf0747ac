"""The routines' overview page: the three routines, and what is open in each."""

from __future__ import annotations

from flask import g, render_template
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..incidents.queries import current_incident
from . import bp
from .queries import admin_queue, exchanges_for_incident, transfers


@bp.route("/")
@roles(*CLINICAL)
def index() -> ResponseReturnValue:
    """The three routines, and what is open in each."""
    incident = current_incident()
    return render_template(
        "routines/index.html",
        incident=incident,
        exchanges=exchanges_for_incident(incident.id) if incident else [],
        open_transfers=transfers(g.user.site_id, open_only=True),
        queue_count=len(admin_queue(g.user.site_id)[0]),
        rc=g.site_config.routines.release,
    )
