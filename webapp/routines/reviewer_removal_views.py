"""The RIS administrator records an undone reviewer answer as removed from the case in RIS."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import SubmissionConflict
from ..cases.submissions import payload_hash
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..offered_routines import offers_reviewer
from . import bp
from .not_offered import require_offered
from .queries import get_exchange_or_404
from .removal_forms import RisRemovedForm
from .reviewer_admin_views import render_queue
from .reviewer_removal_services import AlreadyRemoved, record_ris_removal
from .services import RoutineError, SentForm


@bp.route("/reviewer/queue/<int:exchange_id>/removed-from-ris/<int:task_id>", methods=["POST"])
@roles("admin")
def admin_removed_from_ris(exchange_id: int, task_id: int) -> ResponseReturnValue:
    """Record that one wrongly entered answer (its task) is taken out of the case in RIS."""
    require_offered(offers_reviewer(g.user.site_id, g.site_config.routines), "reviewer")
    exchange = get_exchange_or_404(exchange_id)
    task = next((t for t in exchange.removal_tasks if t.due.id == task_id), None)
    if task is None:
        abort(404)
    form = RisRemovedForm()
    back = url_for("routines.admin_queue_view") + "#ris-removal"
    if not form.validate_on_submit():
        if task.removed is None:
            # The queue again, the error beside this task's note and the note as typed.
            return render_queue(removal=(task_id, form), status=400)
        # Recorded meanwhile (a stale page): its form is no longer on the queue to show.
        flash(_("Borttagningen ur RIS var redan registrerad – inget dubblerades."), "info")
        return redirect(back)
    sent = SentForm(form.form_key.data or "", payload_hash(request.form), back)
    try:
        stored = record_ris_removal(
            exchange_id=exchange.id,
            task_id=task_id,
            user=g.user,
            note=form.note.data or "",
            sent=sent,
        )
    except AlreadyRemoved as exc:
        # Recorded meanwhile by another tap or administrator: what was to be done is done.
        flash(refusal_text(exc), "info")
    except SubmissionConflict as exc:
        # The same key with other content: what was typed stays, sent again it is new.
        form.note.errors = [*form.note.errors, refusal_text(exc)]
        form.form_key.data = new_form_key()
        return render_queue(removal=(task_id, form), status=409)
    except RoutineError as exc:
        flash(refusal_text(exc), "error")
    else:
        flash(
            _("Registrerat att svaret är borttaget ur RIS.")
            if stored
            else _("Borttagningen ur RIS var redan registrerad – inget dubblerades."),
            "success",
        )
    return redirect(back)
