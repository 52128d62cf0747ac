"""The RIS administrator's side of the external-reviewer routine: the queue, the image routes."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..audit import codes_detail, log_read
from ..cases.display import patient_id_display
from ..cases.submissions import SentOnce, payload_hash
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import ReviewerExchange
from ..offered_routines import offers_reviewer
from ..reviewer_in_ris import wrong_answers_in_ris
from ..web import local_time
from . import bp
from .forms import AdminDoneForm, RouteStatusForm
from .not_offered import require_offered
from .queries import admin_queue, get_exchange_or_404, route_statuses
from .removal_forms import RisRemovedForm
from .reviewer_admin_services import NewAnswer, latest_answer, mark_admin_done, set_route_status
from .reviewer_views import SCOPE
from .services import AlreadyDone, RoutineError


@bp.route("/reviewer/queue")
@roles("admin")
def admin_queue_view() -> ResponseReturnValue:
    """Faxed reviewer reports for the RIS administrator to work through."""
    require_offered(offers_reviewer(g.user.site_id, g.site_config.routines), "reviewer")
    return render_queue()


def render_queue(
    form: AdminDoneForm | None = None,
    failed_id: int | None = None,
    status: int = 200,
    removal: tuple[int, RisRemovedForm] | None = None,
) -> ResponseReturnValue:
    """The queue; `form` as sent for item `failed_id`, or `removal`: a removal task's form
    as sent, each with its errors beside its note."""
    waiting, done = admin_queue(g.user.site_id)
    in_ris = wrong_answers_in_ris(site_id=g.user.site_id)
    to_remove = [w for w in in_ris if not w.is_removed]
    # Removed ones stay in sight beside the others recently done.
    removed = sorted(
        (w for w in in_ris if w.is_removed), key=lambda w: w.removed_at or w.undone_at
    )[-20:][::-1]
    removal_forms = {
        w.task_id: RisRemovedForm(formdata=None, form_key=new_form_key()) for w in to_remove
    }
    if removal is not None:
        removal_forms[removal[0]] = removal[1]
    # The queue names its cases by code, with the administrator's notes: a read.
    codes = [e.case.code for e in waiting + done] + [w.code for w in to_remove + removed]
    log_read("reviewer_queue_view", detail=codes_detail(codes))
    return render_template(
        "routines/queue.html",
        waiting=waiting,
        done=done,
        form=form or AdminDoneForm(formdata=None),
        failed_id=failed_id,
        seen={e.id: latest_answer(e) for e in waiting},
        to_remove=to_remove,
        removed=removed,
        removal_forms=removal_forms,
    ), status


@bp.route("/reviewer/queue/<int:exchange_id>/done", methods=["POST"])
@roles("admin")
def admin_done(exchange_id: int) -> ResponseReturnValue:
    """Mark one faxed report as handled."""
    require_offered(offers_reviewer(g.user.site_id, g.site_config.routines), "reviewer")
    exchange = get_exchange_or_404(exchange_id)
    form = AdminDoneForm()
    if exchange.admin_done_at is not None:
        # A resend, or a stale page: whatever the note, nothing is written.
        _already_done(exchange, form.note.data or "")
        return redirect(url_for("routines.admin_queue_view"))
    if not form.validate_on_submit():
        if exchange.queued_for_admin_at is not None:
            # The queue again, the error beside this item's note and the note as typed.
            return render_queue(form, failed_id=exchange.id, status=400)
        flash(_("Kunde inte sparas."), "error")
        return redirect(url_for("routines.admin_queue_view"))
    seen = form.seen_answer.data
    try:
        mark_admin_done(
            exchange_id=exchange.id,
            user=g.user,
            note=form.note.data or "",
            seen_answer=int(seen) if seen else None,
        )
    except AlreadyDone:
        _already_done(exchange, form.note.data or "")
    except NewAnswer as exc:
        # The queue again with the new answer in it, the note as typed beside the error.
        form.note.errors = [*form.note.errors, refusal_text(exc)]
        return render_queue(form, failed_id=exchange.id, status=409)
    except RoutineError as exc:
        flash(refusal_text(exc), "error")
    else:
        case = exchange.case
        flash(
            _(
                "%(code)s (%(name)s, %(id)s) är klar.",
                code=case.code,
                name=case.patient_name or _("Namn okänt"),
                id=patient_id_display(case),
            ),
            "success",
        )
    return redirect(url_for("routines.admin_queue_view"))


def _already_done(exchange: ReviewerExchange, note: str) -> None:
    # Another administrator may have handled it in RIS too, and a typed note is not kept:
    # only the calm answer when this user's own earlier tap is all there is.
    lost_note = note.strip() and note.strip() != exchange.admin_note
    by_other = exchange.admin_done_by_id != g.user.id
    if not lost_note and not by_other:
        flash(_("Posten var redan klar – inget dubblerades."), "info")
        return
    said = _(
        "%(code)s var redan klar – markerad av %(name)s %(at)s.",
        code=exchange.case.code,
        name=exchange.admin_done_by.display_name if exchange.admin_done_by else "",
        at=local_time(exchange.admin_done_at),
    )
    if lost_note:
        said += " " + _("Din anteckning sparades inte: ”%(note)s”", note=note.strip()[:2000])
    flash(said, "error" if lost_note else "info")


@bp.route("/reviewer/routes")
@roles("admin")
def reviewer_routes() -> ResponseReturnValue:
    """The image routes to the reviewer and whether each works."""
    # The routes are the file's: a dropped routine has none left to mark.
    require_offered(g.site_config.routines.has_reviewer, "reviewer")
    return render_template(
        "routines/routes.html",
        routes=g.site_config.routines.external_reviewer.routes,
        statuses=route_statuses(g.user.site_id, SCOPE),
    )


@bp.route("/reviewer/routes/<key>", methods=["GET", "POST"])
@roles("admin")
def reviewer_route_edit(key: str) -> ResponseReturnValue:
    """Set or clear the 'not working' note of one route."""
    require_offered(g.site_config.routines.has_reviewer, "reviewer")
    route = g.site_config.routines.external_reviewer.route(key)
    if route is None:
        abort(404)
    current = route_statuses(g.user.site_id, SCOPE).get(key)
    form = RouteStatusForm()
    if request.method == "GET":
        form.is_working.data = "0" if current and not current.is_working else "1"
        form.note.data = current.note if current else ""
        form.form_key.data = new_form_key()
    if form.validate_on_submit():
        try:
            set_route_status(
                user=g.user,
                scope=SCOPE,
                route_key=key,
                route_name=route.name,
                is_working=form.is_working.data == "1",
                note=form.note.data or "",
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form),
                    url_for("routines.reviewer_routes"),
                ),
            )
        except RoutineError as exc:
            form.note.errors = [*form.note.errors, refusal_text(exc)]
        else:
            flash(_("Vägens status är sparad."), "success")
            return redirect(url_for("routines.reviewer_routes"))
    status = 400 if form.errors else 200
    return render_template("routines/route_edit.html", route=route, form=form), status
