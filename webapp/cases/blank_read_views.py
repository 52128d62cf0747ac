"""A report blank joined over a signed report is marked as read, the same, on the case's page."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..blanks import read_same
from ..blanks.errors import BlankError
from ..blanks.forms import ReadSameForm
from ..blanks.read_same import READERS
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import bp
from .queries import get_case_or_404
from .submissions import SentOnce, item_form_key, payload_hash


@bp.route("/<int:case_id>/blanks/<code>/read-same", methods=["POST"])
@roles(*READERS)
def blank_read_same(case_id: int, code: str) -> ResponseReturnValue:
    """A radiologist's tap: the report blank joined over the signed report says the same."""
    case = get_case_or_404(case_id)
    form = ReadSameForm()
    url = url_for("cases.show", case_id=case.id)
    if not form.validate_on_submit():
        # Only the key can be wrong, and only a page the app did not draw sends it so.
        return redirect(url)
    try:
        read_same.mark_read_same(
            user=g.user,
            code=code,
            case_id=case.id,
            sent=SentOnce(
                item_form_key(form.form_key.data or "", code), payload_hash(request.form), url
            ),
        )
    except BlankError as exc:
        flash(refusal_text(exc), "error")
        return redirect(url)
    # A double tap is answered as the first tap was.
    flash(_("Utlåtandeblankett %(blank)s är markerad som läst.", blank=code), "success")
    return redirect(url)
