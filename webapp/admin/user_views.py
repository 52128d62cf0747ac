"""Admin views of users: create, change, unlock, and end their logins. HTTP only."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..access import roles
from ..auth.accounts import (
    USER_NOT_HERE,
    USERNAME_TAKEN,
    LastAdminError,
    SharedLockError,
    StaleUserError,
    create_user,
    unlock_address,
    unlock_user,
    update_user,
    user_state,
    username_taken,
)
from ..auth.bulk_accounts import earlier_result
from ..auth.lockout import Lockout, address_locks, locks_in_force
from ..auth.pace import paces_in_force
from ..auth.sessions import end_logins, live_login_counts, live_logins
from ..cases.submissions import SentOnce, SubmitResult, item_form_key, payload_hash
from ..extensions import db
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import User, utcnow
from . import bp
from .forms import (
    ROLE_CHOICES,
    SECRET_FIELDS,
    AddressUnlockForm,
    KeyedConfirmForm,
    UserCreateForm,
    UserEditForm,
    ask_secret_again,
)
from .same_name import name_key, users_by_name


@bp.route("/users", methods=["GET", "POST"])
@roles("admin")
def users() -> ResponseReturnValue:
    """List users and create a new one."""
    form = UserCreateForm()
    if form.validate_on_submit():
        sent = SentOnce(
            form.form_key.data or "",
            payload_hash(request.form, SECRET_FIELDS),
            url_for("admin.users"),
        )
        if not _sent_before(sent) and username_taken(form.username.data or ""):
            # Said first: no tick for a look-alike name can make a taken username free.
            form.username.errors = [_(USERNAME_TAKEN)]
        elif _sent_before(sent) or form.check_same_name(users_by_name(g.user.site_id)):
            try:
                create_user(
                    site_id=g.user.site_id,
                    username=form.username.data or "",
                    display_name=form.display_name.data or "",
                    role=form.role.data or "radiographer",
                    secret=form.secret.data or "",
                    kind=form.kind.data or "pin",
                    actor=g.user,
                    temporary=True,
                    sent=sent,
                )
            except ValueError as exc:
                form.username.errors = [refusal_text(exc)]
            else:
                flash(_("Användaren är skapad."), "success")
                return redirect(url_for("admin.users"))
    if request.method == "POST":
        ask_secret_again(form.secret, form.kind.data or "pin")
    people = db.session.scalars(
        select(User).where(User.site_id == g.user.site_id).order_by(User.display_name)
    ).all()
    status = 400 if form.errors else 200
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    return render_template(
        "admin/users.html",
        form=form,
        people=people,
        locks=locks_in_force(db.session(), [p.id for p in people], utcnow()),
        paces=paces_in_force(
            db.session(),
            [p.id for p in people],
            utcnow(),
            Lockout.from_config(current_app.config),
        ),
        address_locks=address_locks(db.session(), utcnow(), g.user.site_id),
        confirm_form=_keyed_form(),
        logged_in=live_login_counts(g.user.site_id, current_app.config["IDLE_TIMEOUT_MINUTES"]),
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change a user's name, role, PIN, or deactivate them."""
    person = db.session.get(User, user_id)
    if person is None or person.site_id != g.user.site_id:
        return render_template("error.html", code=404, message=_("Sidan finns inte.")), 404
    if request.method == "GET":
        form = UserEditForm(obj=person)
        # A new secret is most often of the same kind; the kind also picks the tablet keyboard.
        form.kind.data = person.secret_kind
        form.base_state.data = user_state(person)
    else:
        form = UserEditForm()
    status = 200
    if form.validate_on_submit():
        if person.id == g.user.id and form.role.data != "admin":
            form.role.errors = [_("Du kan inte ta bort din egen administratörsbehörighet.")]
        elif person.id == g.user.id and not form.is_active.data:
            # Said beside the box the admin unticked, not beside the role they left as it was.
            form.is_active.errors = [
                _("Du kan inte inaktivera ditt eget konto. Be en annan administratör göra det.")
            ]
        elif person.id == g.user.id and form.secret.data:
            # Set here it would end the admin's own login at once and be one to replace again.
            form.secret.errors = [
                _(
                    "Din egen PIN-kod eller ditt lösenord byter du under Byt PIN-kod eller "
                    "lösenord (tryck på ditt namn överst)."
                )
            ]
        elif not _name_may_be_saved(form, person):
            pass  # asked beside the name field, with the tick that goes on
        else:
            try:
                update_user(
                    person.id,
                    display_name=form.display_name.data or "",
                    role=form.role.data or person.role,
                    is_active=bool(form.is_active.data),
                    new_secret=form.secret.data or "",
                    kind=form.kind.data or "pin",
                    actor=g.user,
                    base_state=form.base_state.data or "",
                    sent=SentOnce(
                        form.form_key.data or "",
                        payload_hash(request.form, SECRET_FIELDS),
                        url_for("admin.users"),
                    ),
                )
            except StaleUserError as exc:
                form.role.errors = [_stale_message(person)]
                # A second save is then a choice made knowing of the other change.
                form.base_state.data = exc.current_state
                status = 409
            except LastAdminError as exc:
                # Kept an admin, only the unticked Aktiv box took the rights away (another
                # admin deactivating this admin's editor at the same moment).
                field = form.is_active if form.role.data == "admin" else form.role
                field.errors = [refusal_text(exc)]
            except ValueError as exc:
                form.secret.errors = [refusal_text(exc)]
            else:
                flash(_("Ändringen är sparad."), "success")
                return redirect(url_for("admin.users"))
    if request.method == "POST":
        ask_secret_again(form.secret, form.kind.data or "pin")
    if form.errors and status == 200:
        status = 400
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    return render_template(
        "admin/user_edit.html",
        form=form,
        person=person,
        logins=live_logins(person.id, current_app.config["IDLE_TIMEOUT_MINUTES"]),
        confirm_form=_keyed_form(),
    ), status


def _name_may_be_saved(form: UserEditForm, person: User) -> bool:
    """A new name another user of the site has is asked first; the user's own name (two named
    alike already, a change of case or spacing) is not."""
    if name_key(form.display_name.data or "") == name_key(person.display_name):
        return True
    return form.check_same_name(users_by_name(g.user.site_id, besides=person.id))


def _sent_before(sent: SentOnce) -> bool:
    """Whether this very form made its user already: sent again, its name is not asked about,
    as the user it finds under that name is the one its first send made."""
    try:
        return earlier_result(sent) is not None
    except ValueError:
        # Another form under the key: create_user refuses it in its own words.
        return False


def _stale_message(person: User) -> str:
    db.session.refresh(person)
    return _(
        "Användaren har ändrats av en annan administratör sedan du öppnade sidan: nu %(name)s, "
        "%(role)s, %(active)s. Dina ändringar finns kvar nedan; spara igen bara om de ska gälla.",
        name=person.display_name,
        role=_(dict(ROLE_CHOICES)[person.role]),
        active=_("aktiv") if person.is_active else _("inaktiverad"),
    )


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles("admin")
def unlock(user_id: int) -> ResponseReturnValue:
    """Lift a login lockout."""
    person = db.session.get(User, user_id)
    form = KeyedConfirmForm()
    if person is None or person.site_id != g.user.site_id:
        # One answer for both: the admin learns nothing of another site's users.
        flash(_(USER_NOT_HERE), "error")
    elif form.validate_on_submit():
        try:
            unlock_user(person.id, g.user, _one_of_the_page(form, f"unlock/{person.id}"))
        except ValueError as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(_("Spärren är hävd."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/address-unlock", methods=["POST"])
@roles("admin")
def unlock_address_lock() -> ResponseReturnValue:
    """Lift the lock of a client address that tried too many usernames (a shared tablet)."""
    form = AddressUnlockForm()
    if form.validate_on_submit():
        address = form.address.data or ""
        try:
            lifted = unlock_address(address, g.user, _one_of_the_page(form, f"address/{address}"))
        except SharedLockError as exc:
            return render_template("error.html", code=403, message=refusal_text(exc)), 403
        except ValueError as exc:
            flash(refusal_text(exc), "error")
        else:
            if lifted:
                flash(_("Spärren för enheten är hävd."), "success")
            else:
                flash(_("Enheten var inte spärrad längre."), "info")
    return redirect(url_for("admin.users"))


def _one_of_the_page(form: KeyedConfirmForm, item: str) -> SentOnce:
    """One button's form among the page's (they share the page's key)."""
    return SentOnce(
        item_form_key(form.form_key.data or "", item),
        payload_hash(request.form),
        url_for("admin.users"),
    )


def _keyed_form() -> KeyedConfirmForm:
    return KeyedConfirmForm(formdata=None, data={"form_key": new_form_key()})


@bp.route("/users/<int:user_id>/logins/end", methods=["POST"])
@roles("admin")
def end_user_logins(user_id: int) -> ResponseReturnValue:
    """Log a user out everywhere: a lost tablet, or someone who should not be logged in."""
    person = db.session.get(User, user_id)
    if person is None or person.site_id != g.user.site_id:
        return render_template("error.html", code=404, message=_("Sidan finns inte.")), 404
    form = KeyedConfirmForm()
    if form.validate_on_submit():
        # Ending one's own logins keeps the one in use: the admin is at this tablet.
        keep = g.user_session.id if person.id == g.user.id else None
        try:
            ended = end_logins(
                person.id,
                g.user,
                current_app.config["IDLE_TIMEOUT_MINUTES"],
                keep_session_id=keep,
                sent=_one_of_the_page(form, f"logins/{person.id}"),
            )
        except ValueError as exc:
            flash(refusal_text(exc), "error")
            return redirect(url_for("admin.edit_user", user_id=person.id))
        if isinstance(ended, SubmitResult):
            # The first tap's answer said how many; that many are still logged out.
            message = _("%(name)s är utloggad på alla enheter.", name=person.display_name)
        elif ended == 0:
            message = _("%(name)s var inte inloggad på någon enhet.", name=person.display_name)
        elif ended == 1:
            message = _("%(name)s är utloggad på en enhet.", name=person.display_name)
        else:
            message = _("%(name)s är utloggad på %(n)s enheter.", name=person.display_name, n=ended)
        flash(message, "success")
    return redirect(url_for("admin.edit_user", user_id=person.id))
