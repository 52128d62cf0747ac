"""Swedish-first UI text with an English catalogue.

Swedish is the source language: every UI string is written in Swedish and looked up in the
English catalogue when the user has chosen English. A missing entry falls back to Swedish, and a
test keeps the catalogue complete.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, has_request_context, session
from markupsafe import Markup, escape

from .i18n_en import EN
from .refusal import Refused

LANGUAGES = {"sv": "Svenska", "en": "English"}


def current_language() -> str:
    """Language of this request: the session's choice, else the user's, else Swedish."""
    if not has_request_context():
        return "sv"
    cached = g.get("_language")
    if cached is not None:
        return str(cached)
    lang = session.get("lang")
    if lang in LANGUAGES:
        found = str(lang)
    else:
        user = g.get("user")
        found = str(user.language) if user is not None and user.language in LANGUAGES else "sv"
    # Once the user is known the answer is fixed for the request; a page asks hundreds of times.
    if "user" in g:
        g._language = found
    return found


def gettext(text: str, **values: object) -> str:
    """Translate a Swedish UI string and fill in its %(name)s values."""
    translated = EN.get(text, text) if current_language() == "en" else text
    return translated % values if values else translated


def refusal_text(exc: Exception) -> str:
    """A service's refusal in this request's language: its template translated, then filled in.

    A message built with its values already in it would only ever match the catalogue in Swedish.
    A refusal offering a choice beside it (sending an older copy of a draft) is kept for the
    layout, which draws the choice under the message wherever the view flashed it.
    """
    if getattr(exc, "offers_choice", False) and has_request_context():
        g.refusal_choice = exc
    if isinstance(exc, Refused):
        return exc.text(gettext)
    return gettext(str(exc))


def _swedish(text: str, **values: object) -> str:
    return text % values if values else text


def _english(text: str, **values: object) -> str:
    translated = EN.get(text, text)
    return translated % values if values else translated


def translator() -> Callable[..., str]:
    """`gettext` with this request's language already chosen, for templates.

    A page looks up a few hundred strings; resolving the language once per render instead of
    once per string is a measurable part of a page's cost.
    """
    return _english if current_language() == "en" else _swedish


_SWEDISH_PART = Markup(' lang="sv"')


def sv_lang() -> Markup:
    """The attribute marking Swedish text written by staff or the site, on a page in English.

    Such text is not translated; a screen reader reading it with English sounds garbles it
    (WCAG 3.1.2). On a Swedish page the page's own lang already says so.
    """
    return _SWEDISH_PART if current_language() == "en" else Markup("")


def in_swedish(text: object) -> Markup:
    """Swedish text written by staff or the site, marked as such on a page in English (the
    `sv` filter). On a Swedish page it stands bare: no empty wrapper around every exam name."""
    if current_language() != "en":
        return escape(text)
    return Markup('<span lang="sv">%s</span>') % text
