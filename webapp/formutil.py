"""Small helpers shared by the forms."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.i18n import get_translations as _wtforms_translations


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Choices for a select or radio field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


@cache
def _translations(language: str) -> Any:
    return _wtforms_translations([language])


class BaseForm(FlaskForm):
    """Every form of the app: WTForms' built-in messages in the user's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            from .i18n import current_language

            return _translations(current_language())
