"""One case's page: what it holds, its cancellation and the undoing of one, its history."""

from __future__ import annotations

from typing import TypeVar

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..call_rule import has_urgent_finding, needs_call
from ..extensions import db
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import Case
from ..offered_routines import offers_case_release
from ..printing.documents import available_documents
from ..protocol_rule import protocol_of
from ..reporting.dispatch_page import dispatch_context
from ..reporting.queries import calls_for
from ..reporting.signed import text_as_signed
from . import bp
from .cancelling import NO_CANCEL_STATUSES, cancel_case, restore_case
from .contrast import case_contrast_unanswered
from .errors import CaseError, RestoreCodeGone
from .forms import CancelForm, RestoreForm
from .history import history
from .mr_safety import case_mr_unanswered
from .pregnancy import case_pregnancy_unanswered
from .queries import get_case_or_404, same_patient_cases
from .services import record_view
from .submissions import payload_hash
from .versions import shown_token_of
from .waiting import waiting_report_blanks

F = TypeVar("F", CancelForm, RestoreForm)


@bp.route("/<int:case_id>")
@roles(*CLINICAL)
def show(case_id: int) -> ResponseReturnValue:
    """Everything about one case: referral, exam, status, history link."""
    return _show_page(get_case_or_404(case_id, for_page=True))


def _offers_cancel(case: Case) -> bool:
    """Whether the case page offers a cancel: one a signed report rules out is not offered."""
    return (
        case.status != "cancelled"
        and case.status not in NO_CANCEL_STATUSES
        and case.incident.ended_at is None
    )


def _fresh(form: F) -> F:
    form.form_key.data = new_form_key()
    return form


def _show_page(
    case: Case,
    cancel_form: CancelForm | None = None,
    restore_form: RestoreForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    # A cancel refused for a missing reason shows the whole case again: a read like any other.
    record_view(case, g.user)
    calls = calls_for(case.id)
    cancel_form = cancel_form or _fresh(CancelForm(formdata=None))
    # What this page shows: a cancel sent from it is judged on that (refused ones included).
    cancel_form.shown.data = shown_token_of(case, len(calls))
    return render_template(
        "cases/show.html",
        case=case,
        cancel_form=cancel_form,
        restore_form=restore_form or _fresh(RestoreForm(formdata=None)),
        case_calls=calls,
        urgent_finding=has_urgent_finding(case.report),
        call_missing=needs_call(case.report, calls),
        as_signed=text_as_signed(db.session, case.report),
        print_kinds=available_documents(case),
        report_blanks=waiting_report_blanks(case),
        same_patient=same_patient_cases(case) if case.status != "cancelled" else [],
        offers_cancel=_offers_cancel(case),
        release_offered=offers_case_release(case.id, g.site_config.routines),
        mr_unanswered=case_mr_unanswered(case, g.site_config),
        pregnancy_unanswered=case_pregnancy_unanswered(case, g.site_config),
        contrast_unanswered=case_contrast_unanswered(case, g.site_config),
        protocol=protocol_of(case),
        **dispatch_context(case, "case"),
    ), status


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
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
                shown=form.shown.data or "",
            )
        except CaseError as exc:
            if _offers_cancel(case):
                # Refused by the rules (booked in RIS), or from a page older than the case: the
                # reason typed stays, the why beside it.
                form.reason.errors = [refusal_text(exc)]
                # Sent again under its key, an earlier cancel of it would be replayed.
                form.form_key.data = new_form_key()
                return _show_page(case, cancel_form=form, status=409)
            flash(str(exc), "error")
        else:
            flash(_("Ärendet är makulerat."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return _show_page(case, cancel_form=form, status=400)


@bp.route("/<int:case_id>/restore", methods=["POST"])
@roles(*CLINICAL)
def restore(case_id: int) -> ResponseReturnValue:
    """Undo a cancellation made by mistake, with a reason."""
    case = get_case_or_404(case_id)
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            restore_case(
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
            return _show_page(case, restore_form=form, status=409)
        except CaseError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Makuleringen är ångrad. Ärendet är aktivt igen."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return _show_page(case, restore_form=form, status=400)


@bp.route("/<int:case_id>/history")
@roles(*CLINICAL)
def case_history(case_id: int) -> ResponseReturnValue:
    """Earlier versions of the case's records: who changed what, when and why."""
    case = get_case_or_404(case_id)
    record_view(case, g.user, "case_history_view")
    return render_template("cases/history.html", case=case, versions=history(case.id))
