"""Admin views of many users at once: paste, preview, confirm, print the PIN slips. HTTP only."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..access import roles
from ..auth.bulk_accounts import NewPerson, create_users, earlier_result
from ..cases.submissions import SentOnce, SubmitResult, payload_hash
from ..extensions import db
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import User
from ..printing.pin_slips import pin_slips_pdf
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.services import PrintFailed
from ..refusal import Refused
from ..web import tablet_url
from . import bp
from .forms import KeyedConfirmForm, StaffListForm
from .held_slips import held_slips, new_handle
from .same_name import users_by_name
from .staff_list import MAX_LINES, ROLE_EXAMPLES, StaffLine, parse_staff_list, plan_digest

EXAMPLE = "Märta Ek;ssk · Bo Lind;bo.lind;radiolog · Cecilia Dahl;;sekreterare"


def _read(text: str) -> list[StaffLine]:
    """The list as it would be created now, against the users there are now."""
    taken = set(db.session.scalars(select(User.username)))
    return parse_staff_list(text, taken=taken, existing_names=users_by_name(g.user.site_id))


def _page(form: StaffListForm, lines: list[StaffLine] | None, status: int) -> ResponseReturnValue:
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    if lines is not None:
        form.plan.data = plan_digest(lines)
    blocked = lines is not None and any(x.problems for x in lines)
    return render_template(
        "admin/users_many.html",
        form=form,
        lines=lines,
        blocked=blocked,
        example=EXAMPLE,
        role_examples=ROLE_EXAMPLES,
    ), status


def _list_problem(lines: list[StaffLine]) -> str | None:
    """What stops the whole list (none to make, too many), said at the text area."""
    if not lines:
        return _("Listan har inga rader med personer.")
    if len(lines) > MAX_LINES:
        return _("Högst %(n)s personer åt gången. Dela upp listan.", n=MAX_LINES)
    return None


@bp.route("/users/many", methods=["GET", "POST"])
@roles("admin")
def users_many() -> ResponseReturnValue:
    """Paste a staff list and see each line as it will be created, with its problems."""
    form = StaffListForm()
    if request.method == "GET":
        return _page(form, None, 200)
    if not form.validate_on_submit():
        return _page(form, None, 400)
    lines = _read(form.staff.data or "")
    problem = _list_problem(lines)
    if problem:
        form.staff.errors = [problem]
        return _page(form, None, 400)
    return _page(form, lines, 400 if any(x.problems for x in lines) else 200)


@bp.route("/users/many/create", methods=["POST"])
@roles("admin")
def users_many_create() -> ResponseReturnValue:
    """Create every previewed user at once, or none; the answer offers their PIN slips."""
    form = StaffListForm()
    if not form.validate_on_submit():
        return _page(form, None, 400)
    handle = new_handle()
    sent = SentOnce(
        form.form_key.data or "",
        payload_hash(request.form),
        url_for("admin.users_many_done", key=handle),
    )
    lines = _read(form.staff.data or "")
    try:
        earlier = earlier_result(sent)
    except ValueError as exc:
        # Sent before with another list (the page kept after a confirm, then edited): the
        # list now shown is confirmed under a key of its own.
        form.staff.errors = [refusal_text(exc)]
        form.form_key.data = new_form_key()
        return _page(form, lines, 409)
    if earlier is not None:
        return _made_before(earlier)
    problem = _list_problem(lines)
    if problem:
        form.staff.errors = [problem]
        return _page(form, None, 400)
    if any(x.problems for x in lines):
        return _page(form, lines, 400)
    if form.plan.data != plan_digest(lines):
        # Edited after the preview, or a username taken since: the admin confirms what is shown.
        form.staff.errors = [
            _("Listan har ändrats sedan förhandsgranskningen. Kontrollera den och bekräfta igen.")
        ]
        return _page(form, lines, 409)
    people = [NewPerson(x.name, x.username, x.role) for x in lines]
    try:
        made = create_users(site_id=g.user.site_id, people=people, actor=g.user, sent=sent)
    except Refused as exc:
        form.staff.errors = [refusal_text(exc)]
        return _page(form, _read(form.staff.data or ""), 409)
    if isinstance(made, SubmitResult):
        return _made_before(made)
    held_slips(current_app).hold(handle, g.user.id, made)
    flash(_("%(n)s användare är skapade.", n=len(made)), "success")
    return redirect(sent.url)


def _made_before(earlier: SubmitResult) -> ResponseReturnValue:
    flash(_("Användarna var redan skapade; inga fler har skapats."), "info")
    return redirect(earlier.url)


@bp.route("/users/many/<key>")
@roles("admin")
def users_many_done(key: str) -> ResponseReturnValue:
    """The users just created, and the button that prints their slips once."""
    users = held_slips(current_app).peek(g.user.id, key)
    return render_template(
        "admin/users_many_done.html",
        users=users,
        handle=key,
        print_form=KeyedConfirmForm(formdata=None),
    )


@bp.route("/users/many/<key>/slips", methods=["POST"])
@roles("admin")
def pin_slips(key: str) -> ResponseReturnValue:
    """The slips' PDF, once: the copy in memory is gone when it has been drawn."""
    form = KeyedConfirmForm()
    held = held_slips(current_app)
    users = held.take(g.user.id, key) if form.validate_on_submit() else None
    if users is None:
        return redirect(url_for("admin.users_many_done", key=key))
    try:
        pdf = pin_slips_pdf(g.user, tablet_url(), users)
    except BaseException as exc:
        # Nothing was printed (the drawing failed, or the disk refused the print's log line):
        # the slips are the PINs' only copy.
        held.put_back(g.user.id, key, users)
        if not isinstance(exc, PrintFailed):
            raise
        flash_print_failed()
        return redirect(url_for("admin.users_many_done", key=key))
    return pdf_response(pdf, "pin-lappar.pdf")
