"""The urgent call to the referrer: logged once per form, however often the form is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..arrival_rule import read_after_arrival
from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..local_paths import local_path
from ..models import Case, utcnow
from ..return_pages import get_page
from . import bp
from .case_services import log_urgent_call
from .faxed import BeforeArrival
from .forms import CallForm
from .queries import calls_for
from .services import ReportError


def _call_form(case: Case) -> CallForm:
    """The form as opened: its draft's text if ?draft= names one (typed before a reload, a
    login that ended, on another tablet), else the referrer and the time filled in."""
    form = CallForm(formdata=None)
    draft = resume_form(form, "urgent_call", case.id, g.user.site_id, request.args.get("draft", ""))
    if draft is None:
        if case.referral:
            referral = case.referral
            form.called_person.data = referral.referrer_clinician or referral.referrer_unit
            form.phone_number.data = referral.referrer_phone
        form.called_at.data = utcnow()
    return form


# The pages of the case the call form may be opened from, with the roles that can open them.
RETURN_PAGES = {"reporting.screen": ("radiologist",), "cases.show": ("radiologist", "secretary")}


def _return_page(case: Case) -> str:
    """The page of this case the form was opened from (next), its case page otherwise.

    Only a page of this same case is gone back to: an address of another case or page, or one
    off the laptop, is a link someone built, not where the radiologist came from.
    """
    target = local_path(request.values.get("next"))
    page = get_page(urlsplit(target).path) if target else None
    if target and page is not None:
        endpoint, values = page
        if values.get("case_id") == case.id and g.user.role in RETURN_PAGES.get(endpoint, ()):
            return target
    # A link of an older page (or a bookmark) names the reporting screen so.
    if request.values.get("back") == "screen" and g.user.role == "radiologist":
        return url_for("reporting.screen", case_id=case.id)
    return url_for("cases.show", case_id=case.id)


@bp.route("/<int:case_id>/call", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def call(case_id: int) -> ResponseReturnValue:
    """Log the phone call to the referrer about an urgent finding."""
    case = get_case_or_404(case_id)
    back = _return_page(case)
    form = CallForm() if request.method == "POST" else _call_form(case)
    if form.validate_on_submit():
        read_after_arrival(case, form.called_at)
        try:
            logged = log_urgent_call(
                case_id=case.id,
                user=g.user,
                called_person=form.called_person.data or "",
                phone_number=form.phone_number.data or "",
                called_at=form.called_at.data,
                note=form.note.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=back,
            )
        except ContinuedElsewhere as exc:
            # Drawn with its choice inside the form, above its submit (older_copy_choice).
            flash(refusal_text(exc), "error")
        except SubmissionConflict as exc:
            # What was typed stays; sent again, it is logged as another call under a new key.
            form.note.errors = [*form.note.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
        except BeforeArrival as exc:
            form.called_at.errors = [*form.called_at.errors, refusal_text(exc)]
        except ReportError as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Samtalet är loggat.")
                if logged is not None
                else _("Samtalet var redan loggat – inget dubblerades."),
                "success",
            )
            return redirect(back)
    record_view(case, g.user, "call_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template(
        "reporting/call.html",
        case=case,
        form=form,
        calls=calls_for(case.id),
        back=back,
        offers=offered_drafts("urgent_call", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
