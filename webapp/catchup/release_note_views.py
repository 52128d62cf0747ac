"""Ticking a release's referral note as written in RIS, from the case's catch-up page."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import SubmissionConflict
from ..cases.submissions import RESENT_OTHER, SentOnce, item_form_key, payload_hash
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import ImageRelease
from ..routines.queries import get_release_or_404
from . import STAFF, bp
from .forms import ReleaseNoteForm
from .release_notes import AlreadyAsAsked, ReleaseNotFound, record_release_note
from .services import CatchupError


def release_anchor(release: ImageRelease) -> str:
    """The release's note on its case's catch-up page."""
    return url_for("catchup.case", case_id=release.case_id) + f"#release-{release.id}"


@bp.route("/catchup/releases/<int:release_id>/ris-note", methods=["POST"])
@roles(*STAFF)
def release_ris_note(release_id: int) -> ResponseReturnValue:
    """Tick the release's referral note as written in RIS, or undo the tick."""
    release = get_release_or_404(release_id)
    back = release_anchor(release)
    form = ReleaseNoteForm()
    if not form.validate_on_submit():
        flash(_("Formuläret kunde inte sparas. Försök igen."), "error")
        return redirect(back)
    is_done = form.is_done.data == "1"
    try:
        record_release_note(
            release_id=release.id,
            user=g.user,
            is_done=is_done,
            shown=form.shown.data or "",
            submit=SentOnce(
                item_form_key(form.form_key.data or "", f"release-{release.id}"),
                payload_hash(request.form),
                back,
            ),
        )
    except ReleaseNotFound:
        abort(404)
    except AlreadyAsAsked as exc:
        flash(refusal_text(exc), "info")
    except SubmissionConflict:
        flash(_(RESENT_OTHER), "error")
    except CatchupError as exc:
        flash(refusal_text(exc), "error")
    else:
        # A double tap is answered as its first tap was (form keys).
        flash(
            _("Remissanteckningen är registrerad som införd i RIS.")
            if is_done
            else _("Ångrat: remissanteckningen är inte registrerad som införd i RIS."),
            "success",
        )
    return redirect(back)
