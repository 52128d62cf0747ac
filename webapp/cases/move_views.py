"""Moving a case to another open incident of its site, from the case page."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import bp
from .errors import (
    ArrivalBeforeIncident,
    CaseError,
    ContinuedElsewhere,
    IncidentEnded,
    NamesakeFound,
    SubmissionConflict,
)
from .move_forms import MoveForm
from .moving import move_case
from .page_views import show_page
from .queries import get_case_or_404
from .services import log_namesakes_shown
from .submissions import SentOnce, payload_hash


# The roles that may cancel a case (cancel_views.cancel): a case in the wrong outage is no less
# urgent to put right, and whoever took it in (or keys it in RIS afterwards) finds it.
@bp.route("/<int:case_id>/move", methods=["POST"])
@roles(*CLINICAL)
def move(case_id: int) -> ResponseReturnValue:
    """Move a case to another open incident of the site, with a reason."""
    case = get_case_or_404(case_id, for_page=True)
    form = MoveForm()
    url = url_for("cases.show", case_id=case.id)
    if not form.validate_on_submit():
        return show_page(case, move_form=form, status=400)
    try:
        move_case(
            case_id=case.id,
            user=g.user,
            target_id=int(form.target.data),
            reason=form.reason.data or "",
            shown=form.shown.data or "",
            sent=SentOnce(form.form_key.data or "", payload_hash(request.form), url),
            arrival_confirmed=form.arrival_confirmed_now,
            namesake_ticked=form.namesake_ticked,
        )
    except IncidentEnded as exc:
        # The case's own incident ended: nothing of it changes here any more.
        flash(refusal_text(exc), "error")
    except ArrivalBeforeIncident as exc:
        # Asked as a new referral in the target would be: the box beside it, the reason kept.
        form.ask_arrival_confirmation(refusal_text(exc))
        return show_page(get_case_or_404(case_id, for_page=True), move_form=form, status=409)
    except NamesakeFound as exc:
        # Listed beside the box, as on the referral form; the target and the reason kept.
        form.ask_namesakes(exc.found)
        log_namesakes_shown(exc.found, int(form.target.data))
        return show_page(get_case_or_404(case_id, for_page=True), move_form=form, status=409)
    except ContinuedElsewhere as exc:
        # Of the whole form, not its target: drawn with its choice beside the submit.
        flash(refusal_text(exc), "error")
        return show_page(get_case_or_404(case_id, for_page=True), move_form=form, status=409)
    except CaseError as exc:
        # The target ended or is not the site's, or the case changed: the reason typed stays.
        form.target.errors = [refusal_text(exc)]
        if isinstance(exc, SubmissionConflict):
            form.form_key.data = new_form_key()
        return show_page(get_case_or_404(case_id, for_page=True), move_form=form, status=409)
    else:
        confirm_saved(form.form_key.data or "")
        flash(_("Ärendet är flyttat."), "success")
    return redirect(url)
