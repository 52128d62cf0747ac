"""A draft's typed text read out under its form's own labels, for a page that only shows it.

A draft that can no longer be sent (its incident has ended) must still be readable by whoever
is to key it into RIS, without opening a form that would refuse to save or, for a referral,
put it into whatever incident is open now.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from wtforms import BooleanField, FieldList, HiddenField
from wtforms.fields.core import UnboundField

from ..draft_kinds import DRAFT_KINDS
from ..formutil import is_single_line
from ..text_lines import one_line

# A report's sections: sections-<n>-heading holds the heading, sections-<n>-text its text.
_SECTION_RE = re.compile(r"^sections-(\d+)-text$")
# Inputs a form's page draws beside its fields: the binder blank it is typed from is named; a
# time field's exact instant ("<name>_utc") repeats the field shown and is left out.
_PAGE_INPUTS = {"blank_code": "Blankett"}
_UTC_SUFFIX = "_utc"
# A time field's value as the browser sends it (2026-12-03T14:05): shown with a space.
_LOCAL_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


@dataclass(frozen=True)
class TypedValue:
    """One filled-in field of a draft: its label on the form, and what was typed or chosen."""

    label: str
    value: str
    # The value is one of the form's own words (a choice's label, Ja), not typed text.
    is_choice: bool = False


def _form_fields(kind: str) -> list[tuple[str, UnboundField]]:
    """The fields of the kind's form class, in the order the form shows them."""
    spec = DRAFT_KINDS[kind].form if kind in DRAFT_KINDS else ""
    if not spec:
        return []
    module, _, name = spec.partition(":")
    form_class = getattr(import_module(f"..{module}", __package__), name)
    fields = [
        (attr, getattr(form_class, attr))
        for attr in dir(form_class)
        if isinstance(getattr(form_class, attr, None), UnboundField)
    ]
    return sorted(fields, key=lambda item: item[1].creation_counter)


def _label(name: str, field: UnboundField) -> str:
    label = field.args[0] if field.args and isinstance(field.args[0], str) else None
    return label or field.kwargs.get("label") or name


def _shown(
    field: UnboundField, value: Any, name_of: Callable[[str], str] | None
) -> tuple[str, bool]:
    """A stored value as the form offered it (a choice by its label, a tick as Ja), and
    whether that is the form's own word rather than typed text."""
    if issubclass(field.field_class, BooleanField):
        return ("Ja", True) if value else ("", False)
    text = (value if isinstance(value, str) else ", ".join(map(str, value or []))).strip()
    if text and name_of is not None:
        return name_of(text), False
    for choice in field.kwargs.get("choices") or ():
        value_of, label, *_ = choice
        if value_of == text:
            return str(label), True
    if _LOCAL_TIME_RE.match(text):
        return text.replace("T", " ", 1), False
    # The draft keeps what was typed; shown under a one-line field's label, it is what that
    # field would take (the page keeps a text area's lines).
    return (one_line(text) if is_single_line(field.field_class) else text), False


def typed_values(
    kind: str, data: Any, named: Mapping[str, Callable[[str], str]] | None = None
) -> list[TypedValue]:
    """The non-empty values of a draft, each under its field's label, in the form's order.

    named: per field, the name of a code the site configures (a priority, a modality). Hidden
    fields (keys, versions) are left out; a value the form no longer has a field for is shown
    under its own name rather than dropped.
    """
    named = named or {}
    if not isinstance(data, dict):
        return []
    shown: list[TypedValue] = []
    known: set[str] = set()
    for name, field in _form_fields(kind):
        known.add(name)
        if issubclass(field.field_class, FieldList):
            shown.extend(_sections(data, known))
            continue
        if issubclass(field.field_class, HiddenField):
            continue
        value, is_choice = _shown(field, data.get(name), named.get(name))
        if value:
            shown.append(TypedValue(_label(name, field), value, is_choice))
    for name, value in data.items():
        if name in known or name.endswith(("form_key", "csrf_token", _UTC_SUFFIX)):
            continue
        text = value.strip() if isinstance(value, str) else ""
        if text:
            shown.append(TypedValue(_PAGE_INPUTS.get(name) or name, text))
    return shown


def _sections(data: dict[str, Any], known: set[str]) -> list[TypedValue]:
    """A report's sections, each under its heading."""
    found = []
    for name in data:
        match = _SECTION_RE.match(name)
        if match:
            found.append(int(match.group(1)))
    sections = []
    for n in sorted(found):
        heading_key, text_key = f"sections-{n}-heading", f"sections-{n}-text"
        known.update((heading_key, text_key))
        heading = data.get(heading_key)
        text = data.get(text_key)
        if isinstance(text, str) and text.strip():
            label = heading.strip() if isinstance(heading, str) and heading.strip() else "Text"
            sections.append(TypedValue(label, text.strip()))
    return sections
