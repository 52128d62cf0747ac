"""Recording a cancelled case's clean-up in RIS/PACS, from the batch or the follow-up."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import SubmissionConflict
from ..cases.queries import get_case_or_404
from ..cases.submissions import RESENT_OTHER, SentOnce, payload_hash
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.queries import get_incident_or_404
from . import STAFF, bp
from .batch_views import render_batch_page
from .clean_up import AlreadyCleanedUp, record_clean_up
from .forms import CleanUpForm
from .services import CaseNotFound, CatchupError

ANCHOR = "#clean-up-ris-pacs"


@bp.route("/catchup/cases/<int:case_id>/ris-pacs-cleaned", methods=["POST"])
@roles(*STAFF)
def ris_pacs_cleaned(case_id: int) -> ResponseReturnValue:
    """Record that the cancelled case's order in RIS or images in PACS are cleaned up there."""
    case = get_case_or_404(case_id)
    if case.incident_id is None:
        abort(404)
    form = CleanUpForm()
    on_followup = form.back.data == "followup"
    back = (
        url_for("followup.show", incident_id=case.incident_id)
        if on_followup
        else url_for("catchup.batch", incident_id=case.incident_id)
    )
    if not form.validate_on_submit():
        return _page_again(case.incident_id, case.id, form, on_followup)
    try:
        record_clean_up(
            case_id=case.id,
            user=g.user,
            note=form.note.data or "",
            submit=SentOnce(form.form_key.data or "", payload_hash(request.form), back),
        )
    except CaseNotFound:
        abort(404)
    except AlreadyCleanedUp as exc:
        flash(refusal_text(exc), "info")
    except SubmissionConflict:
        flash(_(RESENT_OTHER), "error")
    except CatchupError as exc:
        flash(refusal_text(exc), "error")
    else:
        # A double tap is answered as its first tap was (form keys).
        flash(_("Uppstädningen i RIS/PACS är registrerad."), "success")
    return redirect(back + ANCHOR)


def _page_again(
    incident_id: int, case_id: int, form: CleanUpForm, on_followup: bool
) -> ResponseReturnValue:
    """The page the form came from, the form as sent with its errors beside its fields."""
    incident = get_incident_or_404(incident_id)
    if on_followup:
        # Here, not at the top: the follow-up's views import the catch-up's forms.
        from ..followup.views import render_followup_page

        return render_followup_page(incident, clean_up=(case_id, form)), 400
    return render_batch_page(incident, clean_up=(case_id, form), status=400)
