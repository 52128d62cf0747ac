"""Image transfer views: the list of transfers and a new request to send or receive images."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..audit import codes_details, log_read, read_event_row
from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.submissions import payload_hash
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..drafts.services import log_draft_read
from ..formutil import confirm_saved, new_form_key, page_in_english, site_choices
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..incidents.queries import current_incident
from ..offered_routines import offers_transfers
from ..storage import append_rows
from . import bp
from .not_offered import require_offered
from .queries import drill_incident_ids, transfers, urgency_labels
from .services import FieldRefused, RoutineError, SentForm
from .transfer_forms import TransferForm
from .transfer_services import TransferValues, request_transfer


@bp.route("/transfers")
@roles(*CLINICAL)
def transfer_list() -> ResponseReturnValue:
    """Transfers to and from other regions, open first."""
    require_offered(offers_transfers(g.user.site_id, g.site_config.routines), "transfer")
    show_all = request.args.get("all") == "1"
    # A typed page past the end is read as the last page (transfers bounds it).
    asked = request.args.get("page", 1, type=int) or 1
    listing = transfers(g.user.site_id, open_only=not show_all, page=asked)
    shown = listing.rows
    # Each row names a case by its code, or the patient as typed on a transfer with no case.
    head = ("överföringar: " + ", ".join(f"#{t.id}" for t in shown)) if shown else ""
    # A typed patient is found in the access log by its own column, one per row: each such
    # transfer gets a row of its own, or the list's read is in no patient's extract.
    append_rows(
        [
            *(
                read_event_row("transfer_list_view", detail=detail)
                for detail in codes_details(
                    head, (t.case.code for t in shown if t.case is not None)
                )
            ),
            *(
                read_event_row(
                    "transfer_list_view",
                    incident_id=t.incident_id,
                    detail=f"överföring #{t.id}",
                    patient_ref=t.patient_ref,
                )
                for t in shown
                if t.case is None and t.patient_ref
            ),
        ]
    )
    return render_template(
        "routines/transfers.html",
        transfers=shown,
        listing=listing,
        # Beside a real outage's transfers, a drill's is marked: its patient is no real one.
        drill_ids=drill_incident_ids(shown),
        show_all=show_all,
        urgency_labels=urgency_labels(g.site_config, {t.urgency for t in shown}),
    )


def _setup(form: TransferForm) -> TransferForm:
    tc = g.site_config.routines.transfer
    english = page_in_english()
    form.counterpart.choices = site_choices(
        ((c.key, f"{c.name} ({c.region})" if c.region else c.name) for c in tc.counterparts),
        english,
        _("Välj sjukhus"),
    )
    form.urgency.choices = site_choices(
        ((p.code, p.label) for p in g.site_config.priorities), english
    )
    return form


@bp.route("/transfers/new", methods=["GET", "POST"])
@roles(*CLINICAL)
def transfer_new() -> ResponseReturnValue:
    """A new request to send images to, or receive them from, another region."""
    # A transfer from before the routine was dropped stays listed, but none is begun anew.
    require_offered(g.site_config.routines.has_transfer, "transfer")
    form = _setup(TransferForm())
    if request.method == "GET":
        form.direction.data = request.args.get("direction", "send")
        form.urgency.data = g.site_config.priorities[0].code
        form.case_code.data = request.args.get("code", "")
        draft = resume_form(form, "transfer", None, g.user.site_id, request.args.get("draft", ""))
        if draft is not None:
            # The draft fills the form with the patient typed into it: a read.
            log_draft_read(draft, g.user)
    incident = current_incident()
    if form.validate_on_submit():
        try:
            result = request_transfer(
                user=g.user,
                config=g.site_config,
                incident=incident,
                values=TransferValues(
                    direction=form.direction.data or "",
                    counterpart_key=form.counterpart.data or "",
                    urgency=form.urgency.data or "",
                    exam_text=form.exam_text.data or "",
                    patient_ref=form.patient_ref.data or "",
                    patient_name=form.patient_name.data or "",
                    note=form.note.data or "",
                    case_id=form.found_case.id if form.found_case else None,
                ),
                sent=SentForm(form.form_key.data or "", payload_hash(request.form)),
                url_for_transfer=lambda i: url_for("routines.transfer_show", transfer_id=i),
            )
        except SubmissionConflict as exc:
            # The text stays on the form; sent again, it opens a transfer under a new key.
            form.note.errors = [*form.note.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
        except FieldRefused as exc:
            # Said next to its field, as the form's own checks are.
            target = form[exc.field]
            target.errors = [*target.errors, refusal_text(exc)]
        except (RoutineError, ContinuedElsewhere) as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Överföringen var redan registrerad – inget dubblerades.")
                if result.replayed
                else _("Överföringen är registrerad. Följ felsökningen nedan."),
                "success",
            )
            return redirect(result.url)
    if form.shows_case is not None:
        log_read("transfer_form_view", user=g.user, case=form.shows_case)
    status = 400 if form.errors else 200
    return render_template(
        "routines/transfer_new.html",
        form=form,
        incident_id=incident.id if incident else None,
        offers=offered_drafts("transfer", None, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
