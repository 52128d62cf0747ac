"""A documentation or report blank joined to the wrong case is detached on the case's page."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..blanks import detaching
from ..blanks.detaching import NO_REASON, NOT_JOINED_HERE, BlankTypedIn
from ..blanks.forms import DetachForm
from ..blanks.services import BlankError
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import bp
from .page_views import show_page
from .queries import get_case_or_404
from .submissions import SentOnce, item_form_key, payload_hash


@bp.route("/<int:case_id>/blanks/<code>/detach", methods=["POST"])
@roles(*CLINICAL)
def detach_blank(case_id: int, code: str) -> ResponseReturnValue:
    """Detach a blank from the case it was joined to by mistake, with a reason."""
    case = get_case_or_404(case_id, for_page=True)
    form = DetachForm()
    url = url_for("cases.show", case_id=case.id)
    if not form.validate_on_submit():
        if code not in {blank.code for blank in case.blanks}:  # type: ignore[attr-defined]
            # Detached or joined elsewhere meanwhile: no form on the page to show the why by.
            flash(_(NOT_JOINED_HERE), "error")
            return redirect(url)
        # Beside that blank's reason field, whatever was typed kept.
        return show_page(case, detach_form=form, detach_code=code, status=400)
    try:
        detaching.detach_blank(
            user=g.user,
            code=code,
            case_id=case.id,
            reason=form.reason.data or "",
            sent=SentOnce(
                item_form_key(form.form_key.data or "", code), payload_hash(request.form), url
            ),
        )
    except BlankTypedIn as exc:
        form.reason.errors = [refusal_text(exc)]
        return show_page(case, detach_form=form, detach_code=code, status=409)
    except BlankError as exc:
        if exc.message == NO_REASON:
            form.reason.errors = [refusal_text(exc)]
            return show_page(case, detach_form=form, detach_code=code, status=400)
        # Detached or joined elsewhere meanwhile: the page no longer holds this blank's form.
        flash(refusal_text(exc), "error")
        return redirect(url)
    # A double tap is answered as the first tap was.
    flash(
        _(
            "Blanketten %(blank)s är inte längre kopplad till ärende %(code)s. Koppla den till "
            "rätt ärende, t.ex. genom att skanna den.",
            blank=code,
            code=case.code,
        ),
        "success",
    )
    return redirect(url)
