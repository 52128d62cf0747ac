"""Scan station and the catch-up view of one case."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..accession_rule import lacks_accession
from ..audit import log_read
from ..blanks.queries import case_of_blank, reserved_code
from ..cases.queries import case_by_code, get_case_or_404, site_name_of_code
from ..codes import CodeError, ScanResult, canonical_scan, parse_scan
from ..dispatch_rule import dispatch_status
from ..extensions import db
from ..i18n import gettext as _
from ..incidents.forms import ConfirmForm
from ..incidents.queries import incident_of_site
from ..models import CATCHUP_STEPS, Case
from ..reporting.queries import calls_for
from ..reporting.signed import SIGNING_KINDS, SignedText, signed_text
from ..web import local_time
from . import bp
from .batch import latest_ticks
from .forms import RisIdsForm, StepForm, VerifyForm, WaiveForm
from .identities import earlier_identities
from .ris_numbers import NUMBERS_UNCHECKED, RisNumbersChanged, accession_in_use, save_ris_ids
from .scan_warnings import doc_fits_code, sheet_warnings
from .scans import log_refused_scan, log_scan, record_scan
from .services import (
    UNDO_CHECKED,
    AccessionMissing,
    CaseNotFound,
    CatchupError,
    CheckWouldBeLost,
    tick_step,
    verify_case,
)
from .shown import shown_token
from .waiving import lift_waiver, waive_case

STAFF = ("secretary", "admin")
STEP_LABELS = {
    "booked": "Bokad i RIS",
    "exam_completed": "Undersökningen klarmarkerad i RIS",
    "images_matched": "Bilderna matchade i PACS",
    "report_keyed": "Utlåtandet inlagt i RIS",
    "correction_list": "Lagd på radiologens korr-lista",
}


# The scan page's refusals: shown in the user's language, logged in Swedish.
MSG_OTHER_INCIDENT = "Ärendelistan hör till ett driftstopp som inte finns här."
MSG_OTHER_LAPTOP = (
    "Ärendelistan hör till driftstopp %(id)s på en annan reservdator (eller i en tidigare "
    "databas), inte till driftstopp %(id)s här. Stäm av den på den datorn."
)
MSG_UNSTAMPED_LIST = (
    "Ärendelistan är utskriven innan listorna märktes med sitt driftstopp: en annan "
    "reservdators driftstopp %(id)s ger samma QR-kod. Kontrollera att listan gäller driftstopp "
    "%(id)s, startat %(started)s (%(title)s)."
)
MSG_VOIDED = "Koden %(code)s är makulerad (%(reason)s) och kan inte användas."
MSG_OTHER_SITE = "Papperet %(code)s hör till en annan enhet: %(site)s. Skicka det dit."
MSG_NO_CASE = "Inget ärende har koden %(code)s. Kontrollera papperet."
MSG_WRONG_DOC = (
    "QR-koden anger fel sorts papper för koden %(code)s. Skriv in koden som står på papperet."
)


@bp.route("/scan")
@roles(*STAFF)
def scan() -> ResponseReturnValue:
    """One always-focused field: a USB scanner types the QR payload and Enter."""
    code = request.args.get("code")
    if code is None:
        return render_template("catchup/scan.html", code="", error="")
    code = _typable(code[:200])
    try:
        result = parse_scan(code)
    except CodeError as exc:
        return _refused(code, _(exc.template, **exc.values), 400, logged=str(exc))
    if result.kind == "incident":
        return _incident_list(code, result)
    case = case_by_code(g.user.site_id, result.case_code or "") or case_of_blank(
        g.user.site_id, result.case_code or ""
    )
    if case is None:
        return _not_found(code, result)
    reserved = reserved_code(g.user.site_id, result.case_code or "")
    if not doc_fits_code(result.doc, reserved.doc_kind if reserved else None):
        return _wrong_doc(code, result)
    earlier = record_scan(
        user=g.user,
        payload=canonical_scan(result),
        case=case,
        incident_id=case.incident_id,
        doc=result.doc or "",
    )
    if earlier is not None:
        flash(
            _(
                "Redan öppnad %(when)s av %(who)s – inget har dubblerats.",
                when=local_time(earlier.at),
                who=earlier.user.display_name,
            ),
            "info",
        )
    for message, category in sheet_warnings(case, result):
        flash(message, category)
    return redirect(url_for("catchup.case", case_id=case.id))


def _incident_list(code: str, result: ScanResult) -> ResponseReturnValue:
    """Open the batch of a scanned incident list, if the list is of this laptop's incident."""
    incident = incident_of_site(g.user.site_id, result.incident_id or 0)
    if incident is None:
        return _refused(code, _(MSG_OTHER_INCIDENT), 404, logged=MSG_OTHER_INCIDENT)
    if result.incident_stamp not in (None, incident.list_stamp):
        # Every laptop numbers its incidents from 1: the id matched, the incident did not.
        values = {"id": incident.id}
        return _refused(code, _(MSG_OTHER_LAPTOP, **values), 404, logged=MSG_OTHER_LAPTOP % values)
    log_scan(user=g.user, payload=canonical_scan(result), incident_id=incident.id)
    if result.incident_stamp is None:
        started = local_time(incident.started_at)
        message = _(MSG_UNSTAMPED_LIST, id=incident.id, started=started, title=incident.title)
        flash(message, "error")
    return redirect(url_for("catchup.batch", incident_id=incident.id))


def _typable(scanned: str) -> str:
    # A binary QR decodes to control characters (NUL among them, which the database cannot
    # hold): each becomes "?", so the scan is refused, shown and logged like any wrong text.
    return "".join(
        "?" if unicodedata.category(ch) == "Cc" and not ch.isspace() else ch for ch in scanned
    )


def _refused(code: str, message: str, status: int, *, logged: str) -> ResponseReturnValue:
    """The scan page again with the message; the scan is logged with its reason (`logged`)."""
    if code.strip():  # Enter on an empty field is no scan
        log_refused_scan(user=g.user, scanned=code, reason=logged)
    return render_template("catchup/scan.html", code=code, error=message), status


def _not_found(code: str, result: ScanResult) -> ResponseReturnValue:
    """The scan page's answer for a code that is no case of the user's site."""
    case_code = result.case_code or ""
    reserved = reserved_code(g.user.site_id, case_code)
    if reserved is not None and reserved.voided_at is not None:
        # A voided binder sheet was filled in after all: say so rather than "not found".
        values = {"code": reserved.code, "reason": reserved.void_reason or "–"}
        return _refused(code, _(MSG_VOIDED, **values), 409, logged=MSG_VOIDED % values)
    if reserved is not None and not doc_fits_code(result.doc, reserved.doc_kind):
        return _wrong_doc(code, result)
    if reserved is not None and reserved.used_case_id is None:
        # A documentation or report blank joins the case its referral began; only a referral
        # blank starts a case of its own.
        log_scan(user=g.user, payload=canonical_scan(result))
        target = "blanks.open_blank" if reserved.doc_kind == "BLR" else "blanks.attach"
        return redirect(url_for(target, code=reserved.code))
    other_site = site_name_of_code(case_code)
    if other_site is not None:
        # Only the site is named: the paper must go there, and nothing of the patient is shown.
        values = {"code": case_code, "site": other_site}
        return _refused(code, _(MSG_OTHER_SITE, **values), 404, logged=MSG_OTHER_SITE % values)
    values = {"code": case_code}
    return _refused(code, _(MSG_NO_CASE, **values), 404, logged=MSG_NO_CASE % values)


def _wrong_doc(code: str, result: ScanResult) -> ResponseReturnValue:
    """A QR whose document kind cannot be on paper with its code: a misprint or another
    system's code. Opening the case would name a sheet that is not in the secretary's hand."""
    values = {"code": result.case_code or ""}
    return _refused(code, _(MSG_WRONG_DOC, **values), 400, logged=MSG_WRONG_DOC % values)


def _signed(case: Case) -> SignedText | None:
    """The text to key is the signed one, as the batch carries it, not a later unsigned save."""
    if case.report is None or case.report.state == "draft":
        return None
    try:
        return signed_text(db.session, case.report)
    except LookupError:
        # The template then says the signed text is missing rather than offer other text.
        return None


def _last_signature(case: Case) -> tuple[str, datetime] | None:
    """The kind and time of the report's latest signature; keyed from a fax or paper, the time
    on the paper (as its sheet and the batch give it), not when it was keyed."""
    report = case.report
    signing = [s for s in report.signatures if s.kind in SIGNING_KINDS] if report else []
    if report is None or not signing:
        return None
    last = signing[-1]
    return last.kind, report.paper_times.get(last.id) or last.signed_at


def _render(
    case_id: int, status: int = 200, step_errors: dict[str, str] | None = None, **forms: object
) -> ResponseReturnValue:
    case = get_case_or_404(case_id)
    # Every answer that shows the case is a read, a refused submit's included.
    log_read("catchup_view", case=case)
    ticks = latest_ticks([case.id])[case.id]
    record = case.catchup
    given = forms.get("ris_form")
    ris_form = (
        given
        if isinstance(given, RisIdsForm)
        else RisIdsForm(
            formdata=None,
            data={
                "ris_accession": record.ris_accession if record else "",
                "ris_exam_number": record.ris_exam_number if record else "",
                "accession_shown": record.ris_accession if record else "",
                "exam_number_shown": record.ris_exam_number if record else "",
            },
        )
    )
    if step_errors and "booked" in step_errors:
        # What the refused step needs is typed here: the message stands at this field too.
        ris_form.ris_accession.errors = [step_errors["booked"]]
    duplicates = accession_in_use(case.site_id, record.ris_accession, case.id) if record else []
    shown = shown_token(db.session, case.id)
    waive_form = forms.get("waive_form")
    waive_form = waive_form if isinstance(waive_form, WaiveForm) else WaiveForm(formdata=None)
    # What the page shows now: a waiver sent from it is of the case as shown.
    waive_form.shown.data = shown
    return render_template(
        "catchup/case.html",
        case=case,
        ticks=ticks,
        record=record,
        steps=CATCHUP_STEPS,
        step_labels=STEP_LABELS,
        ris_form=ris_form,
        step_form=StepForm(),
        step_errors=step_errors or {},
        waive_form=waive_form,
        confirm_form=ConfirmForm(),
        duplicates=duplicates,
        no_accession=lacks_accession(case.status, ticks, record),
        four_eyes=g.site_config.four_eyes,
        calls=calls_for(case.id),
        signed=_signed(case),
        last_signature=_last_signature(case),
        dispatch=dispatch_status(case),
        shown=shown,
        earlier=earlier_identities(db.session, [case.id]).get(case.id, []),
        # The services refuse every change once the incident has ended: offer none.
        is_locked=case.incident.ended_at is not None,
    ), status


@bp.route("/catchup/cases/<int:case_id>")
@roles(*STAFF)
def case(case_id: int) -> ResponseReturnValue:
    """Everything needed to key the case into RIS, in RIS's order, one tap to copy."""
    return _render(case_id)


@bp.route("/catchup/cases/<int:case_id>/ris", methods=["POST"])
@roles(*STAFF)
def ris_ids(case_id: int) -> ResponseReturnValue:
    """Save the RIS accession and exam number."""
    case = get_case_or_404(case_id)
    form = RisIdsForm()
    if form.validate_on_submit():
        try:
            unchecked = save_ris_ids(
                case_id=case.id,
                user=g.user,
                accession=form.ris_accession.data or "",
                exam_number=form.ris_exam_number.data or "",
                allow_duplicate=bool(form.allow_duplicate.data),
                shown=_shown_numbers(form),
                four_eyes=g.site_config.four_eyes,
            )
        except RisNumbersChanged as exc:
            form.ris_accession.errors = [str(exc)]
            # The form now stands on the colleague's numbers: saving again replaces them.
            form.accession_shown.data = exc.accession
            form.exam_number_shown.data = exc.exam_number
        except CatchupError as exc:
            form.ris_accession.errors = [str(exc)]
        else:
            flash(_("RIS-numren är sparade."), "success")
            if unchecked is not None and g.site_config.four_eyes:
                flash(_(NUMBERS_UNCHECKED, name=unchecked), "error")
            return redirect(url_for("catchup.case", case_id=case.id))
    return _render(case.id, 400, ris_form=form)


def _shown_numbers(form: RisIdsForm | VerifyForm) -> tuple[str, str] | None:
    """The RIS numbers the page showed; None from a client that sent none."""
    if not form.accession_shown.raw_data:
        return None
    return form.accession_shown.data or "", form.exam_number_shown.data or ""


@bp.route("/catchup/cases/<int:case_id>/steps", methods=["POST"])
@roles(*STAFF)
def step(case_id: int) -> ResponseReturnValue:
    """Tick or untick a catch-up step."""
    form = StepForm()
    # The service checks the case and its site inside the write transaction; loading the case
    # here first would cost as much again.
    if form.validate_on_submit():
        try:
            tick_step(
                case_id=case_id,
                user=g.user,
                step=form.step.data or "",
                is_done=form.is_done.data == "1",
                four_eyes=g.site_config.four_eyes,
                confirm_preliminary=bool(form.confirm_preliminary.data),
                confirm_uncheck=form.confirm_uncheck.data == "1",
                shown=form.shown.data or "",
            )
        except CaseNotFound:
            abort(404)
        except AccessionMissing as exc:
            return _render(case_id, 409, step_errors={"booked": str(exc)})
        except CheckWouldBeLost as exc:
            flash(_(UNDO_CHECKED, name=exc.name), "error")
        except CatchupError as exc:
            flash(_(str(exc)), "error")
    else:
        get_case_or_404(case_id)
    return redirect(url_for("catchup.case", case_id=case_id) + "#steps")


@bp.route("/catchup/cases/<int:case_id>/verify", methods=["POST"])
@roles(*STAFF)
def verify(case_id: int) -> ResponseReturnValue:
    """Second secretary confirms the keyed case matches the paper."""
    case = get_case_or_404(case_id)
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            verify_case(
                case_id=case.id,
                user=g.user,
                four_eyes=g.site_config.four_eyes,
                shown=form.shown.data or "",
                numbers=_shown_numbers(form),
            )
        except CatchupError as exc:
            flash(_(str(exc)), "error")
        else:
            flash(_("Kontrollen är registrerad."), "success")
    return redirect(url_for("catchup.case", case_id=case.id))


@bp.route("/catchup/cases/<int:case_id>/waive", methods=["POST"])
@roles(*STAFF)
def waive(case_id: int) -> ResponseReturnValue:
    """Take a case out of the catch-up, with a reason."""
    case = get_case_or_404(case_id)
    form = WaiveForm()
    if form.validate_on_submit():
        try:
            waive_case(
                case_id=case.id,
                user=g.user,
                reason=form.reason.data or "",
                shown=form.shown.data or "",
            )
        except CatchupError as exc:
            # The case's state forbids it (closed, cancelled, incident ended, changed since the
            # page was opened): nothing changed.
            flash(_(str(exc)), "error")
            return _render(case.id, 409, waive_form=form)
        else:
            flash(_("Ärendet är undantaget."), "success")
            return redirect(url_for("catchup.case", case_id=case.id))
    return _render(case.id, 400, waive_form=form)


@bp.route("/catchup/cases/<int:case_id>/waive/lift", methods=["POST"])
@roles(*STAFF)
def lift(case_id: int) -> ResponseReturnValue:
    """Put a waived case back into the catch-up."""
    case = get_case_or_404(case_id)
    if ConfirmForm().validate_on_submit():
        try:
            lift_waiver(case_id=case.id, user=g.user, four_eyes=g.site_config.four_eyes)
        except CatchupError as exc:
            flash(_(str(exc)), "error")
        else:
            flash(_("Undantaget är hävt: ärendet ska läggas in i RIS."), "success")
    return redirect(url_for("catchup.case", case_id=case.id))
