"""Per-request security: session loading, idle timeout, declared access rules, headers."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.wrappers import Response

from .access import rule_for
from .auth.login import ended_session_reason, find_session, revoke_session, touch_session
from .i18n import gettext as _
from .local_paths import local_path
from .models import utcnow
from .sites import load_site_context
from .storage_errors import StorageUnavailable

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Throttle last-seen writes: idle timeout needs minutes, not per-request precision.
TOUCH_EVERY = timedelta(seconds=30)
BACKGROUND_HEADER = "X-Reservrutin-Background"
# All a user may reach while they still hold a secret an admin chose.
TEMPORARY_SECRET_ENDPOINTS = frozenset(
    {"auth.own_secret", "auth.me", "auth.logout", "auth.login", "auth.language", "main.healthz"}
)


def _say_why_ended(reason: str | None) -> None:
    # Ended from elsewhere, the login page would otherwise come up mid-work without a word.
    if reason == "admin":
        flash(_("En administratör har loggat ut dig. Logga in igen."), "info")
    elif reason == "secret_change":
        flash(
            _("Du loggades ut eftersom PIN-koden eller lösenordet byttes på en annan enhet."),
            "info",
        )
    elif reason == "inactive":
        flash(_("Kontot är inaktiverat. Be en administratör att aktivera det."), "info")
    elif reason == "restore":
        flash(_("Databasen har återställts från en säkerhetskopia. Logga in igen."), "info")
    elif reason == "idle":
        flash(_("Du har loggats ut efter %(m)s minuters inaktivitet.", m=g.idle_minutes), "info")


def _load_user() -> None:
    g.user = None
    g.user_session = None
    token = session.get("token")
    if not token:
        return
    user_session = find_session(token)
    if user_session is None:
        session.pop("token", None)
        _say_why_ended(ended_session_reason(token))
        return
    now = utcnow()
    idle = timedelta(minutes=int(g.idle_minutes))
    if now - user_session.last_seen_at > idle:
        revoke_session(user_session.id, "idle")
        session.pop("token", None)
        flash(_("Du har loggats ut efter %(m)s minuters inaktivitet.", m=g.idle_minutes), "info")
        return
    # Background refreshes (the board polling) must not keep an abandoned tablet logged in.
    # A last activity later than now (the laptop's clock set back) is moved to now, by those
    # too: measured from it, the login would not go idle until the clock had caught up.
    if user_session.last_seen_at > now or (
        not request.headers.get(BACKGROUND_HEADER) and now - user_session.last_seen_at > TOUCH_EVERY
    ):
        try:
            touch_session(user_session.id, now)
        except StorageUnavailable:
            # Activity not recorded costs at most an early idle logout; refusing the request
            # would drop the submit it carries before its view could keep the input.
            current_app.logger.warning(
                "Inloggningens aktivitet kunde inte sparas: databasen tog inte emot"
            )
    g.user = user_session.user
    g.user_session = user_session
    g.site_updated_at = user_session.site_updated_at
    if not user_session.user.is_active:
        revoke_session(user_session.id, "inactive")
        session.pop("token", None)
        _say_why_ended("inactive")
        g.user = None
        g.user_session = None


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _has_nul(value: object) -> bool:
    # A loop, not recursion: a parsed JSON body may be nested hundreds deep.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


# Query arguments that carry scanned text, which their view refuses itself: a camera may
# decode a binary QR code, and that scan belongs on the scan page and in the access log.
SCANNED_ARGS = {"catchup.scan": "code"}


# What answers HEAD: its view has no effect and logs nothing.
HEAD_ENDPOINTS = frozenset({"static", "main.healthz"})


def refuse_head() -> None:
    """A HEAD request (a download manager probing a link, a link preview) takes no action.

    Flask answers HEAD by running the GET view: an export was recorded (the next 'changed
    only' left out what the probe "received"), a sheet counted as printed, a read was logged
    that no one made.
    """
    if request.method != "HEAD" or request.url_rule is None:
        return
    if request.endpoint in HEAD_ENDPOINTS:
        return
    allowed = sorted((request.url_rule.methods or set()) - {"HEAD"})
    raise MethodNotAllowed(valid_methods=allowed)


def reject_bad_input() -> None:
    """Refuse a NUL character anywhere (never typed; PostgreSQL cannot hold it) or JSON too deep."""
    args = request.args.to_dict(flat=False)
    args.pop(SCANNED_ARGS.get(request.endpoint or "", ""), None)
    if _has_nul(request.path) or _has_nul(args):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH"):
        if _has_nul(request.form.to_dict(flat=False)):
            abort(400)
        if request.is_json:
            try:
                body = request.get_json(silent=True)
            except RecursionError:
                abort(400)
            if _has_nul(body):
                abort(400)


# Where the browser says a request came from (Fetch Metadata): a page of this laptop, or an
# address typed, scanned or bookmarked. The session cookie (SameSite=Lax) also goes with a
# top-level GET that any other page sends here, and "same-site" is any host of the hospital's
# domain (the intranet, a web mail): neither may act, or log a read, in the user's name.
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


def refuse_foreign_request() -> ResponseReturnValue | None:
    """A request another site sent changes nothing; a link from there only opens a public page.

    Some GETs record something (an export, which the next "changed only" export then leaves
    out; a print, after which the first sheet says KOPIA; each declared with access.records)
    and every page with patient data logs a read. A link from the intranet gets a page with the
    same link, which a tap opens. A browser too old to say where a request came from is let
    through (the CSRF token still guards every form).
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is None or fetch_site in TRUSTED_FETCH_SITES:
        return None
    if request.endpoint is None or request.endpoint == "static":
        return None
    if request.method not in ("GET", "HEAD"):
        abort(403)
    view = current_app.view_functions.get(request.endpoint)
    rule = rule_for(view) if view else None
    if rule is not None and rule.public:
        return None
    page = local_path(request.full_path.rstrip("?")) or url_for("main.index")
    return render_template("foreign_link.html", page=page), 403


def enforce_access() -> ResponseReturnValue | None:
    """Deny by default: a view without a declared rule is unreachable."""
    g.idle_minutes = g.get("idle_minutes") or 15
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404/405 follow
    if endpoint == "static":
        return None
    g.idle_minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    _load_user()
    view = current_app.view_functions.get(endpoint)
    rule = rule_for(view) if view else None
    if rule is None:
        abort(403)
    if g.user is not None:
        load_site_context(g.user.site_id, g.site_updated_at)
        if g.user.secret_temporary and endpoint not in TEMPORARY_SECRET_ENDPOINTS:
            if _wants_json():
                return Response(
                    '{"error": "secret_change_required"}', 403, mimetype="application/json"
                )
            return redirect(url_for("auth.own_secret"))
    if rule.public:
        return None
    if g.user is None:
        if _wants_json():
            return Response('{"error": "login_required"}', 401, mimetype="application/json")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if g.user.role not in rule.roles:
        abort(403)
    return None


def set_security_headers(response: Response) -> Response:
    """Headers on every response; pages are never cached since they may hold patient data."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_security(app: Flask) -> None:
    """Attach the request hooks."""
    app.before_request(refuse_head)
    app.before_request(reject_bad_input)
    app.before_request(refuse_foreign_request)
    app.before_request(enforce_access)
    app.after_request(set_security_headers)
