"""Start page and the unauthenticated health check."""

from __future__ import annotations

from flask import current_app, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from ..access import any_role, public
from ..audit import log_list_read
from ..auth.accounts import user_count
from ..extensions import db
from ..incidents.forms import ConfirmForm
from ..incidents.queries import open_incidents
from ..laptop_watch import health_figures
from ..late_drafts import late_drafts
from ..local_paths import local_path
from . import bp
from .queries import status_counts


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    """Start page: the open incidents and what this role does next."""
    if g.get("user") is None:
        if user_count() == 0:
            return redirect(url_for("auth.setup"))
        return redirect(url_for("auth.login"))
    incidents = open_incidents(g.user.site_id)
    # Those who key everything into RIS after an outage are told of forms that came too late
    # for its catch-up; the list names patients, so showing it is a read.
    late = late_drafts(g.user.site_id) if g.user.role in ("secretary", "admin") else []
    if late:
        log_list_read(
            "late_drafts_view",
            codes=[d.case_code or d.typed_code for d in late],
            patients=[d.typed_patient for d in late],
        )
    return render_template(
        "main/index.html",
        incidents=incidents,
        counts=status_counts([incident.id for incident in incidents]),
        late=late,
        confirm_form=ConfirmForm(),
    )


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """Liveness for monitoring: version, the database, and the laptop's power and disk."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
        status = 200
    except Exception as exc:  # the point of this endpoint is to report, not raise
        current_app.logger.error("health check failed: %s", exc)
        database = "error"
        status = 503
    finally:
        db.session.rollback()
    return jsonify(
        status="ok" if status == 200 else "error",
        version=current_app.config["VERSION"],
        database=database,
        # For monitoring; never a reason for an error status: tablets ask here before each
        # submit, and a laptop low on battery still takes a save.
        **health_figures(),
    ), status


@bp.route("/about")
@any_role
def about() -> ResponseReturnValue:
    """Version and where the data lives."""
    return render_template("main/about.html", data_dir=current_app.config["DATA_DIR"])


@bp.route("/open")
@any_role
def open_page() -> ResponseReturnValue:
    """A print or export a return address led to, opened only by a tap (see return_pages)."""
    page = local_path(request.args.get("page")) or url_for("main.index")
    return render_template("main/open_page.html", page=page)
