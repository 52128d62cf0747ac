"""Start page and the unauthenticated health check."""

from __future__ import annotations

import ipaddress

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


def _from_the_laptop_or_staff() -> bool:
    """Whether the asker is logged in or on the laptop itself (its own monitoring, the admin)."""
    if g.get("user") is not None:
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    # A dual-stack socket names the laptop's own IPv4 as ::ffff:127.0.0.1.
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """Liveness: the status for anyone; version, database, power and disk for staff."""
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
    answer: dict[str, object] = {"status": "ok" if status == 200 else "error"}
    # Tablets ask here, without a cookie, before each submit: they need only the status. The
    # battery and disk tell anyone on the network when the laptop is about to go down.
    if _from_the_laptop_or_staff():
        answer.update(
            version=current_app.config["VERSION"],
            database=database,
            # Never a reason for an error status: a laptop low on battery still takes a save.
            **health_figures(),
        )
    return jsonify(answer), status


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
