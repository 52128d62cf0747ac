"""Small helpers shared by the forms."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from functools import cache
from typing import Any, ClassVar

from flask import session
from flask_wtf import FlaskForm
from wtforms import Field, Form, PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.i18n import get_translations as _wtforms_translations
from wtforms.meta import DefaultMeta

from .row_ids import row_id
from .storage_errors import is_redrawing
from .text_lines import one_line


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Choices for a select or radio field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def site_choices(
    pairs: Iterable[tuple[str, str]], english: bool, prompt: str | None = None
) -> list[SelectChoice]:
    """Choices the site named (in Swedish), after an optional prompt in the page's language.

    On a page in English each site choice carries lang="sv" on its own option, so a screen
    reader does not read "Datortomografi" with English sounds (WCAG 3.1.2); on a Swedish page
    the page's lang already says so. The radio macro puts the mark on the choice's label.
    """
    kw = {"lang": "sv"} if english else {}
    head = [SelectChoice("", prompt)] if prompt is not None else []
    return head + [SelectChoice(value, label, dict(kw)) for value, label in pairs]


def page_in_english() -> bool:
    """Whether this request's page is drawn in English (the site's names then need a mark)."""
    from .i18n import current_language

    return current_language() == "en"


# What each kind of field asks of a tablet's keyboard, set on the field (render_kw) so every
# form that draws it asks the same. Off the form history: on a shared tablet one patient's
# name, number or reply fax must not be offered on the next patient's form.
NO_HISTORY = {"autocomplete": "off"}
# The inputs a browser keeps a history of: each one without a token of its own (a username, a
# password) is drawn with NO_HISTORY (_OneLineMeta.render_field).
HISTORY_INPUT_TYPES = frozenset({"text", "tel", "number", "search", "email", "url"})
# The number pad of inputmode="numeric" has no hyphen on many tablets (nor the + of the
# 100-year-olds); the phone pad has digits, - and +, as staff type a personnummer.
PERSONAL_NUMBER_KEYS = NO_HISTORY | {
    "inputmode": "tel",
    "autocorrect": "off",
    "spellcheck": "false",
}
PHONE_KEYS = NO_HISTORY | {"type": "tel", "inputmode": "tel"}
# Case codes, reserve numbers and the other identifiers: capitals and digits, typed exactly.
CODE_KEYS = NO_HISTORY | {
    "autocapitalize": "characters",
    "autocorrect": "off",
    "spellcheck": "false",
}
# A username is typed as it is stored, lowercase, and a word "corrected" is another user's.
USERNAME_KEYS = {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
# A name "corrected" by the keyboard is another person's.
NAME_KEYS = NO_HISTORY | {"autocapitalize": "words", "autocorrect": "off", "spellcheck": "false"}
# One line of Swedish typed by staff (an exam's name, the referring unit, a clinical fact, a
# reason, a note): the record is Swedish whatever language the page is drawn in, so a tablet's
# spellcheck and a screen reader must take it as Swedish (WCAG 3.1.2), as the text areas are.
# Not a person's name (no Swedish word: a Swedish spellcheck "corrects" it too), nor a code, a
# number or a username. On a Swedish page the page's own lang says so (_OneLineMeta drops it).
SWEDISH_TEXT_KEYS = {"lang": "sv"}


class Asked:
    """Marks a field required (its star, and the required attribute a screen reader reads out)
    whose form says itself what is missing: its message names more than the field, or is chosen
    by another field (validate_<name>), so DataRequired's one message would not do."""

    field_flags: ClassVar[dict[str, bool]] = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        return None


KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_key() -> str:
    """A fresh key for one form instance (its idempotency key and draft key)."""
    return secrets.token_urlsafe(24)


_SAVED_FORM = "saved_form_key"


def confirm_saved(form_key: str) -> None:
    """Tell the next page the tablet shows that this form is stored, so its copy can go."""
    if form_key:
        session[_SAVED_FORM] = form_key


def saved_form_key() -> str:
    """The form the laptop has just stored, once (the page after a submit's redirect)."""
    return str(session.pop(_SAVED_FORM, "") or "")


@cache
def _translations(language: str) -> Any:
    return _wtforms_translations([language])


def is_single_line(field_class: type) -> bool:
    """Whether a field class is one line of text: an <input>, not a text area (nor a secret)."""
    # A PIN or password is compared as typed, never shown: changing it would lock its owner out.
    return issubclass(field_class, StringField) and not issubclass(
        field_class, (TextAreaField, PasswordField)
    )


class _OneLineMeta(DefaultMeta):
    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
        # Here, not on each field: a field added later cannot be declared without it.
        field: Field = super().bind_field(form, unbound_field, options)
        if is_single_line(type(field)):
            # First, so the field's own filters (clean_text, strip) see the one line.
            field.filters = (one_line, *field.filters)
        return field

    def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
        # SWEDISH_TEXT_KEYS marks the field on a page in English only, where it differs from
        # the page's own lang.
        own = field.render_kw or {}
        if (
            own.get("lang") == SWEDISH_TEXT_KEYS["lang"]
            and "lang" not in render_kw
            and not page_in_english()
        ):
            render_kw = {**render_kw, "lang": False}
        if (
            getattr(field.widget, "input_type", None) in HISTORY_INPUT_TYPES
            and "autocomplete" not in own
            and "autocomplete" not in render_kw
        ):
            # Here, not on each field: a weight or dose typed for one patient came back as a
            # suggestion on the next patient's exam form; a field added later cannot forget it.
            render_kw = {**render_kw, **NO_HISTORY}
        return super().render_field(field, render_kw)


class SubForm(Form):
    """A form nested in another (FormField): WTForms' built-in messages in the user's language,
    as BaseForm's (a nested form has its own meta, and without this they came in English)."""

    class Meta(_OneLineMeta):
        def get_translations(self, form: Any) -> Any:
            from .i18n import current_language

            return _translations(current_language())


class BaseForm(FlaskForm):
    """Every form of the app: WTForms' built-in messages in the user's language, and every
    single-line field kept to one line (is_single_line)."""

    class Meta(FlaskForm.Meta, _OneLineMeta):
        def get_translations(self, form: Any) -> Any:
            from .i18n import current_language

            return _translations(current_language())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A page holds several forms, and each one's token, form key and the case version it
        # was drawn on would have the same id: they go by their names alone, so every id on the
        # page stays unique.
        for name in (self.meta.csrf_field_name, "form_key", "case_version"):
            hidden = self._fields.get(name)
            if hidden is not None:
                hidden.render_kw = {**(hidden.render_kw or {}), "id": False}
        from .i18n import current_language, gettext

        # Select options are drawn by WTForms itself, so their labels are translated here.
        if current_language() == "sv":
            return
        for field in self:
            options = getattr(field, "choices", None)
            if isinstance(options, list) and options and isinstance(options[0], SelectChoice):
                field.choices = [
                    SelectChoice(
                        c.value, gettext(c.label), render_kw=c.render_kw, optgroup=c.optgroup
                    )
                    for c in options
                ]

    def validate(self, extra_validators: Any = None) -> bool:
        # The disk refused this submit: its view runs again to draw the form, as it does
        # input to correct (refused_forms), and must not submit it a second time.
        if is_redrawing():
            return False
        return bool(super().validate(extra_validators))


def version_shown(value: Any) -> int | None:
    """The record version a form or draft showed; None if none (a non-number counts as none)."""
    if isinstance(value, int):
        return value
    return row_id(value)
