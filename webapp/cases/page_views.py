"""One case's page: what it holds, its cancellation and the undoing of one, images sent to PACS
afterwards, its history."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..blanks.forms import DetachForm, ReadSameForm
from ..blanks.over_signed import joined_over_signed
from ..blanks.services import CASE_PART_KINDS
from ..call_rule import has_urgent_finding, needs_call
from ..case_transfers import case_transfers, shows_case_transfers
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..models import Case, utcnow
from ..offered_routines import offers_case_release
from ..overridden_drafts import sent_over_drafts
from ..pacs_rule import only_on_modality
from ..printing.anonymised_preview import anonymised_preview
from ..printing.documents import available_documents
from ..printing.identity_reprint import printed_before_correction
from ..protocol_rule import protocol_of
from ..reporting.dispatch_page import dispatch_context
from ..reporting.forms import CallForm
from ..reporting.queries import calls_for
from ..reporting.signed import text_as_signed
from ..restore_call_rule import needs_restore_call
from ..reviewer_cancel_rule import reviewer_not_told, told_entries
from ..reviewer_restore_rule import back_on_entries, back_on_untold
from ..reviewer_rule import awaited_since
from ..ris_pacs_left import of_case
from ..web import local_time_marked
from . import bp
from .cancel_notice import (
    current_notice,
)
from .cancelling import cancel_refusal
from .contrast import case_contrast_unanswered
from .errors import CaseError
from .fields import in_second_pass_if_refused
from .history import history
from .images_sent import (
    BEFORE_START,
    AlreadySent,
    SentBeforeStart,
    record_images_sent,
)
from .images_sent_forms import ImagesSentForm
from .move_forms import MoveForm, move_section
from .mr_safety import case_mr_unanswered
from .notice_forms import CancelForm, CancelNoticeForm, RestoreForm, ReviewerToldForm
from .page_forms import PageDrafts, fresh
from .page_forms import call_form as call_form_of
from .page_forms import notice_form as notice_form_of
from .pregnancy import case_pregnancy_unanswered
from .queries import get_case_or_404, same_patient_cases
from .safety_risks import case_safety_risks
from .services import record_view
from .submissions import SentOnce, payload_hash
from .versions import shown_token_of
from .waiting import waiting_doc_blanks, waiting_report_blanks


@bp.route("/<int:case_id>")
@roles(*CLINICAL)
def show(case_id: int) -> ResponseReturnValue:
    """Everything about one case: referral, exam, status, history link."""
    return show_page(get_case_or_404(case_id, for_page=True))


def may_cancel_here(case: Case) -> bool:
    """A live case of an open incident: its page has a cancel section, a form or a why not."""
    return case.status != "cancelled" and case.incident.ended_at is None


def show_page(
    case: Case,
    cancel_form: CancelForm | None = None,
    restore_form: RestoreForm | None = None,
    images_form: ImagesSentForm | None = None,
    status: int = 200,
    notice_form: CancelNoticeForm | None = None,
    call_form: CallForm | None = None,
    detach_form: DetachForm | None = None,
    detach_code: str = "",
    move_form: MoveForm | None = None,
    told_form: ReviewerToldForm | None = None,
) -> ResponseReturnValue:
    """The case page; a form refused on it is shown again with its errors (`status`)."""
    # A cancel refused for a missing reason shows the whole case again: a read like any other.
    record_view(case, g.user)
    calls = calls_for(case.id)
    # The reasons and notes autosave as drafts of the case: ?draft= (a reload, another tablet,
    # the drafts list) continues one. Read only for the forms the page draws.
    drafts = PageDrafts(
        case.id,
        g.user.site_id,
        request.args.get("draft", ""),
        request.args.get("draft_kind", ""),
    )
    # Loaded with the case (get_case_or_404's for_page), oldest first.
    notices = list(case.cancel_notices)
    is_cancelled = case.status == "cancelled"
    if restore_form is None:
        restore_form = fresh(RestoreForm(formdata=None))
        if is_cancelled and case.incident.ended_at is None:
            drafts.resume(restore_form, "restore")
    if notice_form is None:
        notice_form = notice_form_of(case)
        if is_cancelled and case.referral is not None:
            drafts.resume(notice_form, "cancel_notice")
    restore_call_missing = needs_restore_call(case, notices)
    if call_form is None:
        call_form = call_form_of(case)
        if restore_call_missing:
            drafts.resume(call_form, "restore_call")
    if cancel_form is None:
        cancel_form = drafts.resume(CancelForm(formdata=None), "cancel")
    # What this page shows: a cancel sent from it is judged on that (refused ones included).
    cancel_form.shown.data = shown = shown_token_of(case, len(calls))
    if images_form is None:
        images_form = fresh(ImagesSentForm(formdata=None, data={"sent_at": utcnow()}))
    # The server's own rule: a cancel it would refuse is not offered, and the page says why.
    cannot_cancel = cancel_refusal(db.session(), case) if may_cancel_here(case) else ""
    offers_cancel = may_cancel_here(case) and (not cannot_cancel or bool(cancel_form.errors))
    move = move_section(case, move_form, shown, drafts)
    # The drafts of the forms the page draws (None: not drawn, so not read), read at once.
    offers = drafts.offers(
        {
            "move": move["move_form"] if move["offers_move"] else None,
            "cancel": cancel_form if offers_cancel else None,
            "restore": restore_form if is_cancelled and case.incident.ended_at is None else None,
            "cancel_notice": notice_form if is_cancelled and case.referral is not None else None,
            "restore_call": call_form if restore_call_missing else None,
        }
    )
    on_modality = case.exam is not None and only_on_modality(case.exam.pacs_status)
    # Only a restored case asks: a cancel and its restore each raise the case's version, so a
    # case never changed was never restored (no query on most pages).
    restored_maybe = not is_cancelled and case.version > 2
    back_on_untold_now = restored_maybe and back_on_untold(case.id)
    return render_template(
        "cases/show.html",
        case=case,
        cancel_form=cancel_form,
        # Also after another form of the page was refused: "Fortsätt" opens the case's page.
        cancel_offers=offers.get("cancel", []),
        offer_form=ConfirmForm(),
        restore_form=restore_form,
        restore_offers=offers.get("restore", []),
        images_form=images_form,
        images_on_modality=on_modality and case.status != "cancelled",
        # Cancelled, they can no longer be recorded as sent: the cancel form and the cancelled
        # case's page say what becomes of them instead.
        cancelled_on_modality=on_modality and case.status == "cancelled",
        # Read on the modality's screen, not looked at again in PACS yet.
        awaits_second_look=case.status != "cancelled"
        and case.report is not None
        and case.report.awaits_second_look,
        case_calls=calls,
        sent_over=sent_over_drafts(case.id),
        urgent_finding=has_urgent_finding(case.report),
        call_missing=needs_call(case.report, calls),
        as_signed=text_as_signed(db.session, case.report),
        print_kinds=available_documents(case),
        # Sheets in the red tray that still name the patient as before a correction.
        reprint_kinds=printed_before_correction(case) if case.status != "cancelled" else [],
        anonymised=anonymised_preview(case, g.site_config),
        report_blanks=waiting_report_blanks(case),
        doc_blanks=waiting_doc_blanks(case),
        # Joined when the report was signed already, not settled since: read for an addendum,
        # not typed as a second report.
        over_signed_blanks=joined_over_signed(db.session, case),
        read_same_form=fresh(ReadSameForm(formdata=None)),
        # Each joined blank with a detach form; a refused one shows its reason and why.
        blanks=case.blanks,  # type: ignore[attr-defined]
        detach_form=detach_form or fresh(DetachForm(formdata=None)),
        detach_code=detach_code,
        blank_kinds=CASE_PART_KINDS,
        same_patient=same_patient_cases(case) if case.status != "cancelled" else [],
        # A refused cancel shows its form again, the reason typed and the why beside it.
        offers_cancel=offers_cancel,
        cannot_cancel=cannot_cancel,
        # What cancelling would leave in RIS/PACS: the cancel form says so before.
        ris_pacs_left=of_case(case) if case.status != "cancelled" else None,
        release_offered=offers_case_release(case.id, g.site_config.routines),
        # None read where the site has no transfer routine.
        transfers=case_transfers(case)
        if shows_case_transfers(g.user.role, g.site_config.routines)
        else [],
        mr_unanswered=case_mr_unanswered(case, g.site_config),
        pregnancy_unanswered=case_pregnancy_unanswered(case, g.site_config),
        contrast_unanswered=case_contrast_unanswered(case, g.site_config),
        safety_risks=case_safety_risks(case, g.site_config),
        notices=notices,
        notice=current_notice(case, notices),
        notice_form=notice_form,
        notice_offers=offers.get("cancel_notice", []),
        restore_call_missing=restore_call_missing,
        call_form=call_form,
        call_offers=offers.get("restore_call", []),
        protocol=protocol_of(case),
        # The reviewer holding the referral: said on the cancel form, asked once cancelled.
        reviewer_since=awaited_since(case.id) if offers_cancel else None,
        reviewer_not_told=is_cancelled and reviewer_not_told(case.id),
        reviewer_told=told_entries(case) if is_cancelled else [],
        # Told of a cancellation since undone: to be told it is back on (the same form).
        back_on_untold=back_on_untold_now,
        back_on_told=back_on_entries(case) if restored_maybe else [],
        told_form=told_form
        or fresh(
            ReviewerToldForm(
                formdata=None, data={"kind": "back_on" if back_on_untold_now else "cancel"}
            )
        ),
        move_offers=offers.get("move", []),
        **move,
        **dispatch_context(case, "case"),
    ), status


@bp.route("/<int:case_id>/pacs", methods=["POST"])
@roles(*CLINICAL)
def images_sent(case_id: int) -> ResponseReturnValue:
    """Record that the exam's images, left on the modality, were sent to PACS afterwards."""
    case = get_case_or_404(case_id)
    form = ImagesSentForm()
    if not form.validate_on_submit():
        return show_page(case, images_form=form, status=400)
    url = url_for("cases.show", case_id=case.id)
    submit = SentOnce(form.form_key.data or "", payload_hash(request.form), url)
    try:
        # A time in the repeated autumn hour whose first pass lies before the exam's start is
        # its second pass (the exam started in it); a refused write stored nothing.
        in_second_pass_if_refused(
            lambda at: record_images_sent(case_id=case.id, user=g.user, sent_at=at, submit=submit),
            form.sent_at,
            SentBeforeStart,
        )
    except SentBeforeStart as exc:
        # The time typed stays, the why beside it; nothing was stored under the form's key.
        form.sent_at.errors = [_(BEFORE_START, time=local_time_marked(exc.at))]
        return show_page(get_case_or_404(case_id), images_form=form, status=409)
    except AlreadySent as exc:
        # Recorded from another tablet meanwhile: what was to be done is done.
        flash(refusal_text(exc), "info")
    except CaseError as exc:
        flash(refusal_text(exc), "error")
    else:
        # A double tap is answered as its first tap was (form keys).
        flash(_("Bilderna är registrerade som skickade till PACS."), "success")
    return redirect(url)


@bp.route("/<int:case_id>/history")
@roles(*CLINICAL)
def case_history(case_id: int) -> ResponseReturnValue:
    """Earlier versions of the case's records: who changed what, when and why."""
    case = get_case_or_404(case_id)
    record_view(case, g.user, "case_history_view")
    return render_template("cases/history.html", case=case, versions=history(case.id))
