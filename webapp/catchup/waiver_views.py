"""A waiver on the catch-up page of a case: made, confirmed by a second user, or lifted."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import CaseError, SubmissionConflict
from ..cases.queries import get_case_or_404
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import STAFF, bp
from .case_views import form_submit, render_case
from .forms import ConfirmWaiverForm, LiftWaiverForm, WaiveForm, sent_wrong
from .services import CatchupError
from .waiving import StaleLift, StaleWaiver, confirm_waiver, lift_waiver, waive_case

# The waiver's form sent again with another reason: the first one made the waiver.
WAIVER_SENT_OTHERWISE = (
    "Ärendet är redan undantaget med orsaken som skickades först. Häv undantaget och undanta "
    "ärendet igen om orsaken ska ändras."
)


@bp.route("/catchup/cases/<int:case_id>/waive", methods=["POST"])
@roles(*STAFF)
def waive(case_id: int) -> ResponseReturnValue:
    """Take a case out of the catch-up, with a reason."""
    case = get_case_or_404(case_id)
    form = WaiveForm()
    if form.validate_on_submit():
        try:
            waive_case(
                case_id=case.id,
                user=g.user,
                reason=form.reason.data or "",
                four_eyes=g.site_config.four_eyes,
                shown=form.shown.data or "",
                submit=form_submit(form.form_key.data, case.id),
            )
        except StaleWaiver as exc:
            # The waiver is still offered: the refusal stands by the reason typed, its box open.
            form.reason.errors = [refusal_text(exc)]
            return render_case(case.id, 409, waive_form=form)
        except SubmissionConflict:
            # The form made the waiver already, with the reason it was first sent with; the
            # page now shows the waiver, and no box to put the message beside. Sent again (a
            # new key), the form is refused as a waiver of a waived case.
            flash(_(WAIVER_SENT_OTHERWISE), "error")
            form.form_key.data = new_form_key()
            return render_case(case.id, 409, waive_form=form)
        except (CatchupError, CaseError) as exc:
            # The case's state forbids it (closed, cancelled, incident ended): nothing changed,
            # and the page offers no waiver to put the message beside.
            flash(refusal_text(exc), "error")
            return render_case(case.id, 409, waive_form=form)
        # A double tap's second submit gets the first one's answer: the waiver is made.
        confirm_saved(form.form_key.data or "")
        if g.site_config.four_eyes:
            flash(
                _("Undantaget är registrerat och väntar på att någon annan bekräftar det."),
                "success",
            )
        else:
            flash(_("Ärendet är undantaget."), "success")
        return redirect(url_for("catchup.case", case_id=case.id))
    return render_case(case.id, 400, waive_form=form)


@bp.route("/catchup/cases/<int:case_id>/waive/lift", methods=["POST"])
@roles(*STAFF)
def lift(case_id: int) -> ResponseReturnValue:
    """Put a waived case back into the catch-up."""
    case = get_case_or_404(case_id)
    form = LiftWaiverForm()
    if form.validate_on_submit():
        try:
            lift_waiver(
                case_id=case.id,
                user=g.user,
                four_eyes=g.site_config.four_eyes,
                shown=form.shown.data or "",
                waived_shown=form.waived_shown.data or "",
                submit=form_submit(form.form_key.data, case.id),
            )
        except StaleLift as exc:
            # Beside the lift button, its box open on the page as it is now: tapped again, the
            # lift is of what the page shows.
            return render_case(case.id, 409, lift_error=refusal_text(exc))
        except (CatchupError, CaseError) as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(_("Undantaget är hävt: ärendet ska läggas in i RIS."), "success")
    else:
        # At the top: the lift's box is drawn only while the case is waived.
        flash(sent_wrong(form), "error")
        return render_case(case.id, 400)
    return redirect(url_for("catchup.case", case_id=case.id))


@bp.route("/catchup/cases/<int:case_id>/waive/confirm", methods=["POST"], endpoint="confirm_waiver")
@roles(*STAFF)
def confirm_waiver_view(case_id: int) -> ResponseReturnValue:
    """A second user confirms a waiver (four eyes); only then is the case reconciled."""
    case = get_case_or_404(case_id)
    form = ConfirmWaiverForm()
    if form.validate_on_submit():
        try:
            confirm_waiver(
                case_id=case.id,
                user=g.user,
                four_eyes=g.site_config.four_eyes,
                shown=form.shown.data or "",
                waived_shown=form.waived_shown.data or "",
                submit=form_submit(form.form_key.data, case.id),
            )
        except (CatchupError, CaseError) as exc:
            flash(refusal_text(exc), "error")
            # At the top of the page, where the refusal is flashed: opened at the waiver, it was
            # out of view, beside a button that looked as if it could simply be tapped again.
            return redirect(url_for("catchup.case", case_id=case.id))
        flash(_("Undantaget är bekräftat."), "success")
    else:
        # At the top, where the confirmation's refusals are flashed too.
        flash(sent_wrong(form), "error")
        return render_case(case.id, 400)
    return redirect(url_for("catchup.case", case_id=case.id) + "#waiver")
