"""The identity correction's view: HTTP only (e.g. a reserve number to a personnummer)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..draft_versions import offered_drafts
from ..drafts.queries import draft_formdata, draft_to_continue
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from . import bp
from .conflicts import conflict_of
from .errors import (
    CaseError,
    ContinuedElsewhere,
    IdentityUnchanged,
    NamesakeFound,
    SubmissionConflict,
    VersionConflict,
)
from .forms import shown_version
from .patient_forms import IdentityForm
from .queries import get_case_or_404
from .services import correct_identity, log_namesakes_shown, record_view
from .submissions import payload_hash
from .versions import ANY_VERSION


def _identity_data(case: Any) -> dict[str, Any]:
    if case.patient_id_kind == "reserve":
        return {
            "id_mode": "reserve",
            "reserve_number": case.patient_id,
            "sex": case.patient_sex or "U",
            "approx_age": case.patient_age_approx,
            "patient_name": case.patient_name,
        }
    pid = case.patient_id
    return {
        "id_mode": "pnr",
        "personal_number": f"{pid[:8]}-{pid[8:]}",
        "patient_name": case.patient_name,
    }


@bp.route("/<int:case_id>/identity", methods=["GET", "POST"])
@roles(*CLINICAL)
def identity(case_id: int) -> ResponseReturnValue:
    """Correct the patient's identity (e.g. reserve number to personnummer), with a reason."""
    case = get_case_or_404(case_id)
    if request.method == "GET":
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "identity", case.id
        )
        if draft is not None:
            # Its boxes are not drafted today (each answers one page's question); read as every
            # other form's draft is, a box drafted one day would keep its tick.
            form = IdentityForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
        else:
            form = IdentityForm(data=_identity_data(case), formdata=None)
            form.case_version.data = case.version
            if case.patient_id_kind == "reserve":
                form.id_mode.data = "pnr"
        form.form_key.data = key
    else:
        form = IdentityForm()
    conflict = None
    sent_older = False
    if form.is_submitted() and form.validate_for(case):
        try:
            corrected = correct_identity(
                case_id=case.id,
                user=g.user,
                identity=form.identity_values(),
                reason=form.reason.data or "",
                # A post without the field (a script, a page drawn before it existed) is not
                # checked; every identity page sends it.
                shown_case_version=shown_version(form.case_version)
                if "case_version" in request.form
                else ANY_VERSION,
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
                other_sex_confirmed=form.other_sex_confirmed,
                reserve_confirmed=form.reserve_like_personal_number,
                namesake_ticked=form.namesake_ticked,
            )
        except (VersionConflict, SubmissionConflict) as exc:
            # The header above the form shows the identity stored now; a new save stands on it.
            conflict = conflict_of(exc)
            form.case_version.data = case.version
            if isinstance(exc, SubmissionConflict):
                form.form_key.data = new_form_key()
        except NamesakeFound as exc:
            # Saved by another tablet since the form's own check: asked as that would have.
            form.ask_namesakes(exc.found)
        except IdentityUnchanged as exc:
            number = form.reserve_number if form.id_mode.data == "reserve" else form.personal_number
            number.errors = [refusal_text(exc)]
        except ContinuedElsewhere as exc:
            # At the top with its choice, not beside the reason: it is of the whole form.
            flash(refusal_text(exc), "error")
            sent_older = True
        except CaseError as exc:
            form.reason.errors = [refusal_text(exc)]
        else:
            confirm_saved(form.form_key.data or "")
            if corrected is None:
                flash(_("Ändringen var redan sparad – inget dubblerades."), "success")
            else:
                flash(_("Identiteten är ändrad. Den tidigare finns kvar i historiken."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user)  # the patient's identity, after a refused submit too
    log_namesakes_shown(form.namesakes_found, case.incident_id)
    status = 409 if conflict or sent_older else 400 if form.errors else 200
    return render_template(
        "cases/identity.html",
        form=form,
        case=case,
        conflict=conflict,
        offers=offered_drafts("identity", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
