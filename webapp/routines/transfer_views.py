"""Image transfer views: one transfer with its tries, troubleshooting, close and disc label.

The list and a new request are in transfer_request_views."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from printforms import render_disc_label

from ..access import CLINICAL, records, roles
from ..audit import log_read
from ..cases.submissions import item_form_key, payload_hash
from ..checklist_keys import keyed
from ..formutil import choices, new_form_key, page_in_english, site_choices
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..models import ImageTransfer
from ..printing.disc_label import disc_label_content_version, label_printed_before_correction
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.services import Printed, PrintFailed, PrintPlan, plan_prints, print_pdf
from ..printing.transfer_disc_label import (
    transfer_disc_label_doc,
    transfer_disc_label_refusal,
    transfer_disc_label_sheet,
    transfer_disc_label_version,
)
from ..transfer_refs import transfer_reference
from ..web import local_now
from . import bp
from .handover import LABEL_SHOWS_EARLIER_IDENTITY
from .queries import (
    check_log,
    check_states,
    contacts_now,
    get_transfer_or_404,
    removed_checks,
    transfer_incident,
    urgency_labels,
)
from .services import TRY_CASE_CANCELLED, AlreadyDone, FieldRefused, RoutineError, SentForm
from .submit_once import log_once
from .transfer_attempt_drafts import attempt_offers, opened_attempt_form
from .transfer_forms import (
    CHECK_LISTS,
    AttemptForm,
    CheckForm,
    CloseTransferForm,
    same_patient,
)
from .transfer_services import (
    close_transfer,
    log_attempt,
    tick_check,
)


def _render(transfer: ImageTransfer, status: int = 200, **forms: Any) -> ResponseReturnValue:
    # Every answer that shows the patient is a read, a refused submit's included.
    if transfer.case is not None or transfer.patient_ref:
        log_read(
            "transfer_view",
            case=transfer.case,
            incident_id=transfer.incident_id,
            patient_ref=transfer.patient_ref,
        )
    config = g.site_config
    tc = config.routines.transfer
    counterpart = tc.counterpart(transfer.counterpart_key)
    attempt_form = forms.get("attempt_form") or opened_attempt_form(transfer)
    attempt_form.via_region.choices = site_choices(
        ((r, r) for r in tc.routes_via(counterpart)), page_in_english(), _("Välj region")
    )
    first = "send" if transfer.direction == "send" else "receive"
    lists = [
        ("first", _("Börja här"), keyed("", tc.first_steps)),
        (
            first,
            _("Problem med att skicka") if first == "send" else _("Problem med att ta emot"),
            keyed("", tc.checklist(first)),
        ),
    ]
    other = "receive" if first == "send" else "send"
    lists.append(
        (
            other,
            _("Problem med att ta emot") if other == "receive" else _("Problem med att skicka"),
            keyed("", tc.checklist(other)),
        )
    )
    states = check_states(transfer.id)
    return render_template(
        "routines/transfer_show.html",
        # Offered once the DVD route is logged.
        has_disc_label=transfer_disc_label_refusal(transfer) is None,
        # A transfer has no handover to hold: the page says the disc names the earlier patient.
        label_stale=LABEL_SHOWS_EARLIER_IDENTITY
        if transfer.case_id is not None
        and label_printed_before_correction(transfer.case_id, transfer_disc_label_doc(transfer))
        else "",
        try_case_cancelled=TRY_CASE_CANCELLED,
        # The ID typed with a case whose identity was corrected since: the earlier patient's,
        # never shown as this one's beside the header.
        ref_earlier=transfer.case is not None
        and bool(transfer.patient_ref)
        and bool(transfer.case.patient_id)
        and not same_patient(transfer.patient_ref, transfer.case),
        # A transfer with no case: its label carries this in place of a case code.
        reference=transfer_reference(transfer) if transfer.case is None else "",
        transfer=transfer,
        # A drill's transfer says so, as the drill's case pages do: its patient is no real one.
        incident=transfer_incident(transfer),
        urgency_label=urgency_labels(config, {transfer.urgency})[transfer.urgency],
        counterpart=counterpart,
        tc=tc,
        lists=lists,
        states=states,
        removed=removed_checks(states, [(k, i) for k, _t, items in lists for i in items]),
        ticks=check_log(transfer.id),
        calls=contacts_now(config, tc.contacts, local_now().replace(tzinfo=None)),
        attempt_form=attempt_form,
        offers=attempt_offers(transfer, attempt_form) if transfer.status == "open" else [],
        offer_form=ConfirmForm(),
        close_form=forms.get("close_form") or CloseTransferForm(prefix="close"),
        # One key for the page's ticks: a double tap on one is one tick.
        page_key=new_form_key(),
    ), status


@bp.route("/transfers/<int:transfer_id>")
@roles(*CLINICAL)
def transfer_show(transfer_id: int) -> ResponseReturnValue:
    """One transfer: contacts, troubleshooting checklists, tries and their outcomes."""
    return _render(get_transfer_or_404(transfer_id))


@bp.route("/transfers/<int:transfer_id>/attempts", methods=["POST"])
@roles(*CLINICAL)
def transfer_attempt(transfer_id: int) -> ResponseReturnValue:
    """Log one try of a route."""
    transfer = get_transfer_or_404(transfer_id)
    form = AttemptForm()
    tc = g.site_config.routines.transfer
    form.via_region.choices = choices(
        [("", "")] + [(r, r) for r in tc.routes_via(tc.counterpart(transfer.counterpart_key))]
    )
    if form.validate_on_submit():
        done = log_once(
            form,
            form.outcome,
            url_for("routines.transfer_show", transfer_id=transfer.id) + "#attempts",
            lambda sent: (
                log_attempt(
                    transfer_id=transfer.id,
                    user=g.user,
                    config=g.site_config,
                    route=form.route.data or "",
                    via_region=form.via_region.data or "",
                    outcome=form.outcome.data or "",
                    note=form.note.data or "",
                    sent=sent,
                )
                is not None
            ),
            logged=_("Försöket är loggat."),
            already=_("Försöket var redan loggat – inget dubblerades."),
            has_draft=True,
        )
        if done is not None:
            return done
    return _render(transfer, 400, attempt_form=form)


@bp.route("/transfers/<int:transfer_id>/checks", methods=["POST"])
@roles(*CLINICAL)
def transfer_check(transfer_id: int) -> ResponseReturnValue:
    """Tick or untick a troubleshooting item (logged with user and time)."""
    transfer = get_transfer_or_404(transfer_id)
    form = CheckForm()
    if form.validate_on_submit():
        item = f"{form.list_key.data}:{form.item.data}"
        try:
            tick_check(
                transfer_id=transfer.id,
                user=g.user,
                config=g.site_config,
                list_key=form.list_key.data or "",
                item_key=form.item.data or "",
                is_done=form.is_done.data == "1",
                sent=SentForm(
                    item_form_key(form.form_key.data or "", item),
                    payload_hash(request.form),
                    url_for("routines.transfer_show", transfer_id=transfer.id),
                ),
            )
        except RoutineError as exc:
            flash(refusal_text(exc), "error")
    else:
        flash(_("Punkten kunde inte sparas."), "error")
    # Only a known key goes into the Location header: a typed one may hold a line break.
    anchor = f"#list-{form.list_key.data}" if form.list_key.data in CHECK_LISTS else ""
    return redirect(url_for("routines.transfer_show", transfer_id=transfer.id) + anchor)


@bp.route("/transfers/<int:transfer_id>/close", methods=["POST"])
@roles(*CLINICAL)
def transfer_close(transfer_id: int) -> ResponseReturnValue:
    """Finish a transfer."""
    transfer = get_transfer_or_404(transfer_id)
    form = CloseTransferForm(prefix="close")
    if form.validate_on_submit():
        try:
            close_transfer(
                transfer_id=transfer.id,
                user=g.user,
                status=form.status.data or "",
                note=form.note.data or "",
            )
        except AlreadyDone as exc:
            # A second tap: the close form is gone from the page, so the answer is a flash.
            flash(refusal_text(exc), "info")
            return redirect(url_for("routines.transfer_show", transfer_id=transfer.id))
        except FieldRefused as exc:
            target = form[exc.field]
            target.errors = [*target.errors, refusal_text(exc)]
        except RoutineError as exc:
            form.status.errors = [*form.status.errors, refusal_text(exc)]
        else:
            flash(_("Överföringen är avslutad."), "success")
            return redirect(url_for("routines.transfer_show", transfer_id=transfer.id))
    return _render(transfer, 400, close_form=form)


@bp.route("/transfers/<int:transfer_id>/label.pdf")
@roles(*CLINICAL)
@records
def transfer_disc_label(transfer_id: int) -> ResponseReturnValue:
    """The label of the DVD that travels with the patient, in a new tab."""
    transfer = get_transfer_or_404(transfer_id)
    back = url_for("routines.transfer_show", transfer_id=transfer.id) + "#attempts"
    refusal = transfer_disc_label_refusal(transfer)
    if refusal is not None:
        flash(_(refusal), "error")
        return redirect(back)
    case = transfer.case
    doc = transfer_disc_label_doc(transfer)
    shown = transfer_disc_label_sheet(transfer, g.site_config, Printed())
    plan = plan_prints(
        user=g.user,
        case=case,
        incident_id=case.incident_id if case is not None else transfer.incident_id,
        documents=[(doc, transfer_disc_label_version(transfer))],
        contents={doc: disc_label_content_version(shown)},
        # A transfer with no case: the log names the patient as typed on it.
        patient_ref=transfer.patient_ref if case is None else "",
    )

    def draw(plan: PrintPlan) -> bytes:
        data = transfer_disc_label_sheet(transfer, g.site_config, plan.printed[doc])
        return render_disc_label(data)

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        return redirect(back)
    name = case.code if case is not None else shown.meta.case_code
    return pdf_response(pdf, f"{name}-skivetikett-overforing-{transfer.id}.pdf")
