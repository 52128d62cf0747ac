"""Login views: HTTP only; the rules live in services."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..access import any_role, public, rule_for
from ..cases.submissions import SentOnce, payload_hash
from ..extensions import db
from ..formutil import new_form_key
from ..i18n import LANGUAGES, refusal_text
from ..i18n import gettext as _
from ..local_paths import local_path
from ..models import Site
from ..return_pages import get_endpoint, page_answering_get, without_recording
from . import bp
from .accounts import SetupDoneError, create_user, set_language, user_count
from .forms import (
    OWN_SECRET_FIELDS,
    SETUP_SECRET_FIELDS,
    LoginForm,
    OwnSecretForm,
    SetupForm,
    withhold_username,
)
from .lockout import Lockout
from .login import AuthError, authenticate, revoke_session
from .own_secret import SecretChangeError, change_own_secret

RECENT_COOKIE = "reservrutin_recent"
RECENT_MAX = 8


def _recent_users() -> list[str]:
    try:
        names = json.loads(request.cookies.get(RECENT_COOKIE, "[]"))
    except ValueError:
        return []
    if not isinstance(names, list):
        # A damaged cookie must not keep the tablet from its login page.
        return []
    return [n for n in names if isinstance(n, str) and n.isprintable() and len(n) <= 64][
        :RECENT_MAX
    ]


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("main.index")


def _next_page(target: str | None, role: str) -> str:
    """The page to return to after login, if the role may see it; else the start page.

    A session that timed out leaves its page as the login's target, and the next person on
    the tablet may hold another role: they start at the start page, not at a refusal.
    """
    page = _safe_next(target)
    endpoint = get_endpoint(urlsplit(page).path)
    if endpoint is None:
        return url_for("main.index")
    rule = rule_for(current_app.view_functions[endpoint])
    if rule is None or not (rule.public or role in rule.roles):
        return url_for("main.index")
    return without_recording(page)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    """Log in with username and PIN or password."""
    if user_count() == 0:
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("username"):
        form.username.data = request.args["username"][:64]
    if form.validate_on_submit():
        try:
            result = authenticate(
                form.username.data or "",
                form.secret.data or "",
                request.remote_addr or "",
                lockout=Lockout.from_config(current_app.config),
            )
        except AuthError as exc:
            form.secret.errors = [_(str(exc), **exc.values)]
        else:
            if g.get("user_session") is not None:
                # Someone else (or the same person again) logs in on this tablet: the session
                # it held ends on the server too, and the log shows who left.
                revoke_session(g.user_session.id, "logout")
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            session["token"] = result.session_token
            session.permanent = False
            response = make_response(redirect(_next_page(request.args.get("next"), result.role)))
            username = (form.username.data or "").strip().lower()
            recent = [username] + [n for n in _recent_users() if n != username]
            response.set_cookie(
                RECENT_COOKIE,
                json.dumps(recent[:RECENT_MAX]),
                max_age=60 * 60 * 24 * 90,
                httponly=True,
                samesite="Lax",
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
            return response
    if request.method == "POST":
        # Every refusal (wrong PIN, a lock, a field left empty) draws the form again.
        withhold_username(form.username)
    return render_template("auth/login.html", form=form, recent=_recent_users())


@bp.route("/logout", methods=["POST"])
@public
def logout() -> ResponseReturnValue:
    """End the session on the server; also used by 'switch user'."""
    if g.get("user_session") is not None:
        revoke_session(g.user_session.id, "logout")
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    if request.form.get("switch"):
        flash(_("Välj vem du är."), "info")
    else:
        flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup() -> ResponseReturnValue:
    """One-time page that creates the first administrator; gone once a user exists."""
    # A form sent from the page while it was there goes on: create_user answers the one that
    # made the administrator (sent twice) with its user, and refuses any other.
    if user_count() > 0 and not (request.method == "POST" and request.form.get("form_key")):
        return render_template("error.html", code=404, message=_("Sidan finns inte.")), 404
    form = SetupForm()
    if form.validate_on_submit():
        site = db.session.scalar(select(Site).order_by(Site.id))
        if site is None:
            return render_template("error.html", code=500, message=_("Ingen enhet finns.")), 500
        try:
            create_user(
                site_id=site.id,
                username=form.username.data or "",
                display_name=form.display_name.data or "",
                role="admin",
                secret=form.secret.data or "",
                kind=form.kind.data or "password",
                first=True,
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form, SETUP_SECRET_FIELDS),
                    url_for("auth.login"),
                ),
            )
        except SetupDoneError as exc:
            return render_template("error.html", code=409, message=refusal_text(exc)), 409
        except ValueError as exc:
            form.username.errors = [refusal_text(exc)]
        else:
            flash(_("Administratören är skapad. Logga in."), "success")
            return redirect(url_for("auth.login", username=form.username.data))
    if request.method == "POST":
        # As the login page: the first administrator's name field is filled as often with the
        # PIN or password meant for the next field.
        withhold_username(form.username)
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    return render_template("auth/setup.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def language() -> ResponseReturnValue:
    """Switch the UI language (Swedish or English)."""
    lang = request.form.get("lang", "sv")
    if lang in LANGUAGES:
        session["lang"] = lang
        if g.get("user") is not None:
            set_language(g.user.id, lang)
    return redirect(page_answering_get(request.form.get("next")))


@bp.route("/me/secret", methods=["GET", "POST"])
@any_role
def own_secret() -> ResponseReturnValue:
    """Change one's own PIN or password (required after an admin set it)."""
    form = OwnSecretForm()
    if request.method == "GET":
        form.kind.data = g.user.secret_kind
    if form.validate_on_submit():
        try:
            ended = change_own_secret(
                g.user.id,
                g.user_session.id,
                current=form.current.data or "",
                new=form.new.data or "",
                kind=form.kind.data or "pin",
                lockout=Lockout.from_config(current_app.config),
                remote_addr=request.remote_addr or "",
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form, OWN_SECRET_FIELDS),
                    url_for("main.index"),
                ),
            )
        except SecretChangeError as exc:
            getattr(form, exc.field).errors = [_(str(exc), **exc.values)]
        else:
            flash(_("Din nya PIN-kod eller ditt nya lösenord gäller från nu."), "success")
            if ended == 1:
                flash(_("Du loggades ut på en annan enhet."), "info")
            elif ended:
                flash(_("Du loggades ut på %(n)s andra enheter.", n=ended), "info")
            return redirect(url_for("main.index"))
    status = 400 if form.errors else 200
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    return render_template("auth/own_secret.html", form=form), status


@bp.route("/me")
@any_role
def me() -> ResponseReturnValue:
    """Who is logged in (for the shared tablet's header check)."""
    return {"username": g.user.username, "role": g.user.role, "name": g.user.display_name}
