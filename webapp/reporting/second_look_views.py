"""The second look in PACS of a report read on the modality's screen, from the report screen."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import CaseError
from ..cases.queries import get_case_or_404
from ..cases.submissions import SentOnce, payload_hash
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..web import local_time
from . import bp
from .forms import SecondLookForm
from .screen_page import redrawn_screen, return_to_screen
from .second_look import (
    ADDENDUM_BEFORE_PACS,
    ALREADY_LOOKED,
    AddendumBeforePacs,
    AlreadyLooked,
    record_second_look,
)


@bp.route("/<int:case_id>/second-look", methods=["POST"])
@roles("radiologist")
def second_look(case_id: int) -> ResponseReturnValue:
    """Record the second look in PACS of a report read on the modality (versioned, audited)."""
    case = get_case_or_404(case_id)
    form = SecondLookForm()
    url = url_for("reporting.screen", case_id=case.id)
    if form.validate_on_submit():
        try:
            record_second_look(
                case_id=case.id,
                user=g.user,
                outcome=form.outcome.data or "",
                submit=SentOnce(form.form_key.data or "", payload_hash(request.form), url),
            )
        except AddendumBeforePacs as exc:
            # Beside the outcome, on the screen as it is (the addendum to sign is below).
            form.outcome.errors = [
                _(ADDENDUM_BEFORE_PACS, signed=local_time(exc.signed), sent=local_time(exc.sent))
            ]
            return redrawn_screen(case, second_look_form=form)
        except AlreadyLooked as exc:
            # Recorded from another tablet meanwhile: what was to be done is done.
            flash(_(ALREADY_LOOKED, time=local_time(exc.at)), "info")
        except CaseError as exc:
            flash(refusal_text(exc), "error")
        else:
            # A double tap is answered as its first tap was (form keys).
            flash(_("Eftergranskningen i PACS är registrerad."), "success")
        return redirect(return_to_screen(case.id, "second-look"))
    return redrawn_screen(case, second_look_form=form)
