"""The scan station: a scanned sheet opens its case, a scanned incident list its batch, a
transfer's disc label (of a transfer with no case) the transfer, a ward referral form offers to
register the referral on it."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..access import roles
from ..audit import log_read
from ..blanks.queries import case_of_blank, reserved_code
from ..cases.display import patient_id_display
from ..cases.queries import case_by_code, site_name_of_code
from ..codes import (
    CodeError,
    ScanResult,
    canonical_scan,
    looks_like_personal_number,
    parse_scan,
    typed_label_reading,
)
from ..disc_label_codes import disc_label_reference
from ..extensions import db
from ..i18n import gettext as _
from ..incidents.queries import incident_exists, incident_of_site, site_name_of_incident
from ..models import Case, ImageTransfer, Site
from ..transfer_refs import transfer_of_reference
from ..ward_codes import site_form_stamp
from ..web import local_time
from . import STAFF, bp
from .disc_label_scan import disc_record_notice
from .scan_warnings import doc_fits_code, sheet_warnings
from .scans import log_refused_scan, log_scan, record_scan

# The scan page's refusals: shown in the user's language, logged in Swedish.
MSG_OTHER_INCIDENT = "Ärendelistan hör till ett driftstopp som inte finns här."
MSG_NO_INCIDENT = "Det finns inget driftstopp %(id)s här. Kontrollera ärendelistan."
MSG_OTHER_SITE_LIST = (
    "Ärendelistan hör till driftstopp %(id)s på en annan enhet: %(site)s. Skicka den dit."
)
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
MSG_PERSONAL_NUMBER = (
    "Det här är ett personnummer. Skanna QR-koden på papperet, eller skriv ärendekoden som "
    "står på det (t.ex. K7M-2Q2)."
)
MSG_NO_TRANSFER = "Ingen överföring har referensen %(reference)s här. Kontrollera skivetiketten."
MSG_OTHER_SITE_TRANSFER = (
    "Skivetiketten %(reference)s hör till en överföring på en annan enhet: %(site)s. "
    "Skicka den dit."
)
MSG_LABEL_OR_TRANSFER = (
    "%(typed)s kan läsas både som skivetiketten %(label)s till ärende %(code)s och som "
    "överföringen %(reference)s. Välj den som står på skivan."
)
MSG_OTHER_SITE_FORM = "Avdelningsremissen hör till en annan enhet: %(site)s. Skicka den dit."
MSG_NO_SITE_FORM = (
    "Avdelningsremissen hör till ingen enhet här (dess QR-kod är en annan enhets eller en "
    "annan installations). Kontrollera blanketten och registrera remissen på rätt enhet."
)
MSG_FIRST_OPENED = (
    "Papperet skannades %(when)s av %(who)s när det var kopplat till ärende %(code)s "
    "(%(name)s, %(id)s): kontrollera att det inte lades in i RIS under den patienten."
)
MSG_FIRST_OPENED_CODE = (
    "Papperet skannades %(when)s av %(who)s när det var kopplat till ärende "
    "%(code)s: kontrollera att det inte lades in i RIS under det ärendets patient."
)
MSG_WRONG_DOC = (
    "QR-koden anger fel sorts papper för koden %(code)s. Skriv in koden som står på papperet."
)


@bp.route("/scan")
@roles(*STAFF)
def scan() -> ResponseReturnValue:
    """One always-focused field: a USB scanner types the QR payload and Enter."""
    code = request.args.get("code")
    # Enter on an empty field (a scanner's stray Enter, a tap on the button) is no scan: the
    # station waits for one rather than calling nothing a case code that is too short.
    if code is None or not code.strip():
        return render_template("catchup/scan.html", code="", error="")
    code = _typable(code[:200])
    if looks_like_personal_number(code):
        return _refused(code, _(MSG_PERSONAL_NUMBER), 400, logged=MSG_PERSONAL_NUMBER)
    try:
        result = parse_scan(code)
    except CodeError as exc:
        return _refused(code, _(exc.template, **exc.values), 400, logged=str(exc))
    if result.kind == "incident":
        return _incident_list(code, result)
    if result.kind == "transfer":
        label = typed_label_reading(code)
        read = request.args.get("read")
        if label is None or read == "transfer":
            return _transfer_label(code, result)
        if read != "label" and _transfer_of(result) is not None:
            if _case_of_code(label.case_code or "") is None:
                return _transfer_label(code, result)
            # A transfer and a case both answer to the line: which disc is in hand cannot be
            # told from it, and a guess would open another patient's record.
            return _label_or_transfer(code, result, label)
        # No such transfer here: the line is the disc label it was typed from.
        result = label
    if result.kind == "ward_referral":
        return _ward_referral(code, result)
    case = _case_of_code(result.case_code or "")
    if case is None:
        return _not_found(code, result)
    reserved = reserved_code(g.user.site_id, result.case_code or "")
    if not doc_fits_code(result.doc, reserved.doc_kind if reserved else None):
        return _wrong_doc(code, result)
    payload = canonical_scan(result)
    earlier, other_version = record_scan(
        user=g.user, payload=payload, case=case, doc=result.doc or ""
    )
    if earlier is not None and earlier.case_id not in (None, case.id):
        # A blank scanned while joined to the wrong case, detached and joined here since: the
        # first scan opened that case, whose patient the sheet may have been keyed under.
        flash(_first_opened(earlier.case_id, earlier.at, earlier.who, payload), "error")
    elif earlier is not None:
        flash(
            _(
                "Redan öppnad %(when)s av %(who)s – inget har dubblerats.",
                when=local_time(earlier.at),
                who=earlier.who,
            ),
            "info",
        )
    elif other_version is not None:
        flash(
            _(
                "En annan version av papperet (version %(version)s) skannades %(when)s av "
                "%(who)s: ärendet kan redan vara inlagt i RIS. Lägg inte in det två gånger.",
                version=other_version.payload.rsplit(":", 1)[-1],
                when=local_time(other_version.at),
                who=other_version.who,
            ),
            "info",
        )
    notice = disc_record_notice(case, result)
    if notice is not None:
        flash(*notice)
    for message, category in sheet_warnings(case, result):
        flash(message, category)
    return redirect(url_for("catchup.case", case_id=case.id))


def _first_opened(case_id: int, at: datetime, who: str, payload: str) -> str:
    """What a sheet's scan says of the other case its first scan opened: RIS is checked by
    that case's patient, so they are named by name and number, and that read is logged."""
    other = db.session.get(Case, case_id)
    if other is None or other.site_id != g.user.site_id:
        # A blank is its site's, so this is no case here: its code alone, never another
        # site's patient.
        return _(
            MSG_FIRST_OPENED_CODE, when=local_time(at), who=who, code=other.code if other else ""
        )
    log_read("scan_earlier_case_view", case=other, detail=f"namngivet vid skanning av {payload}")
    return _(
        MSG_FIRST_OPENED,
        when=local_time(at),
        who=who,
        code=other.code,
        name=other.patient_name or _("Namn okänt"),
        id=patient_id_display(other),
    )


def _incident_list(code: str, result: ScanResult) -> ResponseReturnValue:
    """Open the batch of a scanned incident list, if the list is of this laptop's incident."""
    incident = incident_of_site(g.user.site_id, result.incident_id or 0)
    if incident is None:
        return _list_not_found(code, result)
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


def _case_of_code(case_code: str) -> Case | None:
    """The user's site's case of a code, or of the blank that began it."""
    return case_by_code(g.user.site_id, case_code) or case_of_blank(g.user.site_id, case_code)


def _transfer_of(result: ScanResult) -> ImageTransfer | None:
    return transfer_of_reference(result.transfer_id or 0, result.transfer_stamp or "")


def _label_or_transfer(code: str, result: ScanResult, label: ScanResult) -> ResponseReturnValue:
    """The scan page asking whether a typed line is a case's disc label or a transfer's: only
    the code and the reference are named, so nothing of a patient is shown before the choice."""
    record, record_id = label.disc_record or "", label.disc_record_id or 0
    values = {
        "typed": code.strip(),
        "label": disc_label_reference(record, record_id),
        "code": label.case_code or "",
        "reference": canonical_scan(replace(result, version=None)),
    }
    log_refused_scan(user=g.user, scanned=code, reason=MSG_LABEL_OR_TRANSFER % values)
    # Not "choice": base.html's name for an older copy's refusal.
    asked = {"message": _(MSG_LABEL_OR_TRANSFER, **values)} | values
    return render_template("catchup/scan.html", code=code, error="", label_or_transfer=asked)


def _transfer_label(code: str, result: ScanResult) -> ResponseReturnValue:
    """Open the transfer of a scanned or typed transfer reference, if it is of the user's site."""
    transfer = _transfer_of(result)
    reference = canonical_scan(replace(result, version=None))
    if transfer is None:
        # No transfer of that id here, or one whose stamp differs: another laptop's disc.
        values = {"reference": reference}
        return _refused(code, _(MSG_NO_TRANSFER, **values), 404, logged=MSG_NO_TRANSFER % values)
    if transfer.site_id != g.user.site_id:
        # Only the site is named, as for a case's sheet: nothing of the patient is shown.
        site = db.session.scalar(select(Site.name).where(Site.id == transfer.site_id)) or ""
        values = {"reference": reference, "site": site}
        message = _(MSG_OTHER_SITE_TRANSFER, **values)
        return _refused(code, message, 404, logged=MSG_OTHER_SITE_TRANSFER % values)
    log_scan(
        user=g.user,
        payload=canonical_scan(result),
        incident_id=transfer.incident_id,
        case=transfer.case,
        patient_ref=transfer.patient_ref,
    )
    return redirect(url_for("routines.transfer_show", transfer_id=transfer.id))


def _ward_referral(code: str, result: ScanResult) -> ResponseReturnValue:
    """Name a scanned ward referral form of the user's site, with one tap to register it."""
    sites = db.session.execute(select(Site.id, Site.code, Site.name).order_by(Site.id)).all()
    site = next((s for s in sites if site_form_stamp(s.code) == result.site_stamp), None)
    if site is None:
        return _refused(code, _(MSG_NO_SITE_FORM), 404, logged=MSG_NO_SITE_FORM)
    if site.id != g.user.site_id:
        values = {"site": site.name}
        message = _(MSG_OTHER_SITE_FORM, **values)
        return _refused(code, message, 404, logged=MSG_OTHER_SITE_FORM % values)
    # No case yet: the form is registered as a new referral, which opens one.
    log_scan(user=g.user, payload=canonical_scan(result))
    return render_template("catchup/scan.html", code="", error="", ward_referral=site.name)


def _list_not_found(code: str, result: ScanResult) -> ResponseReturnValue:
    """The scan page's answer for an incident list that is of no incident of the user's site."""
    incident_id = result.incident_id or 0
    values: dict[str, object] = {"id": incident_id}
    if not incident_exists(incident_id):
        return _refused(code, _(MSG_NO_INCIDENT, **values), 404, logged=MSG_NO_INCIDENT % values)
    other_site = site_name_of_incident(incident_id, result.incident_stamp)
    if other_site is not None:
        # Only the site is named, as for a case's sheet (not the incident's title or start): the
        # list must go there.
        values["site"] = other_site
        message = _(MSG_OTHER_SITE_LIST, **values)
        return _refused(code, message, 404, logged=MSG_OTHER_SITE_LIST % values)
    # Unstamped, or stamped by another laptop: which site it belongs to cannot be told.
    return _refused(code, _(MSG_OTHER_INCIDENT), 404, logged=MSG_OTHER_INCIDENT)


def _typable(scanned: str) -> str:
    # A binary QR decodes to control characters (NUL among them, which the database cannot
    # hold): each becomes "?", so the scan is refused, shown and logged like any wrong text.
    return "".join(
        "?" if unicodedata.category(ch) == "Cc" and not ch.isspace() else ch for ch in scanned
    )


def _refused(code: str, message: str, status: int, *, logged: str) -> ResponseReturnValue:
    """The scan page again with the message; the scan is logged with its reason (`logged`)."""
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
