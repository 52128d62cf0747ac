"""Admin views: HTTP only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select

from ..access import records, roles
from ..backup import DIR_PROBLEM, LAST_FAILURE, sqlite_path
from ..backup import status as backup_status
from ..backup_asked import asked_backup_name, take_asked_backup
from ..backup_errors import FAILURE_REASONS, BackupError
from ..cases.fields import site_today
from ..cases.submissions import SentOnce, payload_hash
from ..example_site import shows_example_numbers
from ..extensions import db
from ..formutil import new_form_key, page_in_english
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..identity import IdentityError, parse_personal_number
from ..laptop_watch import laptop_health
from ..models import AuditEvent, Case, Site, utcnow
from ..site_files import SiteFiles
from ..siteconfig import SiteConfigError
from ..sites import StaleSiteConfigError, config_hash, save_site_config
from ..storage import write_transaction
from ..web import listens_on_loopback, local_time, local_time_marked, tablet_url, tablet_urls
from . import bp
from .forms import AuditFilterForm, KeyedConfirmForm, SiteConfigForm
from .log_reads import log_log_read, shown_by_query, shown_on_page
from .queries import IncidentName, audit_csv_rows, audit_query, incident_names
from .site_history import config_edits, replaced_text

AUDIT_PAGE = 100
MAX_PAGE = 1_000_000
AUDIT_FILTERS = ("username", "patient", "action", "case_code", "incident")


@bp.route("/")
@roles("admin")
def index() -> ResponseReturnValue:
    """How tablets connect, and the state of the installation."""
    backups = None
    backup_problem = None
    backup_failure = None
    try:
        sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupError:
        pass  # PostgreSQL is backed up with its own tools (see README)
    else:
        backups = backup_status(Path(current_app.config["BACKUP_DIR"]))
        if not backups.target_exists:
            # Why start-up could not make the folder, unless the folder itself tells now.
            problem = backups.problem or current_app.extensions.get(DIR_PROBLEM)
            backup_problem = FAILURE_REASONS.get(problem or "")
        else:
            # The timer's and the close's failures are otherwise only in the server's log.
            backup_failure = FAILURE_REASONS.get(current_app.extensions.get(LAST_FAILURE, ""))
    return render_template(
        "admin/index.html",
        urls=tablet_urls(),
        tablet_url=tablet_url(),
        loopback_only=listens_on_loopback(),
        data_dir=current_app.config["DATA_DIR"],
        laptop=laptop_health(),
        backups=backups,
        backup_problem=backup_problem,
        backup_failure=backup_failure,
        backup_interval=current_app.config["BACKUP_INTERVAL_MINUTES"],
        backup_taken=asked_backup_name(request.args.get("backup", "")),
        confirm_form=KeyedConfirmForm(formdata=None, data={"form_key": new_form_key()}),
        is_example=shows_example_numbers(g.site_config),
    )


@bp.route("/backup", methods=["POST"])
@roles("admin")
def backup_now() -> ResponseReturnValue:
    """Take a backup now (e.g. before moving the laptop)."""
    form = KeyedConfirmForm()
    if form.validate_on_submit():
        key = form.form_key.data or ""
        # The answer names the file from the form's stored result: a reload, a second tap and
        # a shared link say the same, and the address carries the key alone.
        answer = url_for("admin.index", backup=key) if key else url_for("admin.index")
        try:
            taken = take_asked_backup(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                user=g.user,
                sent=SentOnce(key, payload_hash(request.form), answer),
            )
        except BackupError as exc:
            current_app.logger.error("Säkerhetskopiering misslyckades: %s", exc)
            flash(
                _(
                    "Säkerhetskopieringen misslyckades: %(reason)s. Mål: %(target)s",
                    reason=_(FAILURE_REASONS[exc.reason]),
                    target=str(current_app.config["BACKUP_DIR"]),
                ),
                "error",
            )
        except ValueError as exc:
            flash(refusal_text(exc), "error")
        else:
            if not key:
                # A form without a key stores no result: only the flash can name the file.
                flash(_("Säkerhetskopia sparad: %(name)s", name=taken.name), "success")
            return redirect(answer)
    return redirect(url_for("admin.index"))


@bp.route("/lan-qr.svg")
@roles("admin")
def lan_qr() -> ResponseReturnValue:
    """The LAN address as a QR code a tablet's camera opens."""
    url = tablet_url()
    if not url:
        abort(404)  # no code of 127.0.0.1 for a tablet: the screen says why instead
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    img.save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.route("/site", methods=["GET", "POST"])
@roles("admin")
def site() -> ResponseReturnValue:
    """Edit the site configuration (contacts, exam catalogue, routines)."""
    form = SiteConfigForm()
    status = 200
    restoring = None
    if request.method == "GET":
        site = db.session.get(Site, g.user.site_id)
        stored = site.config_toml if site is not None else ""
        form.config_toml.data = stored
        # Saved from here, the page replaces the stored text knowingly: its hash is the base.
        form.base_hash.data = config_hash(stored)
        restoring = request.args.get("version", type=int)
        if restoring is not None:
            # Bounded: a typed number must not overflow the database's integer.
            earlier = replaced_text(g.user.site_id, restoring) if 0 < restoring < MAX_PAGE else None
            if earlier is None:
                return render_template("error.html", code=404, message=_("Sidan finns inte.")), 404
            form.config_toml.data = earlier
    if form.validate_on_submit():
        files = SiteFiles.from_config(current_app.config)
        try:
            save_site_config(
                g.user.site_id,
                form.config_toml.data or "",
                files,
                base_hash=form.base_hash.data or "",
                sent=SentOnce(
                    form.form_key.data or "", payload_hash(request.form), url_for("admin.site")
                ),
                user_id=g.user.id,
            )
        except StaleSiteConfigError as exc:
            form.config_toml.errors = [refusal_text(exc)]
            # A second save is then a choice made knowing of the other edit.
            form.base_hash.data = exc.current_hash
            status = 409
        except (SiteConfigError, ValueError) as exc:
            form.config_toml.errors = [refusal_text(exc)]
        else:
            flash(_("Konfigurationen är sparad."), "success")
            return redirect(url_for("admin.site"))
    if form.errors and status == 200:
        status = 400
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    return render_template(
        "admin/site.html",
        form=form,
        restoring=restoring,
        is_example=shows_example_numbers(g.site_config),
    ), status


@bp.route("/site/history")
@roles("admin")
def site_history() -> ResponseReturnValue:
    """Earlier versions of the site configuration: who changed what, and when."""
    return render_template("admin/site_history.html", edits=config_edits(g.user.site_id))


def _searched_patient(form: AuditFilterForm) -> str:
    """The patient an admin searched the log for, written as the log writes patients."""
    # Looking up who read a patient's data is itself a look at that patient.
    typed = "".join((form.patient.data or "").split()).upper()
    try:
        return parse_personal_number(typed, site_today()).normalized
    except IdentityError:
        return typed  # a reserve number, or part of a number


def _searched_case(form: AuditFilterForm) -> Any:
    """The case an admin searched the log for by its code (a row with what the log names)."""
    # A case's code names one patient: who read the case is a look at that patient too. A
    # search by number as well already names the patient searched for.
    if not form.case_code.data or form.case_code.errors or form.patient.data:
        return None
    return db.session.execute(
        select(Case.id, Case.site_id, Case.incident_id, Case.patient_id).where(
            Case.site_id == g.user.site_id, Case.code == form.wanted_case_code()
        )
    ).first()


def _asked() -> str:
    """The filter and page asked for, as the log's read names them."""
    return request.query_string.decode("utf-8", "replace")[:500]


def _filtered_audit() -> tuple[AuditFilterForm, Any, dict[int, IncidentName]]:
    form = AuditFilterForm(request.args)
    incidents = incident_names(g.user.site_id)
    form.offer_incidents(((i.id, i.as_text()) for i in incidents.values()), page_in_english())
    form.validate()
    stmt = audit_query(
        g.user.site_id,
        username=form.username.data or "",
        patient=form.patient.data or "",
        action=form.action.data or "",
        case_code=form.wanted_case_code() if form.case_code.data else "",
        incident_id=form.wanted_incident(),
    )
    return form, stmt, incidents


@bp.route("/audit")
@roles("admin")
def audit() -> ResponseReturnValue:
    """The audit log, filterable by user, patient, action and case."""
    form, stmt, incidents = _filtered_audit()
    # Bounded: a typed page number must not overflow the database's integer.
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    events = db.session.execute(stmt.limit(AUDIT_PAGE + 1).offset((page - 1) * AUDIT_PAGE)).all()
    shown = shown_on_page(events[:AUDIT_PAGE])
    with write_transaction():
        log_log_read(
            "audit_view",
            case=_searched_case(form),
            patient_ref=_searched_patient(form),
            head=_asked(),
            shown=shown,
        )
    return render_template(
        "admin/audit.html",
        form=form,
        events=events[:AUDIT_PAGE],
        page=page,
        has_next=len(events) > AUDIT_PAGE,
        incidents=incidents,
        # The filters only: any other argument would go to url_for as its own ("endpoint": 500).
        filter_args={k: v for k, v in request.args.items() if k in AUDIT_FILTERS and v},
    )


@bp.route("/audit.csv")
@roles("admin")
@records
def audit_export() -> ResponseReturnValue:
    """Export the filtered audit log for the department's log review."""
    form, stmt, incidents = _filtered_audit()
    # The file holds what its own rows say it listed: the rows written before them, none since.
    last = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    shown = shown_by_query(stmt.where(AuditEvent.id <= last))
    with write_transaction():
        own = log_log_read(
            "audit_export",
            case=_searched_case(form),
            patient_ref=_searched_patient(form),
            head=_asked(),
            shown=shown,
        )
    # Its own rows are in it too when the filter holds them (a search of a patient names them).
    held = or_(AuditEvent.id <= last, AuditEvent.id.in_(own))
    # Named by the site's wall clock, as the log's own times and the reconciliation files are.
    filename = f"atkomstlogg-{local_time(utcnow(), '%Y%m%d-%H%M')}.csv"
    return Response(
        # Marked in the hour the clocks go back, which comes twice, as the page marks it.
        stream_with_context(audit_csv_rows(stmt.where(held), local_time_marked, incidents)),
        # The whole Content-Type: with mimetype= Werkzeug would add the charset again.
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
