"""The reconciliation batch of an incident: its page (progress, what is left) and closing."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..audit import codes_details, log_list_read, log_read, read_event_row
from ..backup import backs_up_itself, run_backup
from ..backup_errors import FAILURE_REASONS
from ..blanks.kinds import BLANK_KIND_NAMES
from ..cases.cancel_notice import unnotified_cases
from ..cases.submissions import SentOnce, payload_hash
from ..draft_kinds import continue_url
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.close_asked import on_modality_cases, unfaxed_reports, unidentified_cases
from ..incidents.close_blanks import SHOWN_AT_MOST, loose_blanks
from ..incidents.close_checks import (
    ConfirmationMissing,
    Named,
    listed_keys,
    unmade_notifications,
)
from ..incidents.close_drafts import (
    DRAFT_KIND_LABELS,
    UnsentDraft,
    cancelled_case_drafts,
    drafts_at_close,
)
from ..incidents.close_left_open import OpenTransfer, cancelled_with_blanks, open_transfers
from ..incidents.close_over_signed import over_signed_unread
from ..incidents.closing import open_tasks
from ..incidents.errors import CloseRefused
from ..incidents.forms import LISTING_BOXES, CloseForm, ConfirmForm
from ..incidents.queries import get_incident_or_404
from ..incidents.restored import unmade_follow_up
from ..incidents.ris_tasks import CLEAN_UP_TASK
from ..incidents.services import IncidentError
from ..late_drafts import DraftSummary, late_drafts
from ..models import Incident
from ..release_in_ris import not_in_ris
from ..ris_pacs_left import cancelled_to_clean_up
from ..storage import append_rows
from . import bp
from .closing import ClosedIncident, close_incident
from .export_views import document_urls_for, pdf_renderer_for, site_url
from .exporting import (
    FORMATS,
    last_export_times,
)
from .forms import CleanUpForm, clean_up_forms, sent_wrong
from .left_summary import left_summary
from .moved_out import moved_out
from .progress import incident_progress
from .reexport import export_count, recent_exports
from .step_labels import STEP_LABELS


@bp.route("/catchup/incidents/<int:incident_id>")
@roles("secretary", "admin")
def batch(incident_id: int) -> ResponseReturnValue:
    """Progress, outstanding list, exports and closing."""
    return _render_batch(get_incident_or_404(incident_id), CloseForm(formdata=None))


def render_batch_page(
    incident: Incident, *, clean_up: tuple[int, CleanUpForm], status: int
) -> ResponseReturnValue:
    """The batch page with a case's clean-up form as sent (clean_up: its case and form)."""
    return _render_batch(incident, CloseForm(formdata=None), status, clean_up=clean_up)


def _render_batch(
    incident: Incident,
    close_form: CloseForm,
    status: int = 200,
    close_error: str = "",
    refused: CloseRefused | None = None,
    clean_up: tuple[int, CleanUpForm] | None = None,
) -> ResponseReturnValue:
    """The batch page; close_form as sent and close_error (translated) after a refused close,
    with the cases and forms it names (refused) linked."""
    if not close_form.form_key.data:
        close_form.form_key.data = new_form_key()
    log_read("batch_view", incident_id=incident.id)
    last_exports = last_export_times(incident.id)
    if incident.ended_at is None:
        drafts, cancelled_drafts = drafts_at_close(incident.id)
        late = []
    else:
        # After the end an unsent form is one that came too late: shown as that, with how it
        # reaches RIS, not as one to send before closing.
        drafts, cancelled_drafts = [], cancelled_case_drafts(incident.id)
        late = late_drafts(g.user.site_id, incident.id)
    _log_draft_lists([*drafts, *cancelled_drafts], late, incident.id)
    scenario = g.site_config.scenarios.get(incident.scenario)
    # Read once: the lists below and the close's open tasks are both of these.
    to_clean_up = cancelled_to_clean_up([incident.id])
    release_notes = not_in_ris(incident.id)
    # Printed before now, neither joined nor voided (confirmed at an earlier close too): each may
    # be a sheet filled in this time and lost.
    loose = loose_blanks(incident) if incident.is_open else []
    # Those loose now, also on a page drawn again after a refusal: the tick confirms these. The
    # page names the first of them and counts the rest, listed whole on a page of their own;
    # the tick says how many it covers, so none printed later is confirmed unseen.
    close_form.blank_codes.data = " ".join(b.code for b in loose)
    loose_shown = loose[:SHOWN_AT_MOST]
    moved = moved_out(incident)
    if moved:
        # No longer the incident's: its whole-incident read would not reach their extracts.
        log_list_read("moved_out_view", codes=[m.code for m in moved], incident_id=incident.id)
    progress = incident_progress(incident.id, {p.code: p.rank for p in g.site_config.priorities})
    tasks = open_tasks(incident.id, left=to_clean_up, notes=release_notes)
    follow_up = unmade_follow_up(incident.id, scenario.follow_up) if scenario else []
    # Named only in the close's form, drawn for an admin once nothing else holds the close:
    # the read is logged when they are shown, not on every look at the batch.
    asks = (
        incident.is_open
        and g.user.role == "admin"
        and not (progress.outstanding or tasks or drafts or follow_up)
    )
    transfers = open_transfers(incident.id) if asks else []
    _log_transfers(transfers, incident.id)
    asked: dict[str, Sequence[Named]] = {
        "confirm_unidentified": unidentified_cases(incident.id),
        "confirm_unfaxed": unfaxed_reports(incident.id),
        # Asked at the close only: while it runs the board and the case say so.
        "confirm_on_modality": on_modality_cases(incident.id) if incident.is_open else [],
        "confirm_over_signed": over_signed_unread(incident.id) if incident.is_open else [],
        "confirm_open_transfers": transfers,
        "confirm_cancelled_blanks": cancelled_with_blanks(incident.id) if asks else [],
        "confirm_unnotified": unmade_notifications(incident.id, scenario.notifications)
        if scenario
        else [],
    }
    # As for the loose blanks: each box carries what it lists now, also on a page drawn again
    # after a refusal, and its tick covers those alone.
    for box, found in asked.items():
        close_form[LISTING_BOXES[box]].data = listed_keys(found)
    return render_template(
        "catchup/batch.html",
        incident=incident,
        progress=progress,
        left=left_summary(
            cases=len(progress.outstanding),
            tasks=len(tasks) + len(follow_up),
            forms=len(drafts),
            blanks=len(loose),
        ),
        drafts=drafts,
        cancelled_drafts=cancelled_drafts,
        late=late,
        draft_links={
            d.id: continue_url(d.kind, d.form_key, d.case_id, g.user.role, d.sheet)
            for d in (*drafts, *cancelled_drafts)
        },
        discard_form=ConfirmForm(),
        draft_kind_labels=DRAFT_KIND_LABELS,
        tasks=tasks,
        loose_blanks=loose,
        loose_shown=loose_shown,
        loose_more=len(loose) - len(loose_shown),
        blank_links={b.code: blank_url(b.code, b.doc_kind) for b in loose_shown},
        blank_kind_names=BLANK_KIND_NAMES,
        to_clean_up=to_clean_up,
        release_notes=release_notes,
        clean_up_forms=clean_up_forms(
            [c.case_id for c in to_clean_up if not c.is_cleaned], "batch", clean_up
        ),
        follow_up=follow_up,
        step_labels=STEP_LABELS,
        formats=FORMATS,
        last_export=max(last_exports.values(), default=None),
        last_exports=last_exports,
        exports=recent_exports(incident.id),
        exports_total=export_count(incident.id),
        close_form=close_form,
        close_error=close_error,
        close_named=_named_links(refused, incident.id) if refused else [],
        close_more=refused.more if refused else 0,
        unidentified=asked["confirm_unidentified"],
        unfaxed=asked["confirm_unfaxed"],
        on_modality=asked["confirm_on_modality"],
        over_signed=asked["confirm_over_signed"],
        open_transfers=transfers,
        cancelled_blanks=asked["confirm_cancelled_blanks"],
        unticked_notifications=[n.label for n in asked["confirm_unnotified"]],
        # The page's read is logged for the whole incident (batch_view).
        unnotified=unnotified_cases(incident.id),
        moved_out=moved,
    ), status


# Where a refused close sends each case: the page its task is done on, else its catch-up page.
_TASK_PAGES = {
    "urgent_call": ("cases.show", ""),
    "restore_call": ("cases.show", "#notice"),
    "unsigned_report": ("cases.show", ""),
    "reviewer_answer": ("routines.reviewer_case", ""),
    "reviewer_cancel": ("cases.show", "#reviewer-told"),
    "reviewer_back_on": ("cases.show", "#reviewer-told"),
    "reviewer_forward": ("routines.reviewer_case", ""),
    "reviewer_fax": ("routines.admin_queue_view", ""),
    "reviewer_ris_removal": ("routines.admin_queue_view", "#ris-removal"),
    "no_accession": ("catchup.case", "#ris_accession"),
    "waived_unsigned": ("catchup.case", "#unsigned-on-waiver"),
    "waiver_pending": ("catchup.case", "#waiver"),
    "release_ris_note": ("catchup.case", "#release-notes"),
}


def _named_links(refused: CloseRefused, incident_id: int) -> list[tuple[str, str, str, str, str]]:
    """(link, code, name, number, which) of each case and form a refused close names; a form
    has no code nor number, and `which` tells a case's tasks of one kind apart ("" where it has
    one)."""
    links = []
    for c in refused.cases:
        endpoint, anchor = _TASK_PAGES.get(c.kind, ("catchup.case", ""))
        if c.kind == CLEAN_UP_TASK:
            # Recorded on this page, beside the case in the list to clean up.
            url = url_for("catchup.batch", incident_id=incident_id) + f"#clean-up-{c.case_id}"
        else:
            url = url_for(endpoint, case_id=c.case_id) + anchor
        which = c.about.text(_) if c.about else ""
        links.append((url, c.code, c.patient_name or _("Namn okänt"), c.patient_number, which))
    for d in refused.drafts:
        url = continue_url(d.kind, d.form_key, d.case_id, g.user.role, d.sheet)
        links.append((url, "", d.name.text(_), "", ""))
    return links


def blank_url(code: str, doc_kind: str) -> str:
    """Where a printed blank is taken care of: a referral typed in as its case, another kind
    joined to the case its referral began."""
    endpoint = "blanks.open_blank" if doc_kind == "BLR" else "blanks.attach"
    return url_for(endpoint, code=code)


def _log_transfers(transfers: list[OpenTransfer], incident_id: int) -> None:
    """The close lists the open transfers with their patients: a read, as the transfer list's.

    A transfer's case may be of an earlier outage, and a patient typed on one with no case is
    found in the access log by its own column: the page's whole-incident read reaches neither.
    """
    if not transfers:
        return
    head = "överföringar: " + ", ".join(f"#{t.id}" for t in transfers)
    append_rows(
        [
            *(
                read_event_row("transfer_list_view", incident_id=incident_id, detail=detail)
                for detail in codes_details(head, (t.case_code for t in transfers if t.case_code))
            ),
            *(
                read_event_row(
                    "transfer_list_view",
                    incident_id=incident_id,
                    detail=f"överföring #{t.id}",
                    patient_ref=t.patient_number,
                )
                for t in transfers
                if not t.case_code and t.patient_number
            ),
        ]
    )


def _log_draft_lists(unsent: list[UnsentDraft], late: list[DraftSummary], incident_id: int) -> None:
    """The page's lists of forms name patients and cases, as the other draft lists do: a form
    begun without a case names what was typed into it, so each such patient's extract holds
    the read."""
    if unsent:
        log_list_read(
            "drafts_view",
            codes=[d.case_code or d.typed_code for d in unsent],
            patients=[d.typed_patient for d in unsent],
            incident_id=incident_id,
        )
    if late:
        log_list_read(
            "late_drafts_view",
            codes=[d.case_code or d.typed_code for d in late],
            patients=[d.typed_patient for d in late],
            incident_id=incident_id,
        )


@bp.route("/catchup/incidents/<int:incident_id>/close", methods=["POST"])
@roles("admin")
def close(incident_id: int) -> ResponseReturnValue:
    """Close the incident when every case is reconciled or waived; writes the final batch."""
    incident = get_incident_or_404(incident_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            closed = close_incident(
                incident_id=incident.id,
                user=g.user,
                config=g.site_config,
                export_dir=current_app.config["DATA_DIR"] / "exports",
                pdf_renderer=pdf_renderer_for(incident.id),
                document_urls=document_urls_for(site_url()),
                backup=lambda: run_backup(
                    current_app._get_current_object(),  # type: ignore[attr-defined]
                    how="driftstoppet avslutat",
                    user=g.user,
                ),
                confirmed=form.confirmations(),
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form),
                    url_for("catchup.batch", incident_id=incident.id),
                ),
            )
        except ConfirmationMissing as exc:
            # Beside the box to tick, on the page as it was sent (the other box as ticked).
            form[exc.field].errors = [refusal_text(exc)]
            return _render_batch(incident, form, 409)
        except IncidentError as exc:
            # Something came up since the page was drawn (a case reopened, a form begun): the
            # page as it is now shows what, and the refusal stands in the close section, each
            # case or form it names linked to where it is set right.
            named = exc if isinstance(exc, CloseRefused) else None
            return _render_batch(incident, form, 409, refusal_text(exc), named)
        else:
            _flash_closed(closed)
    else:
        # In the close section, the boxes as they were ticked; a key that came wrong is drawn
        # anew, or the next tap would be refused the same way.
        wrong = sent_wrong(form)
        if form.form_key.errors:
            form.form_key.data = ""
        return _render_batch(incident, form, 400, wrong)
    return redirect(url_for("catchup.batch", incident_id=incident.id))


def _flash_closed(closed: ClosedIncident) -> None:
    if closed.replayed:
        # The first tap's answer told of its files and backup; the batch page shows them.
        flash(_("Driftstoppet är avslutat."), "success")
        return
    if closed.export_problem:
        flash(
            _(
                "Driftstoppet är avslutat. Den slutliga avstämningen kunde inte sparas på datorn "
                "(%(error)s): exportera den nedan och spara filerna.",
                error=_(FAILURE_REASONS[closed.export_problem]),
            ),
            "error",
        )
    else:
        flash(
            _(
                "Driftstoppet är avslutat. Slutlig avstämning sparad: %(files)s",
                files=", ".join(p.name for p in closed.files),
            ),
            "success",
        )
    # On PostgreSQL the app takes no backups (pg_dump does): no warning that one is missing.
    if closed.backup is None and backs_up_itself(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        flash(
            _(
                "Säkerhetskopian kunde inte tas. Kontrollera målmappen (USB-minnet) och ta en "
                "säkerhetskopia under Administration."
            ),
            "error",
        )
