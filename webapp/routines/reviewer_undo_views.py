"""Undoing a reviewer's answer recorded on the wrong case, from the case's reviewer page."""

from __future__ import annotations

from flask import g, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import bp
from .forms import UndoReceiptForm
from .reviewer_case_page import offered_case_or_404, render_case
from .reviewer_undo_services import (
    REFERRER_NOT_TOLD,
    NothingToUndo,
    ReferrerNotTold,
    TextEntered,
    undo_report_received,
)
from .submit_once import log_once


@bp.route("/reviewer/cases/<int:case_id>/undo-receipt", methods=["POST"])
@roles(*CLINICAL)
def reviewer_undo_receipt(case_id: int) -> ResponseReturnValue:
    """Undo an answer recorded on this case by mistake (by whom and why, audited)."""
    case = offered_case_or_404(case_id)
    form = UndoReceiptForm(prefix="undo")
    if form.validate_on_submit():
        told = bool(form.referrer_told.data)
        done = log_once(
            form,
            form.reason,
            url_for("routines.reviewer_case", case_id=case.id) + "#answer",
            lambda sent: undo_report_received(
                case_id=case.id,
                user=g.user,
                reason=form.reason.data or "",
                referrer_told=told,
                sent=sent,
            ),
            logged=_("Mottagningen är ångrad. Registrera svaret på rätt ärende."),
            already=_("Mottagningen var redan ångrad – inget dubblerades."),
            beside=(NothingToUndo, TextEntered, ReferrerNotTold),
        )
        if done is not None:
            return done
        # The missing confirmation is the tick's to show, beside the box to tick.
        not_told = refusal_text(ReferrerNotTold(REFERRER_NOT_TOLD))
        if not_told in form.reason.errors:
            form.reason.errors = [e for e in form.reason.errors if e != not_told]
            form.referrer_told.errors = [*form.referrer_told.errors, not_told]
    return render_case(case, 400, undo_form=form)
