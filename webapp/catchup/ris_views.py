"""Saving a case's RIS numbers from its catch-up page; a new accession marks it booked too."""

from __future__ import annotations

from flask import flash, g
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.queries import get_case_or_404
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import STAFF, bp
from .case_views import back_to_case, render_case
from .forms import RisIdsForm, shown_numbers
from .ris_numbers import (
    NUMBERS_UNCHECKED,
    AccessionInUse,
    RisNumbersChanged,
    log_holders_read,
    save_ris_ids,
)
from .services import CatchupError

SAVED = "RIS-numren är sparade."
SAVED_AND_BOOKED = "RIS-numren är sparade och ”Bokad i RIS” är markerat som klart."
# The flash category the catch-up page draws beside the accession field, not at its top: why
# the save did not mark the case booked is read where the number was typed.
BESIDE_ACCESSION = "beside-accession"


@bp.route("/catchup/cases/<int:case_id>/ris", methods=["POST"])
@roles(*STAFF)
def ris_ids(case_id: int) -> ResponseReturnValue:
    """Save the RIS accession and exam number."""
    case = get_case_or_404(case_id)
    form = RisIdsForm()
    is_duplicate = False
    if form.validate_on_submit():
        try:
            saved = save_ris_ids(
                case_id=case.id,
                user=g.user,
                accession=form.ris_accession.data or "",
                exam_number=form.ris_exam_number.data or "",
                allow_duplicate=bool(form.allow_duplicate.data),
                shown=shown_numbers(form),
                four_eyes=g.site_config.four_eyes,
                accession_max_length=g.site_config.accession_max_length,
                page_shown=form.shown.data or "",
            )
        except RisNumbersChanged as exc:
            form.ris_accession.errors = [refusal_text(exc)]
            # The form now stands on the colleague's numbers: saving again replaces them.
            form.accession_shown.data = exc.accession
            form.exam_number_shown.data = exc.exam_number
        except AccessionInUse as exc:
            form.ris_accession.errors = [refusal_text(exc)]
            log_holders_read(exc.others, case.code)
            is_duplicate = True
        except CatchupError as exc:
            form.ris_accession.errors = [refusal_text(exc)]
        else:
            flash(_(SAVED_AND_BOOKED if saved.booked else SAVED), "success")
            if saved.not_booked is not None:
                flash(refusal_text(saved.not_booked), BESIDE_ACCESSION)
            if saved.unchecked is not None and g.site_config.four_eyes:
                flash(_(NUMBERS_UNCHECKED, name=saved.unchecked), "error")
            return back_to_case(case.id)
    return render_case(case.id, 400, is_duplicate=is_duplicate, ris_form=form)
