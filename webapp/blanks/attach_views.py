"""A filled-in documentation or report blank joins the case its referral began."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..audit import log_read
from ..cases.fields import site_today
from ..cases.queries import get_case_or_404
from ..cases.submissions import SentOnce, SubmitResult, item_form_key, payload_hash
from ..cases.waiting import REPORT_BLANK
from ..codes import case_code_problem
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..identity import personal_number_problem
from ..models import Case, ReservedCode
from ..row_ids import row_id
from . import bp
from .forms import AttachForm, FindCaseForm
from .over_signed import OVER_SIGNED_WARNING, SignedReportInTheWay, report_is_signed
from .queries import (
    cases_for_blank,
    other_site_of_code,
    referral_blank_not_typed_in,
    reserved_code,
    typed_case_code,
    voided_by_name,
)
from .services import CASE_PART_KINDS, BlankError, attach_blank

NOTHING_FOUND = (
    "Inget pågående ärende har den ärendekoden eller det ID-numret. Kontrollera blanketten."
)
OWN_CODE = (
    "Det är den här blankettens egen kod. Skriv remissens ärendekod eller patientens ID-nummer "
    "som det står i blankettens ruta."
)
OTHER_SITE = "Ärendekoden %(code)s hör till en annan enhet: %(site)s."
REFERRAL_BLANK_FIRST = (
    "Remissblanketten %(code)s är inte införd än. För in den först, och koppla sedan den här "
    "blanketten till ärendet den blir."
)


def _unused_part(code: str) -> ReservedCode:
    reserved = reserved_code(g.user.site_id, code)
    if reserved is None or reserved.doc_kind not in CASE_PART_KINDS:
        abort(404)
    return reserved


def _attach_page(
    reserved: ReservedCode,
    form: FindCaseForm,
    candidates: list[Case],
    attach_form: AttachForm,
    status: int,
    referral_blank: str | None = None,
) -> ResponseReturnValue:
    """The attach page; attach_form as sent after a refused tap (its error beside its case).

    referral_blank: the code typed, a referral blank not yet typed in, offered to type in first.
    """
    for case in candidates:
        # The candidates show who the patient is: each one shown is a read.
        log_read("blank_attach_view", case=case)
    over_signed = (
        {c.id for c in candidates if report_is_signed(c.report)}
        if reserved.doc_kind == REPORT_BLANK
        else set()
    )
    return render_template(
        "blanks/attach.html",
        reserved=reserved,
        kind_label=_(CASE_PART_KINDS[reserved.doc_kind]),
        form=form,
        candidates=candidates,
        attach_form=attach_form,
        over_signed=over_signed,
        over_signed_warning=OVER_SIGNED_WARNING,
        referral_blank=referral_blank,
    ), status


@bp.route("/<code>/attach", methods=["GET", "POST"])
@roles(*CLINICAL)
def attach(code: str) -> ResponseReturnValue:
    """Find the case a documentation or report blank belongs to, by what is written on it."""
    reserved = _unused_part(code)
    if reserved.used_case_id is not None:
        flash(_("Blanketten är redan kopplad till ett ärende."), "info")
        return redirect(url_for("cases.show", case_id=reserved.used_case_id))
    if reserved.voided_at is not None:
        # Said before anything is typed: only the last tap would refuse, after the search had
        # shown the patients the lost sheet might belong to.
        return render_template(
            "blanks/attach_voided.html",
            reserved=reserved,
            kind_label=_(CASE_PART_KINDS[reserved.doc_kind]),
            voided_by=voided_by_name(reserved),
        ), (409 if request.method == "POST" else 200)
    form = FindCaseForm()
    candidates = []
    status = 200
    referral_blank = None
    if form.validate_on_submit():
        candidates = cases_for_blank(g.user.site_id, form.typed.data or "")
        if not candidates:
            # A personnummer with a wrong check digit, or a case code with a wrong character, is
            # why nothing was found: say so.
            typed = form.typed.data or ""
            problem = personal_number_problem(typed, site_today())
            misspelt = case_code_problem(typed)
            form.typed.errors = [_(NOTHING_FOUND)] + ([_(problem)] if problem else [])
            referral_blank = referral_blank_not_typed_in(g.user.site_id, typed)
            if referral_blank is not None:
                form.typed.errors.append(_(REFERRAL_BLANK_FIRST, code=referral_blank))
            if typed_case_code(typed) == reserved.code:
                # The sheet in hand scanned into its own field, not the referral's code on it.
                form.typed.errors.append(_(OWN_CODE))
            other_site = other_site_of_code(g.user.site_id, typed)
            if other_site is not None:
                # Only the site is named, as at the scan station: nothing of the patient.
                elsewhere = typed_case_code(typed)
                form.typed.errors.append(_(OTHER_SITE, code=elsewhere, site=other_site))
            if misspelt is not None:
                # Translated here: a message naming the typed character has no fixed text.
                form.typed.errors.append(_(misspelt.template, **misspelt.values))
            status = 400
    elif form.errors:
        status = 400
    attach_form = AttachForm(formdata=None, data={"form_key": new_form_key()})
    return _attach_page(reserved, form, candidates, attach_form, status, referral_blank)


def _refused_over_signed(
    reserved: ReservedCode, form: AttachForm, case_id: int, exc: SignedReportInTheWay
) -> ResponseReturnValue:
    """The page as it was, the search kept, the refusal beside the tick of that case."""
    typed = (form.typed.data or "")[:40]
    find = FindCaseForm(formdata=None, data={"typed": typed})
    candidates = cases_for_blank(g.user.site_id, typed) if typed else []
    if case_id not in {c.id for c in candidates}:
        candidates = [get_case_or_404(case_id), *candidates]
    form.over_signed.errors = [refusal_text(exc)]
    return _attach_page(reserved, find, candidates, form, 409)


@bp.route("/<code>/attach/confirm", methods=["POST"])
@roles(*CLINICAL)
def attach_confirm(code: str) -> ResponseReturnValue:
    """The second tap: the blank belongs to the case shown with its two identifiers."""
    reserved = _unused_part(code)
    form = AttachForm()
    # Sent back from a hidden field: anything but an id ("²" passes isdigit, and 30 digits
    # overflow the database's integer) was garbled on the way.
    sent_id = form.case_id.data or ""
    case_id = row_id(sent_id)
    if not form.validate_on_submit() or case_id is None:
        abort(400)
    try:
        attached = attach_blank(
            user=g.user,
            code=reserved.code,
            case_id=case_id,
            over_signed=bool(form.over_signed.data),
            sent=SentOnce(
                item_form_key(form.form_key.data or "", sent_id),
                payload_hash(request.form),
                url_for("cases.show", case_id=case_id),
            ),
        )
    except SignedReportInTheWay as exc:
        return _refused_over_signed(reserved, form, case_id, exc)
    except BlankError as exc:
        flash(refusal_text(exc), "error")
        return redirect(url_for("blanks.attach", code=reserved.code))
    # A double tap is answered as the first tap was, with the case it attached the blank to.
    case = get_case_or_404(case_id) if isinstance(attached, SubmitResult) else attached
    flash(
        _(
            "Blanketten %(blank)s hör nu till ärende %(code)s.",
            blank=reserved.code,
            code=case.code,
        ),
        "success",
    )
    if reserved.doc_kind == "BLD":
        return redirect(url_for("cases.exam", case_id=case.id))
    if report_is_signed(case.report):
        # Not to the report screen, where it would be typed as a second report.
        flash(_(OVER_SIGNED_WARNING), "info")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="report"))
    if g.user.role == "radiologist":
        return redirect(url_for("reporting.screen", case_id=case.id))
    # Only a radiologist may type the report: the others see the case waiting for one.
    flash(_("Utlåtandet på blanketten förs in av en radiolog."), "info")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="report"))
