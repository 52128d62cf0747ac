"""The case page's cancel, its undo, and what the referrer is told of either: the notice faxed
and the call after an undone cancellation. Each refusal is drawn on the case page beside what
was typed (page_views.show_page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..arrival_rule import read_after_arrival
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..reporting.forms import CallForm
from ..restore_call_rule import needs_restore_call
from ..web import local_time
from . import bp
from .cancel_notice import (
    FAXED_BEFORE_CANCEL,
    NOT_CANCELLED,
    FaxedBeforeCancel,
    record_cancel_notice,
)
from .cancelling import WAIVER_LIFTED, CleanUpUnconfirmed, cancel_case, restore_case
from .errors import (
    CaseError,
    CaseNotFound,
    ContinuedElsewhere,
    RestoreCodeGone,
    SubmissionConflict,
)
from .fields import in_second_pass_if_refused
from .notice_forms import CancelForm, CancelNoticeForm, RestoreForm, ReviewerToldForm
from .page_views import may_cancel_here, show_page
from .queries import get_case_or_404
from .restore_call import NOTHING_TO_CALL, CallBeforeArrival, log_restore_call
from .reviewer_told import log_reviewer_told
from .submissions import payload_hash


@bp.route("/<int:case_id>/cancel", methods=["POST"])
@roles(*CLINICAL)
def cancel(case_id: int) -> ResponseReturnValue:
    """Cancel a case with a reason."""
    case = get_case_or_404(case_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancel_case(
                case_id=case.id,
                user=g.user,
                reason=form.reason.data or "",
                message=form.message.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
                shown=form.shown.data or "",
                confirm_clean_up=bool(form.confirm_ris_pacs.data),
            )
        except CleanUpUnconfirmed as exc:
            # Beside the box to tick; the reason and the message typed stay. Nothing was stored
            # under the form's key: it stays, so the draft of the reason goes on.
            form.confirm_ris_pacs.errors = [refusal_text(exc)]
            return show_page(case, cancel_form=form, status=409)
        except ContinuedElsewhere as exc:
            return _older_copy(exc, partial(show_page, case, cancel_form=form))
        except CaseError as exc:
            if may_cancel_here(case):
                # Refused by the rules (booked in RIS), or from a page older than the case: the
                # reason typed stays, the why beside it.
                form.reason.errors = [refusal_text(exc)]
                if isinstance(exc, SubmissionConflict):
                    # Sent again under its key, the earlier cancel of it would be refused again.
                    form.form_key.data = new_form_key()
                return show_page(case, cancel_form=form, status=409)
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Ärendet är makulerat."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return show_page(case, cancel_form=form, status=400)


@bp.route("/<int:case_id>/restore", methods=["POST"])
@roles(*CLINICAL)
def restore(case_id: int) -> ResponseReturnValue:
    """Undo a cancellation made by mistake, with a reason."""
    case = get_case_or_404(case_id)
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            lifted = restore_case(
                case_id=case.id,
                user=g.user,
                reason=form.reason.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
            )
        except RestoreCodeGone as exc:
            # The reason typed stays; the codes to add back are named beside it.
            form.reason.errors = [refusal_text(exc)]
            return show_page(case, restore_form=form, status=409)
        except ContinuedElsewhere as exc:
            return _older_copy(exc, partial(show_page, case, restore_form=form))
        except CaseError as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Makuleringen är ångrad. Ärendet är aktivt igen."), "success")
            if lifted:
                flash(_(WAIVER_LIFTED), "info")
        return redirect(url_for("cases.show", case_id=case.id))
    return show_page(case, restore_form=form, status=400)


@bp.route("/<int:case_id>/cancel-notice", methods=["POST"])
@roles(*CLINICAL)
def cancel_notice(case_id: int) -> ResponseReturnValue:
    """Record that the referrer was faxed the cancellation notice, or why none is needed."""
    case = get_case_or_404(case_id)
    form = CancelNoticeForm()
    if case.status != "cancelled":
        # Undone meanwhile: the page no longer holds the form to show its errors beside.
        flash(_(NOT_CANCELLED), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    if form.validate_on_submit():
        try:
            _record_notice(case.id, form)
        except CaseNotFound:
            abort(404)
        except FaxedBeforeCancel as exc:
            message = _(FAXED_BEFORE_CANCEL, cancelled=local_time(exc.cancelled_at))
            form.faxed_at.errors = [*form.faxed_at.errors, message]
        except ContinuedElsewhere as exc:
            return _older_copy(exc, partial(show_page, case, notice_form=form))
        except CaseError as exc:
            flash(refusal_text(exc), "error")
            return redirect(url_for("cases.show", case_id=case.id))
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Beskedet till remittenten är loggat."), "success")
            return redirect(url_for("cases.show", case_id=case.id) + "#notice")
    return show_page(case, notice_form=form, status=400)


def _record_notice(case_id: int, form: CancelNoticeForm) -> None:
    """The notice, with an autumn night's repeated hour read as its second pass if the first
    lies before the cancel."""
    record = partial(
        record_cancel_notice,
        case_id=case_id,
        user=g.user,
        kind=form.kind.data or "",
        fax_number=form.fax_number.data or "",
        note=form.note.data or "",
        form_key=form.form_key.data or "",
        digest=payload_hash(request.form),
        url=url_for("cases.show", case_id=case_id) + "#notice",
    )
    in_second_pass_if_refused(lambda at: record(faxed_at=at), form.faxed_at, FaxedBeforeCancel)


@bp.route("/<int:case_id>/restore-call", methods=["POST"])
@roles(*CLINICAL)
def restore_call(case_id: int) -> ResponseReturnValue:
    """Record that the referrer told of a cancellation since undone was phoned about it."""
    case = get_case_or_404(case_id)
    url = url_for("cases.show", case_id=case.id) + "#notice"
    form = CallForm()
    if form.validate_on_submit():
        read_after_arrival(case, form.called_at)
        try:
            log_restore_call(
                case_id=case.id,
                user=g.user,
                called_person=form.called_person.data or "",
                phone_number=form.phone_number.data or "",
                called_at=form.called_at.data,
                note=form.note.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url,
            )
        except CaseNotFound:
            abort(404)
        except CallBeforeArrival as exc:
            form.called_at.errors = [*form.called_at.errors, refusal_text(exc)]
            return show_page(case, call_form=form, status=400)
        except ContinuedElsewhere as exc:
            return _older_copy(exc, partial(show_page, case, call_form=form))
        except CaseError as exc:
            # Also a key sent before with other content: that call was logged, and the page no
            # longer holds the form.
            flash(refusal_text(exc), "error")
            return redirect(url)
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Samtalet är loggat."), "success")
            return redirect(url)
    if not needs_restore_call(case, list(case.cancel_notices)):
        # Logged from another tablet meanwhile, or cancelled again: no form to show errors by.
        # (Checked after the service: a second tap of a logged call is answered as the first.)
        flash(_(NOTHING_TO_CALL), "error")
        return redirect(url)
    return show_page(case, call_form=form, status=400)


@bp.route("/<int:case_id>/reviewer-told", methods=["POST"])
@roles(*CLINICAL)
def reviewer_told(case_id: int) -> ResponseReturnValue:
    """Record that the external reviewer holding the referral was told of the cancellation, or
    that the exam is back on after it."""
    case = get_case_or_404(case_id)
    url = url_for("cases.show", case_id=case.id) + "#reviewer-told"
    form = ReviewerToldForm()
    if not form.validate_on_submit():
        return show_page(case, told_form=form, status=400)
    back_on = form.kind.data == "back_on"
    try:
        log_reviewer_told(
            case_id=case.id,
            user=g.user,
            how=form.how.data or "",
            back_on=back_on,
            form_key=form.form_key.data or "",
            digest=payload_hash(request.form),
            url=url,
        )
    except CaseError as exc:
        # Told from another tablet meanwhile, restored, or a key sent before with other
        # content: the page no longer holds the form.
        flash(refusal_text(exc), "error")
        return redirect(url)
    if back_on:
        flash(_("Det är loggat att granskaren meddelats att undersökningen görs ändå."), "success")
    else:
        flash(_("Det är loggat att granskaren meddelats."), "success")
    return redirect(url)


def _older_copy(
    exc: ContinuedElsewhere, page: Callable[..., ResponseReturnValue]
) -> ResponseReturnValue:
    """The case page again with what was typed, the refusal and its choice at the top: redirected,
    the text typed on this tablet would be gone from its form."""
    flash(refusal_text(exc), "error")
    return page(status=409)
