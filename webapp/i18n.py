"""Swedish-first UI text with an English catalogue.

Swedish is the source language: every UI string is written in Swedish and looked up in the
English catalogue when the user has chosen English. A missing entry falls back to Swedish, and a
test keeps the catalogue complete.
"""

from __future__ import annotations

from flask import g, has_request_context, session

from .i18n_en import EN

LANGUAGES = {"sv": "Svenska", "en": "English"}


def current_language() -> str:
    """Language of this request: the session's choice, else the user's, else Swedish."""
    if not has_request_context():
        return "sv"
    lang = session.get("lang")
    if lang in LANGUAGES:
        return str(lang)
    user = g.get("user")
    if user is not None and user.language in LANGUAGES:
        return str(user.language)
    return "sv"


def gettext(text: str, **values: object) -> str:
    """Translate a Swedish UI string and fill in its %(name)s values."""
    translated = EN.get(text, text) if current_language() == "en" else text
    return translated % values if values else translated
