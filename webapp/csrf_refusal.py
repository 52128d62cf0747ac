"""The answer to a form or autosave whose security token was refused (CSRF).

The token lives in the session, so a logout in another tab (or an idle logout) makes every
open form's token old. Reloading the refused page sends the same POST again and is refused
again: the answer leads instead to the login and back to the same form by GET, with its draft.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from flask import current_app, jsonify, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from .auth.login import find_session
from .draft_kinds import DRAFT_KINDS
from .formutil import KEY_RE
from .i18n import gettext
from .models import utcnow
from .return_pages import get_endpoint, page_answering_get


def _logged_in() -> bool:
    """Whether the session still holds a login, asked without acting on it (no touch, no flash).

    The token check runs before the access wall has loaded the user.
    """
    token = session.get("token")
    if not token:
        return False
    live = find_session(str(token))
    if live is None or not live.user.is_active:
        return False
    idle = timedelta(minutes=int(current_app.config["IDLE_TIMEOUT_MINUTES"]))
    return utcnow() - live.last_seen_at <= idle


def _draft_key() -> str:
    """The refused form's draft key, if it sent one that is a key (a prefixed form's too)."""
    for name, value in request.form.items():
        if (name == "form_key" or name.endswith("-form_key")) and KEY_RE.match(value):
            return value
    return ""


def _form_page() -> str:
    """The refused form's own page by GET, continuing its draft; else the page nearest to it."""
    page = page_answering_get(request.full_path.rstrip("?"))
    key = _draft_key()
    if key and urlsplit(page).path == request.path:
        args = request.args.copy()
        args["draft"] = key
        page = f"{request.path}?{urlencode(list(args.items(multi=True)))}"
    elif key and "?" not in page:
        # A form posted to an address with no page of its own (the case page's cancel, move,
        # notes): the page drawing it continues its draft, and, as it draws several autosaved
        # forms, is told which kind of form the key is of (a key typed under offline only is
        # unknown to the laptop). Else the text comes back in no form.
        kind = request.form.get("draft_kind", "")
        named = [("draft", key)] + ([("draft_kind", kind)] if kind in DRAFT_KINDS else [])
        page = f"{page}?{urlencode(named)}"
    return page


def csrf_refused(error: CSRFError) -> ResponseReturnValue:
    """A refused token: logged out, the way back in to the same form; else the form again."""
    logged_in = _logged_in()
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        if not logged_in:
            # As the access wall answers any call without a login: drafts.js then says that
            # the user is logged out and keeps the text until they are back.
            return jsonify(error="login_required"), 401
        return jsonify(error=gettext("Säkerhetsnyckeln saknas eller har gått ut.")), 400
    if logged_in and request.endpoint == "auth.logout":
        # The tab was opened before a later login (its token is that earlier session's). The
        # refusal offers a "Logga ut" of its own, with this session's token, rather than the
        # logout ending a session without one: a route that ends a login on any POST, token
        # or not, is one any page the tablet shows could end mid-task, and the login the old
        # tab would end may be another person's, begun after that tab was opened. One more
        # tap, on a page that says why, costs less than that.
        return render_template(
            "csrf_refused.html",
            logged_in=True,
            logout=True,
            switch=bool(request.form.get("switch")),
            page=url_for("main.index"),
            has_draft=False,
        ), 400
    page = _form_page()
    if not logged_in and get_endpoint(urlsplit(page).path) != "auth.login":
        page = url_for("auth.login", next=page)
    # Nobody may be logged in: the page names no patient, only the address that continues.
    return render_template(
        "csrf_refused.html", logged_in=logged_in, page=page, has_draft=bool(_draft_key())
    ), 400
