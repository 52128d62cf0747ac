"""A submit the database refused (its disk, or a lock held too long), where its view kept no
form: the view draws its form again.

Every view draws its form again, with what was typed, when the input needs correcting; a
refused write gets that same page (its forms report no valid submit while it is drawn), with
the Swedish message at its top and 503: nothing was stored, send it again. So no view has to
remember to catch the refusal itself, and none can drop what was typed by forgetting to.
"""

from __future__ import annotations

from flask import Response, current_app, flash, request, session
from werkzeug.exceptions import HTTPException

from .extensions import db
from .i18n import refusal_text
from .storage_errors import StorageUnavailable, refused_write, start_redrawing

_FLASHES = "_flashes"


def _is_form_page(answer: Response) -> bool:
    # A redirect would claim the submit went through; a file holds no form. The form comes
    # with the status of input to correct (400) or of a conflict (409) as often as with 200.
    is_redirect = 300 <= answer.status_code < 400
    return not is_redirect and answer.status_code < 500 and answer.mimetype == "text/html"


def redraw_refused_form(refusal: StorageUnavailable) -> Response | None:
    """The submitted form's page again, drawn by its own view; None where it draws none."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method != "POST" or view is None:
        return None
    # A refused flush outside a write transaction leaves the session unusable for the reads.
    db.session.rollback()
    refused_write(refusal)
    start_redrawing()
    flashed_before = list(session.get(_FLASHES, []))
    flash(refusal_text(refusal), "error")
    answer: Response | None = None
    try:
        drawn = current_app.ensure_sync(view)(**(request.view_args or {}))
        answer = current_app.make_response(drawn)
    except (StorageUnavailable, HTTPException):
        # A view with no form to check (a button) wrote again and was refused at once, or
        # answers a submit it takes for invalid with an error: the plain page below says it.
        db.session.rollback()
    except Exception:
        # The plain page below still says the write was refused.
        current_app.logger.exception("Formuläret på %s kunde inte ritas om", request.path)
        db.session.rollback()
    if answer is not None and _is_form_page(answer):
        answer.status_code = 503
        return answer
    # What the view flashed on its way to a redirect would show on the next page.
    if flashed_before:
        session[_FLASHES] = flashed_before
    else:
        session.pop(_FLASHES, None)
    return None
